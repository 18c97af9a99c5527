"""manage.py import_claims FILE: what POST import/ does, from the shell (no size limit)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ... import safejson, services
from ...importing import ImportRefused
from ...importing.refiqda import is_exchange_file
from ...models import User
from ..projects import add_project_argument, project_named


class Command(BaseCommand):
    help = (
        "Import a native export (export_claims --format native), W3C Web Annotations with text-quote "
        "selectors, Hypothesis rows (a search response, its rows or the client's JSON export), or a REFI-QDA "
        "project (.qdpx) or codebook (.qdc). The whole file is checked first; nothing is written unless all "
        "of it can be. Importing the same file again changes nothing. Usernames unknown here become inactive accounts without a "
        "password."
    )

    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import ('-' for standard input)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="import as this moderator")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        add_project_argument(parser, "the project to import into")
        parser.add_argument(
            "--paper",
            help="W3C: the paper the annotations are on, if their source does not say; Hypothesis: the paper of "
            "the rows whose uri names no paper here",
        )
        parser.add_argument(
            "--unplaced",
            choices=["refuse", "skip"],
            default="refuse",
            help="Hypothesis: skip the rows that cannot be placed (listed) instead of refusing the file",
        )
        parser.add_argument(
            "--unknown-tags",
            choices=["propose", "refuse"],
            default="propose",
            help="Hypothesis: a tag the codebook lacks becomes a proposed tag (the default), or refuses its row",
        )

    def handle(self, *args, file, as_user, dry_run, paper, unplaced="refuse", unknown_tags="propose", **options):
        by = None
        if as_user:
            by = User.objects.filter(username=as_user).first()
            if by is None:
                raise CommandError(f"There is no user {as_user!r}.")
        raw = None if file == "-" else self._bytes(file)
        try:
            if raw is not None and is_exchange_file(raw):
                document = raw  # a REFI-QDA .qdpx (zip) or .qdc (XML)
            else:
                text = options.get("stdin", sys.stdin).read() if raw is None else raw.decode("utf-8-sig")
                document = safejson.loads(text)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read it as JSON ({error}).") from error
        except safejson.UnsafeJSON as error:
            where = f" at {error.path}" if error.path else ""
            raise CommandError(f"{file}: cannot import it{where}: {error} Nothing was imported.") from error
        try:
            report = services.claims_import(
                document=document,
                by=by,
                dry_run=dry_run,
                paper=paper,
                skip_unplaced=unplaced == "skip",
                propose_tags=unknown_tags == "propose",
                project=project_named(options.get("project", "")),
            )
        except ImportRefused as refused:
            lines = [
                f"{path or '(file)'}: {message}" for path, messages in refused.problems.items() for message in messages
            ]
            raise CommandError(f"Nothing was imported; {len(lines)} problems:\n" + "\n".join(lines)) from refused
        except services.PermissionDenied as error:
            raise CommandError(str(error)) from error
        skipped = report.pop("skipped", [])
        proposed = report.pop("proposed_tags", [])
        summary = "; ".join(
            f"{kind}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
            for kind, counts in report.items()
        )
        verb = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb}. {summary}"))
        if proposed:
            self.stdout.write(f"Proposed tags (for a moderator to accept, merge or reject): {', '.join(proposed)}")
        for line in skipped:
            self.stdout.write(f"Skipped: {line}")

    @staticmethod
    def _bytes(file: str) -> bytes:
        try:
            return Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read it ({error}).") from error
