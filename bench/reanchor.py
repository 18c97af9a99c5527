"""Benchmark: re-anchor 10,000 claims on a ~200 KB paper after 50 scattered edits.

Prints the time of the pure `reanchoring.reanchor` (and of its diff alone), the share of claims in each
outcome, how many claims whose words no edit touched landed exactly where their characters went, and the
time of the whole `services.paper_revise` through the database (SQLite in a temporary file unless
DATABASE_URL is set). Usage: .venv/bin/python bench/reanchor.py [--claims N] [--edits N] [--seed N] [--no-db]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "the",
    "SCO",
    "security",
    "cooperation",
    "Beijing",
    "Moscow",
    "Tashkent",
    "three",
    "evils",
    "alliance",
    "member",
    "states",
]


def long_paper(target: int) -> str:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures" / "papers").glob("*.txt"))]
    text = "\n".join(texts)
    while len(text) < target:
        text += "\n" + "\n".join(texts)
    return text[:target]


def random_edits(rng: random.Random, text: str, count: int) -> tuple[str, list[int | None]]:
    """Apply `count` scattered insertions, deletions and replacements; return the new text and, for each
    old code point, where it is now (None when an edit removed it)."""
    chars, origin = list(text), list(range(len(text)))
    for _ in range(count):
        kind = rng.choice(["insert", "delete", "replace"])
        position = rng.randrange(len(chars))
        removed = 0 if kind == "insert" else rng.randint(1, 40)
        added = "" if kind == "delete" else " ".join(rng.choices(WORDS, k=rng.randint(1, 5))) + " "
        chars[position : position + removed] = list(added)
        origin[position : position + removed] = [None] * len(added)
    where: list[int | None] = [None] * len(text)
    for new_position, old_position in enumerate(origin):
        if old_position is not None:
            where[old_position] = new_position
    return "".join(chars), where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--length", type=int, default=200_000, help="length of the paper in code points")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-db", action="store_true", help="only the pure function")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_claims.settings_test")
    temporary = None
    if "DATABASE_URL" not in os.environ:
        temporary = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary.name}"
    import django

    django.setup()
    from annotations import reanchoring
    from annotations.anchoring import anchor_at

    rng = random.Random(options.seed)
    old = long_paper(options.length)
    spans = []
    for _ in range(options.claims):
        start = rng.randrange(len(old) - 1)
        spans.append((start, min(len(old), start + rng.randint(10, 300))))
    anchors = [anchor_at(old, start, end) for start, end in spans]
    new, where = random_edits(rng, old, options.edits)
    print(f"paper: {len(old):,} code points; {len(anchors):,} claims; {options.edits} edits -> {len(new):,}")

    started = time.perf_counter()
    runs = reanchoring.unchanged_runs(old, new)
    diffed = time.perf_counter() - started
    started = time.perf_counter()
    outcomes = reanchoring.reanchor(old, new, anchors, runs=runs)
    searched = time.perf_counter() - started
    print(
        f"pure reanchor: {diffed + searched:.3f} s (diff {diffed:.3f} s, {len(runs)} unchanged runs; "
        f"claims {searched:.3f} s)"
    )
    counts = Counter(outcome.kind for outcome in outcomes)
    for kind in reanchoring.Kind:
        print(f"  {kind.value:9} {counts[kind]:6,}  {100 * counts[kind] / len(outcomes):6.2f} %")

    untouched = landed = 0
    for (start, end), outcome in zip(spans, outcomes, strict=True):
        places = where[start:end]
        if any(place is None for place in places) or places[-1] - places[0] != end - start - 1:
            continue
        untouched += 1
        landed += outcome.anchor is not None and outcome.anchor.start == places[0]
    print(
        f"claims whose words no edit touched: {untouched:,}; landed exactly where they went: {landed:,} "
        f"({100 * landed / max(untouched, 1):.2f} %)"
    )
    scores = sorted(outcome.score for outcome in outcomes if outcome.kind == reanchoring.Kind.FUZZY)
    if scores:
        print(f"fuzzy scores: min {scores[0]:.3f}, median {scores[len(scores) // 2]:.3f}")

    if options.no_db:
        return
    from django.core.management import call_command

    from annotations import services
    from annotations.models import Claim, Paper, Role, User

    call_command("migrate", verbosity=0)
    moderator = User.objects.create(username="bench-moderator", is_superuser=True, is_staff=True)
    analyst = User.objects.create(username="bench-analyst")
    paper = Paper.objects.create(slug=f"bench-{options.seed}-{rng.randrange(10**9)}", title="Bench", text=old)
    Claim.objects.bulk_create(
        (
            Claim(
                paper=paper,
                start=a.start,
                end=a.end,
                exact=a.exact,
                prefix=a.prefix,
                suffix=a.suffix,
                statement="bench",
                created_by=analyst,
            )
            for a in anchors
        ),
        batch_size=1000,
    )
    started = time.perf_counter()
    revision = services.paper_revise(paper=paper, by=moderator, text=new, note="bench")
    took = time.perf_counter() - started
    vendor = django.db.connection.vendor
    print(f"services.paper_revise on {vendor}: {took:.3f} s for {len(anchors):,} claims: {revision.report_line()}")
    assert Claim.objects.filter(paper=paper).count() == len(anchors)
    del Role
    if temporary is not None:
        Path(temporary.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
