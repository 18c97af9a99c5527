"""Does an export keep memory flat as the corpus grows? Prints time and peak memory per size.

    .venv/bin/python bench/export_memory.py [--sizes 10000 100000] [--format native|...|qdpx|datapackage]
                                            [--untraced]

Builds each corpus in a throwaway SQLite database (bulk_create, in a process of its own), then, in a fresh
process, streams the export into a sink that only counts bytes, and reports the wall time, the peak of Python
allocations during the export (tracemalloc) and the process's peak resident memory (which also sees what C
libraries such as lxml allocate, invisible to tracemalloc), then the ratio of the largest size to the
smallest. tracemalloc slows Python down several times: `--untraced` times the export without it (the Python
peak is then not measured, shown as 0). Not part of the test suite.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database: Path, *, fill: bool = True) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory, which would spoil the measure
    os.environ["DJANGO_SETTINGS_MODULE"] = "sco_claims.settings"
    import django

    django.setup()
    from django.core.management import call_command

    if fill:
        call_command("migrate", verbosity=0)
        call_command("load_corpus", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def build(size: int) -> None:
    from django.utils import timezone

    from annotations import anchoring
    from annotations.models import Claim, Coding, Link, Paper, Tag, User

    user = User.objects.create(username="bench")
    papers = list(Paper.objects.all())
    tags = list(Tag.objects.all())
    now = timezone.now()
    claims, through = [], []
    for n in range(size):
        paper = papers[n % len(papers)]
        start = (n * 37) % (len(paper.text) - 200)
        anchor = anchoring.anchor_at(paper.text, start, start + 40 + n % 120)
        claim = Claim(
            id=uuid.uuid4(),
            paper=paper,
            start=anchor.start,
            end=anchor.end,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            statement=f"Statement {n}: what the author says here, in the analyst's words.",
            stance=Claim.Stance.values[n % 3],
            status=Claim.Status.APPROVED,
            created_by=user,
            created_at=now,
        )
        claims.append(claim)
        through.append(Coding(claim_id=claim.id, tag_id=tags[n % len(tags)].id, stance=claim.stance))
    Claim.objects.bulk_create(claims, batch_size=2000)
    Coding.objects.bulk_create(through, batch_size=2000)
    links = [
        Link(source=claims[n], target=claims[n + 1], relation=Link.Relation.values[n % 3], created_by=user)
        for n in range(0, size - 1, 10)
    ]
    Link.objects.bulk_create(links, batch_size=2000)


def measure(name: str, traced: bool = True) -> tuple[float, int, int]:
    from annotations import exporting
    from annotations.management.commands.export_claims import ShellModerator

    export = exporting.export_set(ShellModerator(), {})
    chunks = {
        "native": exporting.native_chunks,
        "aif": exporting.aif_chunks,
        "graphml": exporting.graphml_chunks,
        "csv": exporting.csv_chunks,
        "qdpx": _zip("qdpx_chunks", "qdpx"),
        "datapackage": _zip("datapackage_chunks", "datapackage_zip"),
    }[name]
    if traced:
        tracemalloc.start()
    began = time.perf_counter()
    written = sum(len(chunk.encode("utf-8") if isinstance(chunk, str) else chunk) for chunk in chunks(export))
    elapsed = time.perf_counter() - began
    peak = 0
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak, written


def _zip(streamed: str, whole: str):
    """The zip's chunks; an older checkout built the zip whole (bench the code before and after the change)."""
    from annotations import exporting_qda

    if hasattr(exporting_qda, streamed):
        return getattr(exporting_qda, streamed)
    return lambda export: [getattr(exporting_qda, whole)(export)]


def run_one(size: int, name: str, traced: bool) -> None:
    """One size in a fresh database; the corpus built in a process of its own, so that the export's process
    holds nothing but the export (its peak resident memory is the export's)."""
    import resource
    import subprocess

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        subprocess.run([sys.executable, __file__, "--build", str(size), "--database", str(database)], check=True)
        setup_django(database, fill=False)
        elapsed, peak, written = measure(name, traced)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(f"{size}\t{elapsed:.2f}\t{peak}\t{written}\t{rss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--format", default="native", choices=["native", "aif", "graphml", "csv", "qdpx", "datapackage"]
    )
    parser.add_argument("--untraced", action="store_true", help="time without tracemalloc (no peak measured)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        setup_django(Path(args.database))
        build(args.build)
        return
    if args.one:
        run_one(args.one, args.format, not args.untraced)
        return
    import subprocess

    results = []
    print(f"export format: {args.format}" + (" (untraced: no peak measured)" if args.untraced else ""))
    print(f"{'claims':>8} {'seconds':>8} {'peak MiB':>9} {'RSS MiB':>8} {'output MiB':>10}")
    for size in args.sizes:
        out = (
            subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--format", args.format]
                + (["--untraced"] if args.untraced else []),
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        count, seconds, peak, written, rss = out.split("\t")
        results.append((int(count), float(seconds), int(peak), int(written), int(rss)))
        print(
            f"{int(count):>8} {float(seconds):>8.2f} {int(peak) / 2**20:>9.2f} {int(rss) / 2**20:>8.1f} "
            f"{int(written) / 2**20:>10.1f}"
        )
    (small, *_), (large, *_) = results[0], results[-1]
    print(
        f"ratio {large // small}x claims: time x{results[-1][1] / results[0][1]:.1f}, "
        f"peak memory x{results[-1][2] / max(1, results[0][2]):.2f}, peak RSS x{results[-1][4] / results[0][4]:.2f}, "
        f"output x{results[-1][3] / results[0][3]:.1f}"
    )


if __name__ == "__main__":
    main()
