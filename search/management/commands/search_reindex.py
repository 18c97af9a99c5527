"""Write the search index again: every paper of a project (or of all projects), its passages and claims.

The services keep the index in step; this is for data written around them (a shell, a restore of a dump taken
without the index) and costs a few seconds per thousand passages."""

from django.core.management.base import BaseCommand, CommandError

from annotations.models import Paper
from projects.models import Project
from search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index of a project's papers and claims (all projects when --project is left out)."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="The project's slug.")

    def handle(self, *args, project=None, **options):
        papers = Paper.objects.all()
        if project:
            found = Project.objects.filter(slug=project).first()
            if found is None:
                raise CommandError(f"No project {project!r}.")
            papers = papers.filter(project=found)
        ids = list(papers.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 50):
            indexing.papers_indexed(ids[start : start + 50])
        self.stdout.write(f"Indexed {len(ids)} papers.")
