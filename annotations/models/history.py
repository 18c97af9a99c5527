"""The audit trail's shape: what a history row records and how the historical models are built."""

import functools

from django.db import models
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class HistoryAction(models.TextChoices):
    """What a history row records; services say it, other saves (admin form, shell) are inferred."""

    CREATED = "created", "created"
    EDITED = "edited", "edited"
    DELETED = "deleted", "deleted"
    RESTORED = "restored", "restored"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"
    REOPENED = "reopened", "reopened"
    REANCHORED = "reanchored", "re-anchored by a text revision"
    RESUBMITTED = "resubmitted", "edited after a rejection and sent back to review"
    PLACED = "placed", "placed again by hand by a moderator"
    RETAGGED = "retagged", "tags changed by merging a tag into another"
    MERGED = "merged", "merged into another tag and removed"
    ACCEPTED = "accepted", "a proposed tag accepted into the codebook"
    REVISED = "revised", "text replaced by a revision"


class HistoryEntry(models.Model):
    """Added to the historical models of claims, links, tags and papers: the action each row records."""

    history_action = models.CharField(max_length=12, choices=HistoryAction.choices, default=HistoryAction.EDITED)

    class Meta:
        abstract = True


class HistoryManagerBuiltOnce(HistoryManager):
    """Its class is built once per queryset class: `Claim.history` built it on every access (each history row)."""

    from_queryset = classmethod(functools.cache(HistoryManager.from_queryset.__func__))


class ClaimHistoricalRecords(HistoricalRecords):
    """A claim's history row copies its codings. A service that has just written them hands them over
    (`_codings_written`, see history.record), so they are copied from there instead of read back."""

    def create_historical_record_m2ms(self, history_instance, instance):
        written = getattr(instance, "_codings_written", None)
        if written is None:
            return super().create_historical_record_m2ms(history_instance, instance)
        for field in history_instance._history_m2m_fields:
            rows = self.m2m_models[field]
            rows.objects.bulk_create(
                rows(history=history_instance, id=c.pk, claim_id=c.claim_id, tag_id=c.tag_id, stance=c.stance)
                for c in written
            )
        return None


# Kept as names so that services can write one history row per command (see annotations.history).
claim_history = ClaimHistoricalRecords(
    bases=[HistoryEntry], m2m_fields=["tags"], history_manager=HistoryManagerBuiltOnce
)
link_history = HistoricalRecords(bases=[HistoryEntry], history_manager=HistoryManagerBuiltOnce)
