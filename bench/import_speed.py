"""How long does importing a native export take, the first time and again (nothing new)? Prints figures.

    .venv/bin/python bench/import_speed.py [--size 10000]

Builds a corpus in one throwaway SQLite database, exports it, then imports the file into a second,
empty one twice (the second import finds everything unchanged). Not part of the test suite.
"""

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_memory


def export_to(size: int, path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        export_memory.setup_django(Path(folder) / "source.sqlite3")
        export_memory.build(size)
        from django.core.management import call_command

        call_command("export_claims", "-o", str(path), stderr=io.StringIO())


def import_twice(path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        export_memory.setup_django(Path(folder) / "target.sqlite3")
        from django.core.management import call_command

        from annotations.models import Claim

        assert not Claim.objects.exists()  # the shipped corpus is loaded (as on a new instance), no claims
        for attempt in ("first", "again"):
            began = time.perf_counter()
            out = io.StringIO()
            call_command("import_claims", str(path), stdout=out)
            print(f"{attempt}\t{time.perf_counter() - began:.2f}\t{out.getvalue().strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--step", choices=["export", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "export":
        export_to(args.size, Path(args.file))
        return
    if args.step == "import":
        import_twice(Path(args.file))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        # Each database in its own process: Django is set up once per process.
        run = [sys.executable, __file__, "--size", str(args.size), "--file", str(path)]
        subprocess.run([*run, "--step", "export"], check=True)
        print(f"import of {args.size} claims ({path.stat().st_size / 2**20:.1f} MiB)")
        result = subprocess.run([*run, "--step", "import"], check=True, capture_output=True, text=True)
        for line in result.stdout.strip().splitlines():
            attempt, seconds, report = line.split("\t")
            print(f"{attempt:>6}: {float(seconds):7.2f} s   {report}")


if __name__ == "__main__":
    main()
