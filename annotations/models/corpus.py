"""The corpus: authors and papers of a project, and the papers' bylines."""

import hashlib

from django.core.validators import URLValidator
from django.db import models
from simple_history.models import HistoricalRecords

from projects.models import default_project_id

from .history import HistoryEntry, HistoryManagerBuiltOnce
from .validators import plain_text


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
    # A paper's history rows keep its metadata and text_sha256, not the text (often hundreds of kilobytes, and each
    # replaced text is kept verbatim by its PaperRevision) nor its page ranges (read from it).
    history = HistoricalRecords(
        bases=[HistoryEntry], excluded_fields=["text", "pages"], history_manager=HistoryManagerBuiltOnce
    )

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
