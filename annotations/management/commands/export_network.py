"""manage.py export_network --kind author-tag|congruence|conflict [--format graphml|csv] [--by ...] [-o FILE]."""

from django.core.management.base import BaseCommand, CommandError

from ... import discourse, exporting
from ...errors import ValidationError
from ...exports import discourse as presenters
from ..projects import add_project_argument, project_named
from .export_claims import _message

FILTERS = ("paper", "author", "speaker", "tag", "stance", "status")


class Command(BaseCommand):
    help = (
        "Write a discourse network (as GET /api/v1/export/network/KIND.FORMAT does) of every claim counted, "
        "or of those the filters select (e.g. --paper masuda-2010). It counts approved claims and links; "
        "--include pending adds the pending ones; rejected and orphaned ones never count."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=discourse.NETWORKS)
        parser.add_argument("--format", default="graphml", choices=sorted(presenters.CONTENT_TYPES), dest="fmt")
        parser.add_argument(
            "--by", default="author", choices=discourse.BY, help="who the actors are (see the API docs)"
        )
        parser.add_argument("--include", choices=["pending"], help="also count pending claims and links")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        add_project_argument(parser, "the project whose claims make the network")
        for name in FILTERS:
            parser.add_argument(f"--{name}", help=f"only claims with this {name}, as the claims/ filter takes it")

    def handle(self, *args, kind, fmt, by, output, **options):
        params = {name: options[name] for name in (*FILTERS, "include") if options.get(name)}
        project = project_named(options.get("project", ""))
        try:
            data = exporting.network_document(params, kind=kind, fmt=fmt, by=by, project=project)
        except ValidationError as error:
            raise CommandError(_message(error)) from error
        if output:
            with open(output, "wb") as out:
                out.write(data)
            self.stderr.write(f"Wrote {kind} network ({fmt}, by {by}) to {output}")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
