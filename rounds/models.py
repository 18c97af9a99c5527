"""Independent coding: a coding round puts a project (or one paper of it) in independent mode, where analysts see
only their own claims and links until an owner closes the round; assignments say who codes which paper."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from projects.models import Project, ProjectHistoryEntry


class CodingRound(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coding_rounds")
    # Empty: every paper of the project, those added while the round is open included.
    paper = models.ForeignKey(
        "annotations.Paper", null=True, blank=True, on_delete=models.CASCADE, related_name="coding_rounds"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(bases=[ProjectHistoryEntry])

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(closed_at__isnull=True, paper__isnull=True),
                name="round_one_open_per_project",
            ),
            models.UniqueConstraint(
                fields=["project", "paper"], condition=Q(closed_at__isnull=True), name="round_one_open_per_paper"
            ),
        ]
        indexes = [models.Index(fields=["project", "closed_at"], name="round_open_by_project")]

    def __str__(self) -> str:
        scope = self.paper.slug if self.paper_id else "every paper"
        return f"{self.project.slug}: {scope} ({'open' if self.is_open else 'closed'})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Assignment(models.Model):
    """One analyst to code one paper in a round; `done_at` is set when the analyst marks the paper done."""

    coding_round = models.ForeignKey(CodingRound, on_delete=models.CASCADE, related_name="assignments")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    paper = models.ForeignKey("annotations.Paper", on_delete=models.CASCADE, related_name="assignments")
    done_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(bases=[ProjectHistoryEntry])

    class Meta:
        ordering = ["coding_round", "analyst", "paper"]
        constraints = [
            models.UniqueConstraint(fields=["coding_round", "analyst", "paper"], name="assignment_one_per_paper")
        ]

    def __str__(self) -> str:
        return f"{self.analyst} codes {self.paper.slug}"
