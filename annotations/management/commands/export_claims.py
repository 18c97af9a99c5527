"""manage.py export_claims: what the export endpoints give, written to a file or stdout as it is produced."""

from django.core.management.base import BaseCommand, CommandError
from rest_framework.exceptions import ValidationError

from ... import exporting
from ...exports import FORMATS

DEFAULT_BASE_URL = "http://localhost:8000/"


class ShellModerator:
    """The shell is trusted: its exports show what a moderator sees (roles ask only for these)."""

    pk = None
    username = "shell"
    is_active = True
    is_authenticated = True

    def has_perm(self, perm, obj=None) -> bool:
        return True


class Command(BaseCommand):
    help = (
        "Export the claims (as a moderator sees them) in one of the exchange formats. Filters as in the API: "
        "--paper, --author, --speaker, --tag, --stance, --status, --created-by, --q."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="native")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        for name in ("paper", "author", "speaker", "tag", "stance", "status", "created-by", "q"):
            parser.add_argument(f"--{name}")
        parser.add_argument("--include-deleted", action="store_true", help="also soft-deleted claims and links")
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="where the app is served (W3C ids of papers)")

    def handle(self, *args, **options):
        params = {
            name: options[name.replace("-", "_")]
            for name in ("paper", "author", "speaker", "tag", "stance", "status", "q")
            if options[name]
        }
        if options["created_by"]:
            params["created_by"] = options["created_by"]
        user = _shell_moderator()
        try:
            export = exporting.export_set(user, params, include_deleted=options["include_deleted"])
            chunks = self._chunks(options["format"], export, options["base_url"])
        except ValidationError as error:
            raise CommandError(_message(error.detail)) from error
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                for chunk in chunks:
                    out.write(chunk)
            self.stderr.write(self.style.SUCCESS(f"Wrote {options['output']} ({options['format']})."))
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            self.stdout.flush()

    @staticmethod
    def _chunks(name: str, export: exporting.ExportSet, base_url: str):
        if name == "w3c":
            # One document: the whole collection in its one embedded page, however large.
            return exporting.w3c_chunks(
                export,
                base_url=base_url,
                collection_id=f"{base_url.rstrip('/')}/api/v1/export/w3c.jsonld",
                page_size=max(1, export.claims.count() + export.links.count()),
            )
        return {
            "native": exporting.native_chunks,
            "aif": exporting.aif_chunks,
            "graphml": exporting.graphml_chunks,
            "csv": exporting.csv_chunks,
        }[name](export)


def _shell_moderator() -> ShellModerator:
    return ShellModerator()


def _message(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {' '.join(str(m) for m in value)}" for key, value in detail.items())
    return str(detail)
