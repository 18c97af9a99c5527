"""A paper's metadata edited by the moderators of its project: title, authors, year, venue, DOI, URL. The text
never changes here (only through revisions). One history row per edit: the paper's row keeps the new values,
and its reason lists every change, the byline included (the history rows hold no authors of their own)."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from projects import access

from .. import history
from ..errors import PermissionDenied, ValidationError
from ..models import Author, HistoryAction, Paper, PaperAuthor, User
from ..textrules import check_fields
from .corpus import _paper_locators

METADATA_FIELDS = ("title", "year", "venue", "doi", "url")
AUTHOR_LIMITS = {"name": 200, "affiliation": 300, "country": 100}


@dataclass(frozen=True)
class AuthorIn:
    name: str
    affiliation: str = ""
    country: str = ""

    def label(self) -> str:
        details = ", ".join(part for part in (self.affiliation, self.country) if part)
        return f"{self.name} ({details})" if details else self.name


def _authors_in(value: Any) -> list[AuthorIn]:
    if not isinstance(value, list | tuple):
        raise ValidationError({"authors": ["Give the authors as a list of {name, affiliation, country}."]})
    authors, seen = [], set()
    for position, item in enumerate(value, start=1):
        if isinstance(item, AuthorIn):
            item = item.__dict__
        if not isinstance(item, dict) or set(item) - set(AUTHOR_LIMITS):
            raise ValidationError({"authors": [f"Author {position}: give name, affiliation and country only."]})
        fields = {key: str(item.get(key) or "").strip() for key in AUTHOR_LIMITS}
        if not fields["name"]:
            raise ValidationError({"authors": [f"Author {position} has no name."]})
        for key, limit in AUTHOR_LIMITS.items():
            if len(fields[key]) > limit:
                raise ValidationError({"authors": [f"Author {position}: the {key} is over {limit} characters."]})
        check_fields({"authors": " ".join(fields.values())})
        if fields["name"] in seen:
            raise ValidationError({"authors": [f"{fields['name']} is listed twice."]})
        seen.add(fields["name"])
        authors.append(AuthorIn(**fields))
    return authors


def _byline(paper: Paper) -> list[AuthorIn]:
    return [
        AuthorIn(name=b.author.name, affiliation=b.author.affiliation, country=b.author.country)
        for b in paper.bylines.select_related("author").order_by("position")
    ]


def _set_byline(paper: Paper, authors: list[AuthorIn]) -> None:
    """Authors are one record per person and project, shared by their papers: an existing name is reused (its
    affiliation and country updated when given differently), a new one created."""
    existing = {a.name: a for a in Author.objects.filter(project=paper.project, name__in=[a.name for a in authors])}
    records = []
    for spec in authors:
        author = existing.get(spec.name)
        if author is None:
            author = Author(project=paper.project, name=spec.name, affiliation=spec.affiliation, country=spec.country)
            author.full_clean(exclude=["project"])
            author.save()
        elif (author.affiliation, author.country) != (spec.affiliation, spec.country):
            author.affiliation, author.country = spec.affiliation, spec.country
            author.save(update_fields=["affiliation", "country"])
        records.append(author)
    paper.bylines.all().delete()
    PaperAuthor.objects.bulk_create(
        PaperAuthor(paper=paper, author=author, position=i) for i, author in enumerate(records, start=1)
    )


def _shown(value: Any) -> str:
    return "(none)" if value in ("", None) else repr(value) if isinstance(value, str) else str(value)


@transaction.atomic
def paper_update_metadata(*, paper: Paper, by: User, **changes: Any) -> Paper:
    """Change a paper's title, authors, year, venue, DOI or URL (moderators of its project; not while the
    project is archived). Writes nothing, history included, when nothing changes."""
    unknown = set(changes) - {*METADATA_FIELDS, "authors"}
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    if not access.can_moderate(by, paper.project_id):
        raise PermissionDenied("Only the moderators of this paper's project can edit its metadata.")
    paper = Paper.objects.select_for_update().select_related("project").get(pk=paper.pk)
    access.ensure_writable(paper.project)
    check_fields({name: value for name, value in changes.items() if name != "authors"})
    before = {name: getattr(paper, name) for name in METADATA_FIELDS}
    for name in METADATA_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(paper, name, value.strip() if isinstance(value, str) else value)
    _paper_locators(paper)
    paper.full_clean(exclude=["text", "project"], validate_unique=False, validate_constraints=False)
    if paper.doi and Paper.objects.filter(project=paper.project_id, doi=paper.doi).exclude(pk=paper.pk).exists():
        raise ValidationError({"doi": [f"Another paper of this project has the DOI {paper.doi}."]})
    lines = [
        f"{name}: {_shown(before[name])} → {_shown(getattr(paper, name))}"
        for name in METADATA_FIELDS
        if before[name] != getattr(paper, name)
    ]
    if "authors" in changes:
        authors, old = _authors_in(changes["authors"]), _byline(paper)
        if authors != old:
            lines.append(
                f"authors: {'; '.join(a.label() for a in old) or '(none)'} → "
                f"{'; '.join(a.label() for a in authors) or '(none)'}"
            )
            _set_byline(paper, authors)
    if lines:
        with history.attributed(paper, by=by, action=HistoryAction.EDITED, reason="\n".join(lines)):
            paper.save()
    return paper
