"""Create the pgvector table (and the extension) on a server where pgvector was installed after the migrations
ran, and fill it from the stored paper indexes."""

from django.core.management.base import BaseCommand, CommandError

from suggestions import pgvector


class Command(BaseCommand):
    help = "Use pgvector for passage suggestions: create the extension and the table, fill it from stored indexes."

    def handle(self, *args, **options):
        if not pgvector.install():
            raise CommandError("pgvector is not available on this database server (PostgreSQL with pgvector needed).")
        self.stdout.write("pgvector enabled: passage vectors stored in the database.")
