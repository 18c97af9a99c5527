"""A paper's text revisions and what each did to the claims on it (see annotations.reanchoring)."""

from django.db import models

from .corpus import Paper


class PaperRevision(models.Model):
    """One replacement of a paper's text: the replaced text, kept verbatim, and what became of its claims.

    The counts are the revision's report; `details` lists the claims a moderator should look at (moved
    fuzzily or orphaned): {"claim", "outcome", "score", "from": [start, end], "to": [start, end] | null}.
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the paper's first revision, then 2, 3, ...")
    old_text = models.TextField(help_text="The text this revision replaced, verbatim.")
    old_text_sha256 = models.CharField(max_length=64)
    new_text_sha256 = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    kept = models.PositiveIntegerField(default=0)
    moved_exact = models.PositiveIntegerField(default=0)
    moved_fuzzy = models.PositiveIntegerField(default=0)
    orphaned = models.PositiveIntegerField(default=0)
    already_orphaned = models.PositiveIntegerField(
        default=0, help_text="Claims orphaned by an earlier revision, left as they were."
    )
    details = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.paper} revision {self.number}"

    @property
    def report(self) -> dict[str, int]:
        return {
            "kept": self.kept,
            "moved_exact": self.moved_exact,
            "moved_fuzzy": self.moved_fuzzy,
            "orphaned": self.orphaned,
            "already_orphaned": self.already_orphaned,
        }

    def report_line(self) -> str:
        return (
            f"{self.kept} kept, {self.moved_exact} moved exactly, {self.moved_fuzzy} moved fuzzily, "
            f"{self.orphaned} orphaned"
            + (f" ({self.already_orphaned} already orphaned, left as they were)" if self.already_orphaned else "")
        )
