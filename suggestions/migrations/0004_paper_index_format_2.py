"""Stored paper indexes in format 2 (arrays read in place) rather than format 1 (an .npz, whose parsing took most
of a project index's load): the same arrays, repacked, no vector rounded again and no model called. Format 1 is
still read, so this only makes the first build of a process faster; nothing to undo."""

from django.db import migrations


def repack(apps, schema_editor):
    from annotations.suggest.index import repack as repacked

    PaperVectors = apps.get_model("suggestions", "PaperVectors")
    for pk in PaperVectors.objects.order_by("pk").values_list("pk", flat=True):
        data = bytes(PaperVectors.objects.filter(pk=pk).values_list("data", flat=True)[0])
        if data[:2] == b"PK":  # an .npz: format 1
            PaperVectors.objects.filter(pk=pk).update(data=repacked(data))


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0003_pgvector")]

    operations = [migrations.RunPython(repack, migrations.RunPython.noop, elidable=True)]
