"""manage.py index_papers [--project SLUG] [--force]: compute the stored suggestion index of existing papers."""

from django.core.management.base import BaseCommand, CommandError

from annotations.management.projects import project_named
from annotations.models import Paper
from annotations.suggest import ModelUnavailable

from ...indexing import current_encoder, papers_index


class Command(BaseCommand):
    help = (
        "Index papers for passage suggestions (passages, their terms, sentence vectors), each once per text "
        "version and encoder: papers whose stored index is current are skipped unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", metavar="SLUG", default="", help="only this project's papers (default: all)")
        parser.add_argument("--force", action="store_true", help="recompute even the indexes that are current")

    def handle(self, *args, **options):
        papers = Paper.objects.order_by("project_id", "slug")
        if options["project"]:
            papers = papers.filter(project=project_named(options["project"]))
        total = papers.count()
        encoder = current_encoder()
        self.stdout.write(f"{total} papers, encoder {encoder.name}.")
        position = 0

        def progress(paper, computed: bool, seconds: float) -> None:
            nonlocal position
            position += 1
            outcome = f"indexed in {seconds:.1f} s" if computed else "current"
            self.stdout.write(f"[{position}/{total}] {paper.slug}: {outcome}")

        try:
            computed = papers_index(papers.iterator(chunk_size=20), force=options["force"], progress=progress)
        except ModelUnavailable as error:
            raise CommandError(f"The encoder is not installed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Indexed {computed} of {total} papers."))
