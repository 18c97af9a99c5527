"""A stance for each tag: Claim.tags goes through Coding(claim, tag, stance); every existing tag takes its
claim's stance, and so does every tag of the history (its historical row's stance).

Django cannot add `through=` to an existing many-to-many field, so the codings are new tables: they are
filled from the old ones, then the old ones are dropped. The constraints of Coding are created with its
table, before the rows are copied (PostgreSQL refuses to alter a table with pending deferred checks).
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models

BATCH = 2000
STANCES = ["affirms", "denies", "qualifies"]
STANCE_CHOICES = [("affirms", "affirms"), ("denies", "denies"), ("qualifies", "qualifies")]


def _copy(rows, model, make) -> None:
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(make(row))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def copy_stances(apps, schema_editor) -> None:
    """Each tag of a claim becomes a coding with the claim's stance; each historical tag row likewise takes
    the stance of the historical claim row it belongs to."""
    Claim = apps.get_model("annotations", "Claim")
    Coding = apps.get_model("annotations", "Coding")
    OldTagging = Claim._meta.get_field("tags").remote_field.through
    _copy(
        OldTagging.objects.order_by("id").values_list("claim_id", "tag_id", "claim__stance"),
        Coding,
        lambda row: Coding(claim_id=row[0], tag_id=row[1], stance=row[2]),
    )
    OldHistorical = apps.get_model("annotations", "HistoricalClaim_tags")
    HistoricalCoding = apps.get_model("annotations", "HistoricalCoding")
    _copy(
        OldHistorical.objects.order_by("m2m_history_id").values_list(
            "id", "claim_id", "tag_id", "history_id", "history__stance"
        ),
        HistoricalCoding,
        # A historical row whose claim row is gone (it never is, but the tables have no constraints) affirms.
        lambda row: HistoricalCoding(
            id=row[0], claim_id=row[1], tag_id=row[2], history_id=row[3], stance=row[4] or "affirms"
        ),
    )


def drop_stances(apps, schema_editor) -> None:
    """Back to one stance per claim: the tags are kept, their own stances are lost."""
    Claim = apps.get_model("annotations", "Claim")
    Coding = apps.get_model("annotations", "Coding")
    OldTagging = Claim._meta.get_field("tags").remote_field.through
    _copy(
        Coding.objects.order_by("id").values_list("claim_id", "tag_id"),
        OldTagging,
        lambda row: OldTagging(claim_id=row[0], tag_id=row[1]),
    )
    OldHistorical = apps.get_model("annotations", "HistoricalClaim_tags")
    HistoricalCoding = apps.get_model("annotations", "HistoricalCoding")
    _copy(
        HistoricalCoding.objects.order_by("m2m_history_id").values_list("id", "claim_id", "tag_id", "history_id"),
        OldHistorical,
        lambda row: OldHistorical(id=row[0], claim_id=row[1], tag_id=row[2], history_id=row[3]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_history_action_reanchored"),
    ]

    operations = [
        migrations.CreateModel(
            name="Coding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stance", models.CharField(choices=STANCE_CHOICES, max_length=10)),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="codings", to="annotations.claim"
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="codings", to="annotations.tag"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("claim", "tag"), name="coding_claim_tag_unique"),
                    models.CheckConstraint(condition=models.Q(("stance__in", STANCES)), name="coding_stance_known"),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCoding",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("stance", models.CharField(choices=STANCE_CHOICES, max_length=10)),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="annotations.claim",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="annotations.historicalclaim",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="annotations.tag",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalCoding",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(copy_stances, drop_stances, elidable=False),
        migrations.RemoveField(model_name="claim", name="tags"),
        migrations.AddField(
            model_name="claim",
            name="tags",
            field=models.ManyToManyField(
                blank=True, related_name="claims", through="annotations.Coding", to="annotations.tag"
            ),
        ),
        migrations.DeleteModel(name="HistoricalClaim_tags"),
    ]
