"""The corpus (authors, papers), the codebook (tags), and what analysts make of it (claims, links)."""

import functools
import hashlib
import uuid

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from simple_history import register
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from projects.models import default_project_id

from .textrules import refuse_control_characters

# Forms built on these models (the admin's) refuse control characters too; services and import check the rest.
plain_text = [refuse_control_characters]


class Role(models.TextChoices):
    READER = "reader", "Reader"
    ANALYST = "analyst", "Analyst"
    MODERATOR = "moderator", "Moderator"


class User(AbstractUser):
    """An account; its role is the auth group it belongs to (see the roles data migration)."""

    @property
    def role(self) -> str | None:
        if self.is_superuser:
            return Role.MODERATOR
        names = {group.name for group in self.groups.all()}
        for role in (Role.MODERATOR, Role.ANALYST, Role.READER):
            if role.value in names:
                return role.value
        return None


class Author(models.Model):
    """A person or body credited with a paper of a project."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="authors", default=default_project_id
    )
    name = models.CharField(max_length=200, validators=plain_text)
    affiliation = models.CharField(max_length=300, blank=True, validators=plain_text)
    country = models.CharField(max_length=100, blank=True, db_index=True, validators=plain_text)
    note = models.CharField(max_length=300, blank=True, validators=plain_text)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="author_name_unique_in_project")]

    def __str__(self) -> str:
        return self.name


def source_file_path(paper: "Paper", filename: str) -> str:
    """Where an uploaded original is kept: by project and by the text's hash, under its own (sanitised) name."""
    project = paper.project.slug if paper.project_id else "unknown"
    return f"papers/{project}/{paper.text_sha256[:16]}/{filename}"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Paper(models.Model):
    """One text of the corpus, stored verbatim; every offset is a code point into `text`."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="papers", default=default_project_id
    )
    # Unique across projects: `/api/v1/papers/{slug}/` and the reader's URL name a paper by its slug alone.
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=500, validators=plain_text)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    year_note = models.CharField(max_length=300, blank=True, validators=plain_text)
    venue = models.CharField(max_length=500, blank=True, validators=plain_text)
    # Where the paper is published, when known: its stable identifier in every export (see identifiers.py).
    doi = models.CharField(  # noqa: DJ001 - NULL: not known; many papers may have none in one project
        max_length=200, null=True, blank=True, help_text="e.g. 10.1000/xyz123"
    )
    # A CharField with the URL rule rather than a URLField, whose form field warns of Django 6's https default.
    url = models.CharField(  # noqa: DJ001 - NULL: not known, as doi
        max_length=500, null=True, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    authors = models.ManyToManyField(Author, through="PaperAuthor", related_name="papers")
    text = models.TextField(validators=plain_text)
    text_sha256 = models.CharField(max_length=64, editable=False)
    # Each page's [start, end) range of code points into `text` (contiguous, covering it), for a text
    # extracted from a PDF; empty for a text without pages. See annotations.pages.
    pages = models.JSONField(default=list, blank=True)
    # The file the text was extracted from, when it was uploaded (Django's default storage: MEDIA_ROOT, or a
    # bucket; see docs/uploads.md).
    source_file = models.FileField(upload_to=source_file_path, max_length=500, blank=True)
    language = models.CharField(max_length=35, blank=True, validators=plain_text, help_text="e.g. en, ru, zh-Hans")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        constraints = [models.UniqueConstraint(fields=["project", "doi"], name="paper_doi_unique_in_project")]

    def __str__(self) -> str:
        return self.slug

    def save(self, *args, **kwargs):
        self.text_sha256 = text_sha256(self.text)
        super().save(*args, **kwargs)


class PaperAuthor(models.Model):
    """An author's place in a paper's byline."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="byline_position_unique"),
            models.UniqueConstraint(fields=["paper", "author"], name="byline_author_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.paper.slug} #{self.position}: {self.author.name}"


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")


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

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="tag_not_own_parent"),
            models.UniqueConstraint(fields=["project", "slug"], name="tag_slug_unique_in_project"),
        ]

    def __str__(self) -> str:
        return self.slug


class Stance(models.TextChoices):
    AFFIRMS = "affirms", "affirms"
    DENIES = "denies", "denies"
    QUALIFIES = "qualifies", "qualifies"


class Status(models.TextChoices):
    PENDING = "pending", "pending"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"
    ORPHANED = "orphaned", "orphaned"


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
    # Re-anchoring by paper revisions (issue 7).
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


# Tags and papers are defined before HistoryEntry, so their history is registered here (as `Tag.history`,
# `Paper.history`). A paper's rows keep its metadata and text_sha256, not the text (often hundreds of
# kilobytes, and each replaced text is kept verbatim by its PaperRevision) nor its page ranges (read from it).
register(Tag, bases=[HistoryEntry], history_manager=HistoryManagerBuiltOnce)
register(Paper, bases=[HistoryEntry], excluded_fields=["text", "pages"], history_manager=HistoryManagerBuiltOnce)
