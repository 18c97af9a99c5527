"""Passage vectors searched by PostgreSQL when the server offers pgvector: creates the `vector` extension and the
table (see suggestions/pgvector.py) only when `pg_available_extensions` lists it; nothing otherwise (the NumPy
path), and nothing on SQLite."""

from django.db import migrations


def install(apps, schema_editor):
    from suggestions import pgvector

    pgvector.install(schema_editor)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS suggestions_passage_embedding")


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0002_claim_vectors")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
