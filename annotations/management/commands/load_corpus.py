"""manage.py load_corpus [PATH ...]: the shipped papers and codebook, plus any further papers given."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ... import corpus, roles, services
from ...models import User
from ..projects import add_project_argument, project_named


class Command(BaseCommand):
    help = (
        "Load the five shipped papers and the starter codebook (idempotent). Further papers may be given as "
        "corpus .json files (like fixtures/corpus.json) or as .txt/.md files, whose metadata comes from a "
        "sidecar NAME.json or from the options below."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="corpus .json files or .txt/.md papers")
        parser.add_argument("--no-shipped", action="store_true", help="load only the paths given")
        add_project_argument(parser, "the project to load the papers and codebook into")
        parser.add_argument("--codebook", help="a codebook .json file (default: the shipped one)")
        parser.add_argument("--slug", help="slug for a single .txt/.md paper (default: its file name)")
        parser.add_argument("--title", help="title for a single .txt/.md paper (default: its first line)")
        parser.add_argument("--year", type=int)
        parser.add_argument("--venue")
        parser.add_argument(
            "--author",
            action="append",
            default=[],
            metavar="NAME[|AFFILIATION[|COUNTRY]]",
            help="an author of a single .txt/.md paper (repeat for several, in order)",
        )
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="the moderator to whom revisions of changed texts are attributed "
            f"(default: the inactive system user {services.SYSTEM_REVISER!r})",
        )

    def handle(self, *args, **options):
        project = project_named(options.get("project", ""))
        revised_by = self._reviser(options["by"], project) if options["by"] else None
        try:
            papers, tags = self._specs(options)
            report = services.corpus_load(papers=papers, tags=tags, revised_by=revised_by, project=project)
        except corpus.CorpusError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for revision in report.revisions:
            self.stdout.write(
                f"Revised the text of {revision.paper.slug} (revision {revision.number}, by "
                f"{revision.created_by.username}): {revision.report_line()}."
            )
        self.stdout.write(self.style.SUCCESS(f"Corpus loaded. {report}"))

    @staticmethod
    def _reviser(username: str, project) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--by: no user {username!r}.")
        if not roles.can_moderate(user, project):
            raise CommandError(f"--by: {username!r} is not an active moderator; only moderators revise texts.")
        return user

    def _specs(self, options):
        papers, tags = [], []
        if not options["no_shipped"]:
            papers.extend(corpus.papers_from_corpus_file(corpus.SHIPPED_CORPUS))
            tags.extend(corpus.tags_from_codebook_file(corpus.SHIPPED_CODEBOOK))
        if options["codebook"]:
            tags.extend(corpus.tags_from_codebook_file(Path(options["codebook"])))
        text_files = [Path(p) for p in options["paths"] if not p.lower().endswith(".json")]
        single = {
            "slug": options["slug"],
            "title": options["title"],
            "year": options["year"],
            "venue": options["venue"],
            "authors": [self._author(value) for value in options["author"]],
        }
        if len(text_files) > 1 and any(value for value in single.values()):
            raise CommandError(
                "--slug, --title, --year, --venue and --author describe one paper: give one .txt/.md file with them."
            )
        for path in options["paths"]:
            if path.lower().endswith(".json"):
                papers.extend(corpus.papers_from_corpus_file(Path(path)))
            else:
                papers.append(corpus.paper_from_text_file(Path(path), single))
        slugs = [paper.slug for paper in papers]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise CommandError(f"These slugs are given more than once: {', '.join(repeated)}")
        return papers, tags

    @staticmethod
    def _author(value: str) -> dict:
        name, affiliation, country = ([*value.split("|"), "", ""])[:3]
        return {"name": name.strip(), "affiliation": affiliation.strip(), "country": country.strip()}
