"""`python -m bench.run reanchor`: re-anchor 10,000 claims on a ~200 KB paper after 50 scattered edits.

Figures: the time of the pure `reanchoring.reanchor` (and of its diff alone), the share of claims in each
outcome (kept, moved exactly, moved fuzzily, orphaned), how many claims whose words no edit touched landed
exactly where their characters went, and the time of the whole `services.paper_revise` through the database
(a fresh SQLite file, in its own process). Claims lost by the revision must be 0.
"""

import random
import time
from collections import Counter

from .common import ROOT, Row, child_json, child_main

NAME = "reanchor"
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


def run(options) -> list[Row]:
    claims, length = (2000, 50_000) if options.quick else (10_000, 200_000)
    r = child_json("bench.reanchor", f"--claims={claims}", "--edits=50", f"--length={length}")
    bench = f"{NAME} · {claims:,} claims, {r['length']:,} code points, 50 edits"
    rows = [
        Row(bench, "pure reanchor", round(r["pure_seconds"], 3), "s", f"diff {r['diff_seconds']:.3f} s"),
        Row(bench, "services.paper_revise", round(r["revise_seconds"], 3), "s", "SQLite, whole write"),
    ]
    for kind, count in r["outcomes"].items():
        rows.append(Row(bench, f"outcome: {kind}", round(100 * count / claims, 2), "%", f"{count:,} claims"))
    rows += [
        Row(bench, "untouched claims landed exactly", round(100 * r["landed"] / max(r["untouched"], 1), 2), "%",
            f"{r['landed']:,} of {r['untouched']:,} whose words no edit touched"),
        Row(bench, "claims lost by the revision", r["lost"], "", "must be 0"),
    ]  # fmt: skip
    return rows


def measure(claims: int, edits: int, length: int, seed: int) -> dict:
    from annotations import reanchoring, services
    from annotations.anchoring import anchor_at
    from annotations.models import Claim, Paper, User

    rng = random.Random(seed)
    old = long_paper(length)
    spans = []
    for _ in range(claims):
        start = rng.randrange(len(old) - 1)
        spans.append((start, min(len(old), start + rng.randint(10, 300))))
    anchors = [anchor_at(old, start, end) for start, end in spans]
    new, where = random_edits(rng, old, edits)

    began = time.perf_counter()
    runs = reanchoring.unchanged_runs(old, new)
    diffed = time.perf_counter() - began
    outcomes = reanchoring.reanchor(old, new, anchors, runs=runs)
    pure = time.perf_counter() - began
    counts = Counter(outcome.kind for outcome in outcomes)

    untouched = landed = 0
    for (start, end), outcome in zip(spans, outcomes, strict=True):
        places = where[start:end]
        if any(place is None for place in places) or places[-1] - places[0] != end - start - 1:
            continue
        untouched += 1
        landed += outcome.anchor is not None and outcome.anchor.start == places[0]

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    moderator = User.objects.create(username="bench-moderator", is_superuser=True, is_staff=True)
    analyst = User.objects.create(username="bench-analyst")
    paper = Paper.objects.create(slug="bench-reanchor", title="Bench", text=old)
    Claim.objects.bulk_create(
        (
            Claim(paper=paper, start=a.start, end=a.end, exact=a.exact, prefix=a.prefix, suffix=a.suffix,
                  statement="bench", created_by=analyst)
            for a in anchors
        ),
        batch_size=1000,
    )  # fmt: skip
    began = time.perf_counter()
    revision = services.paper_revise(paper=paper, by=moderator, text=new, note="bench")
    revised = time.perf_counter() - began
    return {
        "length": len(old),
        "diff_seconds": diffed,
        "pure_seconds": pure,
        "runs": len(runs),
        "outcomes": {kind.value: counts[kind] for kind in reanchoring.Kind},
        "untouched": untouched,
        "landed": landed,
        "revise_seconds": revised,
        "report": revision.report_line(),
        "lost": len(anchors) - Claim.objects.filter(paper=paper).count(),
    }


if __name__ == "__main__":
    child_main(__doc__, measure, claims=10_000, edits=50, length=200_000, seed=7)
