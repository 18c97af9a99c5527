"""Two claims carry at most one live link (neither deleted nor rejected), whatever its relation and direction.

Before the constraint can hold, pairs that already carry several live links keep their oldest; the others are
rejected (not deleted: they stay visible to moderators, with the reason, and can be approved again once the
pair's live link is changed or deleted).
"""

import django.db.models.functions.comparison
from django.db import migrations, models
from django.utils import timezone

SET_ASIDE_REASON = (
    "Set aside when two claims came to carry at most one live link: an older live link joins the same claims."
)


def reject_extra_live_links(apps, schema_editor):
    Link = apps.get_model("annotations", "Link")
    HistoricalLink = apps.get_model("annotations", "HistoricalLink")
    kept: set[frozenset] = set()
    now = timezone.now()
    live = Link.objects.filter(deleted_at__isnull=True).exclude(status="rejected").order_by("created_at", "id")
    for link in live.iterator():
        pair = frozenset((link.source_id, link.target_id))
        if pair not in kept:
            kept.add(pair)
            continue
        link.status, link.moderation_reason, link.moderated_at = "rejected", SET_ASIDE_REASON, now
        link.version += 1
        link.save(update_fields=["status", "moderation_reason", "moderated_at", "version", "updated_at"])
        fields = {field.attname: getattr(link, field.attname) for field in Link._meta.fields}
        HistoricalLink.objects.create(
            **fields,
            history_date=now,
            history_type="~",
            history_action="rejected",
            history_change_reason=SET_ASIDE_REASON,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0009_notes_stored_as_typed"),
    ]

    operations = [
        migrations.RunPython(reject_extra_live_links, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="link",
            name="link_unique_relation",
        ),
        migrations.AddConstraint(
            model_name="link",
            constraint=models.UniqueConstraint(
                django.db.models.functions.comparison.Least("source", "target"),
                django.db.models.functions.comparison.Greatest("source", "target"),
                condition=models.Q(("deleted_at__isnull", True), models.Q(("status", "rejected"), _negated=True)),
                name="link_one_live_per_pair",
            ),
        ),
    ]
