"""What analysts make of the corpus: claims (with their codings) and the links between them, both moderated."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least

from .codebook import Tag
from .corpus import Paper
from .history import claim_history, link_history


class Stance(models.TextChoices):
    AFFIRMS = "affirms", "affirms"
    DENIES = "denies", "denies"
    QUALIFIES = "qualifies", "qualifies"


class Status(models.TextChoices):
    PENDING = "pending", "pending"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"
    ORPHANED = "orphaned", "orphaned"


class Moderated(models.Model):
    """What claims and links share: moderation, authorship, optimistic locking and soft deletion."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    moderated_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class AnchorState(models.TextChoices):
    """How a claim came to stand where it is (see annotations.reanchoring)."""

    ORIGINAL = "original", "as placed by its analyst"
    EXACT = "exact", "moved by a revision onto the same words"
    FUZZY = "fuzzy", "moved by a revision onto similar words"
    ORPHANED = "orphaned", "set aside by a revision: no place found"
    MANUAL = "manual", "placed again by hand by a moderator"


class Coding(models.Model):
    """One tag of one claim, with the stance the claim takes on that tag.

    A claim that denies `anti-us` may still affirm `enlargement`: the matrix, the networks and the exports
    read the stance here, not the claim's. Written only by the services (which record the history).
    """

    Stance = Stance

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="codings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="codings")
    stance = models.CharField(max_length=10, choices=Stance.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "tag"], name="coding_claim_tag_unique"),
            # No default: a tag added without a stance is refused instead of silently affirming.
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="coding_stance_known"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.stance} {self.tag_id}"


class Claim(Moderated):
    """One annotated passage of one paper; `start`/`end` are code points into the paper's text.

    An orphaned claim keeps the quote and offsets it had on the text its revision replaced (that text is
    `anchor_revision.old_text`), so a moderator can see what it stood on and place it again.
    """

    Stance = Stance
    Status = Status
    AnchorState = AnchorState

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=32, blank=True)
    suffix = models.CharField(max_length=32, blank=True)
    statement = models.TextField()
    # Empty means the paper's authors hold the view (shown as null in the API).
    speaker = models.CharField(max_length=200, blank=True, db_index=True)
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.AFFIRMS)
    # Each tag carries its own stance (see Coding); `stance` is the default for tags given without one.
    tags = models.ManyToManyField(Tag, through=Coding, blank=True, related_name="claims")
    note = models.TextField(blank=True)
    history = claim_history
    # Re-anchoring by paper revisions.
    anchor_state = models.CharField(max_length=10, choices=AnchorState.choices, default=AnchorState.ORIGINAL)
    anchor_score = models.FloatField(
        null=True, blank=True, help_text="Similarity (0-1) of a fuzzy placement, or the best one found for an orphan."
    )
    anchor_revision = models.ForeignKey(
        "PaperRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The last revision that moved or orphaned this claim.",
    )  # fmt: skip
    status_before_orphaned = models.CharField(max_length=10, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["paper", "start", "end", "id"]
        permissions = [("moderate_claim", "Can approve or reject claims and links")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
        ]
        indexes = [
            models.Index(fields=["paper", "start", "end"], name="claim_paper_position"),
            models.Index(fields=["status", "created_at"], name="claim_status_created"),
            models.Index(fields=["created_by", "status"], name="claim_creator_status"),
            models.Index(fields=["stance"], name="claim_stance"),
        ]

    def __str__(self) -> str:
        excerpt = self.exact if len(self.exact) <= 60 else self.exact[:57] + "..."
        return f"{self.paper_id}:{self.start}-{self.end} {excerpt!r}"


class Link(Moderated):
    """A directed relation between two claims; two claims carry at most one live link (see docs/moderation.md)."""

    class Relation(models.TextChoices):
        SUPPORTS = "supports", "supports"
        CONFLICTS = "conflicts", "conflicts"
        RESTATES = "restates", "restates"

    Status = Status

    source = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="links_in")
    relation = models.CharField(max_length=10, choices=Relation.choices)
    rationale = models.TextField(blank=True)
    history = link_history

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="link_not_to_itself"),
            # Two claims carry at most one live link, whatever its relation and direction (services check it
            # first, with a message); a rejected or deleted link stays in the history without blocking a new one.
            models.UniqueConstraint(
                Least("source", "target"),
                Greatest("source", "target"),
                condition=Q(deleted_at__isnull=True) & ~Q(status=Status.REJECTED),
                name="link_one_live_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="link_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.target_id}"
