"""The codebook: a project's tags, as a tree, some proposed while coding."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from projects.models import default_project_id

from .history import HistoryEntry, HistoryManagerBuiltOnce
from .validators import colour_validator, plain_text


class TagStatus(models.TextChoices):
    """A tag an analyst proposes while coding is usable at once by them (and moderators); others see it in their
    pick list once a moderator accepts it (see docs/codebook.md)."""

    PROPOSED = "proposed", "proposed"
    ACCEPTED = "accepted", "accepted"


class Tag(models.Model):
    """An entry of the codebook, phrased as a proposition or topic."""

    Status = TagStatus

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="tags", default=default_project_id
    )
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=120, validators=plain_text)
    description = models.CharField(max_length=300, blank=True, validators=plain_text)
    colour = models.CharField(max_length=7, default="#888888", validators=[colour_validator])
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    status = models.CharField(max_length=10, choices=TagStatus.choices, default=TagStatus.ACCEPTED)
    proposed_by = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The analyst who proposed the tag while coding (kept once it is accepted).",
    )  # fmt: skip
    history = HistoricalRecords(bases=[HistoryEntry], history_manager=HistoryManagerBuiltOnce)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="tag_not_own_parent"),
            models.UniqueConstraint(fields=["project", "slug"], name="tag_slug_unique_in_project"),
        ]

    def __str__(self) -> str:
        return self.slug
