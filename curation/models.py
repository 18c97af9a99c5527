"""One curation decision: which analysts' versions of a claim it decided, what it made of them, and from which
version each part of the result came (its provenance). Written only by curation.services."""

from django.conf import settings
from django.db import models


class CurationAction(models.TextChoices):
    ACCEPT = "accept", "one version accepted"
    MERGE = "merge", "versions merged"
    EDIT = "edit", "a version edited"
    REJECT = "reject", "every version rejected"


class Curation(models.Model):
    """A decision on one unit (the analysts' claims aligned on one passage): the versions it decided are
    `versions` (rejected but the one accepted), the approved claim it made or kept is `result` (none for a
    rejection), and `sources` says which version each part of the result came from:
    `{"quote": id, "statement": id, "tags": id, "speaker": id}`, with `"edited": [fields]` for what the curator
    typed instead. The claims keep their own history rows (approved, rejected, created) naming the decision."""

    Action = CurationAction

    paper = models.ForeignKey("annotations.Paper", on_delete=models.PROTECT, related_name="curations")
    action = models.CharField(max_length=10, choices=CurationAction.choices)
    versions = models.ManyToManyField("annotations.Claim", related_name="curated_in")
    result = models.OneToOneField(
        "annotations.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="curation"
    )
    sources = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paper", "at", "id"]

    def __str__(self) -> str:
        return f"{self.paper_id}: {self.action} by {self.by_id}"
