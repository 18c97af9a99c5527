"""manage.py export_claims: what the export endpoints give, written to a file or stdout as it is produced."""

from django.core.management.base import BaseCommand, CommandError

from ... import discourse, exporting, exporting_qda
from ...errors import ValidationError, error_detail
from ...exports import FORMATS
from ...exports import discourse as network_formats
from ..projects import add_project_argument, project_named

DEFAULT_BASE_URL = "http://localhost:8000/"
# The zips: written to a file as they are produced (never whole in memory), as the endpoints stream them.
ZIPS = {"qdpx": exporting_qda.qdpx_chunks, "datapackage": exporting_qda.datapackage_chunks}


class ShellModerator:
    """The shell is trusted: its exports show what a moderator sees (roles ask only for these)."""

    pk = None
    username = "shell"
    is_active = True
    is_authenticated = True
    is_superuser = True  # an owner of every project (projects.access.role_in)

    def has_perm(self, perm, obj=None) -> bool:
        return True


class Command(BaseCommand):
    help = (
        "Export the claims (as a moderator sees them) in one of the exchange formats. Filters as in the API: "
        "--paper, --author, --speaker, --tag, --stance, --status, --created-by, --q. With --network KIND, a "
        "discourse network of the claims not deleted instead (--format graphml or csv; as export_network)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=sorted([*FORMATS, *ZIPS]),
            help="default native; qdpx (REFI-QDA project) and datapackage (the data package zip) need -o; with "
            "--network, graphml or csv (default graphml)",
        )
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        for name in ("paper", "author", "speaker", "tag", "stance", "status", "created-by", "q"):
            parser.add_argument(f"--{name}")
        parser.add_argument("--include-deleted", action="store_true", help="also soft-deleted claims and links")
        add_project_argument(parser, "the project to export")
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="where the app is served (W3C ids of papers)")
        parser.add_argument(
            "--network", choices=discourse.NETWORKS,
            help="a discourse network instead of the claims (with --format graphml or csv; default graphml)",
        )  # fmt: skip
        parser.add_argument(
            "--by", choices=discourse.BY, help="with --network: who the actors are (default author; see the API docs)"
        )

    def handle(self, *args, **options):
        if options["network"]:
            self._network(options)
            return
        if options["by"]:
            raise CommandError("--by goes with --network.")
        options["format"] = options["format"] or "native"
        if options["format"] in ZIPS and not options["output"]:
            raise CommandError(f"A {options['format']} export is a zip: give the file to write with -o FILE.")
        params = {
            name: options[name.replace("-", "_")]
            for name in ("paper", "author", "speaker", "tag", "stance", "status", "q")
            if options[name]
        }
        if options["created_by"]:
            params["created_by"] = options["created_by"]
        user = _shell_moderator()
        try:
            project = project_named(options["project"])
            export = exporting.export_set(user, params, project=project, include_deleted=options["include_deleted"])
            chunks = self._chunks(options["format"], export, options["base_url"])
        except ValidationError as error:
            raise CommandError(_message(error)) from error
        if options["format"] in ZIPS:
            with open(options["output"], "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            self.stderr.write(self.style.SUCCESS(f"Wrote {options['output']} ({options['format']})."))
        elif options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                for chunk in chunks:
                    out.write(chunk)
            self.stderr.write(self.style.SUCCESS(f"Wrote {options['output']} ({options['format']})."))
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            self.stdout.flush()

    def _network(self, options) -> None:
        """The discourse network, by the same code as export_network (and GET export/network/KIND.FORMAT)."""
        fmt = options["format"] or "graphml"
        if fmt not in network_formats.CONTENT_TYPES:
            raise CommandError(
                f'A network is written as {" or ".join(sorted(network_formats.CONTENT_TYPES))}, not "{fmt}".'
            )
        if options["include_deleted"]:
            raise CommandError("A network is drawn from the claims not deleted: --include-deleted does not apply.")
        params = {
            name.replace("-", "_"): options[name.replace("-", "_")]
            for name in ("paper", "author", "speaker", "tag", "stance", "status", "created-by", "q")
            if options[name.replace("-", "_")]
        }
        kind, by = options["network"], options["by"] or "author"
        try:
            data = exporting.network_document(
                params, kind=kind, fmt=fmt, by=by, project=project_named(options["project"])
            )
        except ValidationError as error:
            raise CommandError(_message(error)) from error
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data)
            self.stderr.write(self.style.SUCCESS(f"Wrote {options['output']} ({kind} network, {fmt}, by {by})."))
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
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
        if name in ZIPS:
            return ZIPS[name](export)
        return {
            "native": exporting.native_chunks,
            "aif": exporting.aif_chunks,
            "graphml": exporting.graphml_chunks,
            "csv": exporting.csv_chunks,
        }[name](export)


def _shell_moderator() -> ShellModerator:
    return ShellModerator()


def _message(error: ValidationError) -> str:
    return "; ".join(f"{key}: {' '.join(value)}" for key, value in error_detail(error).items())
