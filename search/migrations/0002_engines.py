"""The full-text index of each database over search_searchentry (see search/engines.py), then the entries of
the papers and claims already stored."""

from django.db import migrations

from search import engines
from search.passages import passages

CLAIM_FIELDS = ("exact", "statement", "note", "speaker")


def create_engine(apps, schema_editor):
    statements = {"sqlite": engines.SQLITE_CREATE, "postgresql": engines.POSTGRESQL_CREATE}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_engine(apps, schema_editor):
    statements = {"sqlite": engines.SQLITE_DROP, "postgresql": engines.POSTGRESQL_DROP}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def index_existing(apps, schema_editor):
    """The historical models' copy of search.indexing (a migration cannot call the live code's models)."""
    Paper = apps.get_model("annotations", "Paper")
    Claim = apps.get_model("annotations", "Claim")
    SearchEntry = apps.get_model("search", "SearchEntry")
    projects = {}
    for paper in Paper.objects.only("id", "project_id", "text").iterator(chunk_size=20):
        projects[paper.id] = paper.project_id
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(project_id=paper.project_id, paper_id=paper.id, start=s, end=e, text=paper.text[s:e])
                for s, e in passages(paper.text)
            ],
            batch_size=500,
        )
    claims = Claim.objects.only("id", "paper_id", "start", "end", *CLAIM_FIELDS).iterator(chunk_size=500)
    batch = []
    for claim in claims:
        text = "\n".join(getattr(claim, name) for name in CLAIM_FIELDS)
        batch.append(
            SearchEntry(
                project_id=projects[claim.paper_id],
                paper_id=claim.paper_id,
                claim_id=claim.id,
                start=claim.start,
                end=claim.end,
                text=text,
            )
        )
        if len(batch) == 500:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(create_engine, drop_engine),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
