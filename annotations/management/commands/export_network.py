"""manage.py export_network --kind author-tag|congruence|conflict [--format graphml|csv] [--by ...] [-o FILE]."""

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from ... import discourse, selectors
from ...api.filters import ClaimFilter
from ...exports import discourse as presenters
from ...models import Link

FILTERS = ("paper", "author", "speaker", "tag", "stance", "status")


class Command(BaseCommand):
    help = (
        "Write a discourse network (as GET /api/v1/export/network/KIND.FORMAT does) of every claim not deleted, "
        "or of those the filters select (e.g. --status approved)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=discourse.NETWORKS)
        parser.add_argument("--format", default="graphml", choices=sorted(presenters.CONTENT_TYPES), dest="fmt")
        parser.add_argument(
            "--by", default="author", choices=discourse.BY, help="who the actors are (see the API docs)"
        )
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        for name in FILTERS:
            parser.add_argument(f"--{name}", help=f"only claims with this {name}, as the claims/ filter takes it")

    def handle(self, *args, kind, fmt, by, output, **options):
        params = QueryDict(mutable=True)
        for name in FILTERS:
            if options.get(name):
                params[name] = options[name]
        filtered = ClaimFilter(params, queryset=selectors.claims_alive())
        try:
            if not filtered.is_valid():
                raise CommandError(
                    "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filtered.errors.items())
                )
            claims = filtered.qs
            rows, links = selectors.discourse_rows(claims, selectors.links_alive(), relations=[Link.Relation.CONFLICTS])
        except ValidationError as error:
            raise CommandError(str(error.detail)) from error
        data = presenters.render(discourse.network(kind, rows, links, selectors.codebook_rows(), by), fmt)
        if output:
            with open(output, "wb") as out:
                out.write(data)
            self.stderr.write(f"Wrote {kind} network ({fmt}, by {by}) to {output}")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
