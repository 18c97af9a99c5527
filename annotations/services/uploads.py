"""Papers uploaded from the browser, in two steps: extract (the text and its pages, for the analyst to review;
nothing stored) and upload (the reviewed text saved with its metadata, authors and original file, in one
transaction with a history row). Owners and moderators of the project only; never into an archived project."""

import re
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from projects.access import can_moderate, ensure_writable
from projects.models import Project
from search import indexing as search_index
from suggestions.indexing import paper_index_soon

from .. import history
from ..errors import DuplicatePaper, PermissionDenied, ValidationError
from ..extraction import Extracted, ExtractionError, Limits, extract
from ..models import Author, HistoryAction, Paper, User, text_sha256
from ..pages import remap_pages
from ..textrules import check_fields
from .bylines import AuthorIn, authors_by_name, byline_write
from .corpus import _paper_locators
from .revisions import normalize_text

SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
SLUG_LENGTH = Paper._meta.get_field("slug").max_length


def upload_limits() -> Limits:
    return Limits(
        max_bytes=settings.UPLOAD_MAX_SIZE,
        max_pages=settings.UPLOAD_MAX_PAGES,
        max_text=settings.UPLOAD_MAX_TEXT,
        max_unzipped=max(settings.UPLOAD_MAX_SIZE * 4, 200 * 1024 * 1024),
    )


def _ensure_can_upload(by: User, project: Project) -> None:
    if not can_moderate(by, project):
        raise PermissionDenied("Only owners and moderators of the project can upload papers.")
    ensure_writable(project)


def _extracted(data: bytes, name: str) -> Extracted:
    try:
        return extract(data, name, upload_limits())
    except ExtractionError as error:
        raise ValidationError({"file": [error.message]}, code=error.code) from error


def paper_extract(*, project: Project, by: User, data: bytes, name: str) -> Extracted:
    """The text (and pages) the file would give, for review; nothing is stored."""
    _ensure_can_upload(by, project)
    return _extracted(data, name)


def reviewed_text(extracted: Extracted, text: str | None) -> tuple[str, list[list[int]]]:
    """The text to store and its pages: the extracted ones, or the analyst's corrected text with the page
    ranges carried onto it through the diff (pages.remap_pages)."""
    if text is None:
        return extracted.text, extracted.pages
    text = normalize_text(text)
    check_fields({"text": text})
    if not text.strip():
        raise ValidationError({"text": ["The reviewed text is empty."]})
    if len(text) > settings.UPLOAD_MAX_TEXT:
        raise ValidationError({"text": [f"The text has more than {settings.UPLOAD_MAX_TEXT} characters."]})
    return text, remap_pages(extracted.text, text, extracted.pages)


def _free_slug(wanted: str, title: str) -> str:
    """The slug given (refused if taken), else one made from the title, with -2, -3... until it is free
    (slugs are unique across projects)."""
    if wanted:
        if not SLUG_PATTERN.match(wanted) or len(wanted) > SLUG_LENGTH:
            raise ValidationError({"slug": ["A slug holds only letters, digits, '-' and '_' (at most 100)."]})
        if Paper.objects.filter(slug=wanted).exists():
            raise ValidationError({"slug": [f"The slug {wanted!r} is taken: choose another or leave it empty."]})
        return wanted
    base = slugify(title)[: SLUG_LENGTH - 6].strip("-") or "paper"
    taken = set(Paper.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _authors(project: Project, authors: Sequence[AuthorIn]) -> list[Author]:
    names = [author.name.strip() for author in authors]
    if any(not name for name in names):
        raise ValidationError({"authors": ["Every author needs a name."]})
    if len(set(names)) != len(names):
        raise ValidationError({"authors": ["An author is named twice."]})
    given = [
        AuthorIn(name, spec.affiliation.strip(), spec.country.strip())
        for spec, name in zip(authors, names, strict=True)
    ]
    return authors_by_name(project, given, update=False)


@transaction.atomic
def paper_upload(
    *,
    project: Project,
    by: User,
    data: bytes,
    name: str,
    title: str,
    text: str | None = None,
    slug: str = "",
    authors: Sequence[AuthorIn] = (),
    year: int | None = None,
    venue: str = "",
    doi: str | None = None,
    url: str | None = None,
    language: str = "",
) -> Paper:
    """Extract the file again (the server decides what it holds), store the reviewed `text` (the extracted one
    when None) verbatim with its SHA-256 and pages, the metadata and authors, and keep the original file.
    The same text twice in one project is refused (DuplicatePaper) with the existing paper."""
    _ensure_can_upload(by, project)
    # Uploads into one project are serialized, so that two copies of one text cannot both pass the check.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    extracted = _extracted(data, name)
    stored, pages = reviewed_text(extracted, text)
    check_fields({"title": title, "venue": venue, "language": language})
    if not title.strip():
        raise ValidationError({"title": ["Give the paper's title."]})
    sha = text_sha256(stored)
    duplicate = Paper.objects.filter(project=project, text_sha256=sha).values_list("slug", flat=True).first()
    if duplicate:
        raise DuplicatePaper(duplicate)
    paper = Paper(
        project=project, slug=_free_slug(slug.strip(), title), title=title.strip(), year=year, venue=venue.strip(),
        doi=doi, url=url, language=language.strip(), text=stored, pages=pages, text_sha256=sha,
    )  # fmt: skip
    _paper_locators(paper)
    if paper.doi and Paper.objects.filter(project=project, doi=paper.doi).exists():
        raise ValidationError({"doi": [f"A paper of this project already has the DOI {paper.doi}."]})
    paper.full_clean(exclude=["text", "source_file", "project", "pages"], validate_unique=False)
    byline = _authors(project, authors)
    # The file is written last, and removed again if the database refuses the paper: nothing half-written.
    paper.source_file.save(PurePath(name).name or "upload", ContentFile(data), save=False)
    try:
        with history.attributed(
            paper, by=by, action=HistoryAction.CREATED, reason=f"Uploaded from {PurePath(name).name}"
        ):
            paper.save()
        byline_write(paper, byline)
        search_index.paper_indexed(paper)
    except BaseException:
        paper.source_file.delete(save=False)
        raise
    paper_index_soon(paper.pk)  # its passages and vectors for suggestions, once this commits
    return paper
