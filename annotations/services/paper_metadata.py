"""A paper's metadata edited by the moderators of its project: title, authors, year, venue, DOI, URL. The text
never changes here (only through revisions). One history row per edit: the paper's row keeps the new values,
and its reason lists every change, the byline included (the history rows hold no authors of their own)."""

from collections.abc import Collection
from typing import Any

from django.db import transaction

from projects import access

from .. import history
from ..errors import PermissionDenied, ValidationError
from ..models import HistoryAction, Paper, User
from ..textrules import check_fields
from .bylines import AuthorIn, authors_by_name, byline_write
from .corpus import _paper_locators

METADATA_FIELDS = ("title", "year", "venue", "doi", "url")
# The admin edits a paper's own fields (its byline in an inline).
PAPER_METADATA_FIELDS = ("slug", "title", "year", "year_note", "venue", "doi", "url")
AUTHOR_LIMITS = {"name": 200, "affiliation": 300, "country": 100}


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
    records = authors_by_name(paper.project, authors, update=True)
    paper.bylines.all().delete()
    byline_write(paper, records)


def _shown(value: Any) -> str:
    return "(none)" if value in ("", None) else repr(value) if isinstance(value, str) else str(value)


@transaction.atomic
def paper_update_metadata(*, paper: Paper, by: User, **changes: Any) -> Paper:
    """Change a paper's title, authors, year, venue, DOI or URL (moderators of its project; not while the
    project is archived). Writes nothing, history included, when nothing changes."""
    return _metadata_edit(paper.pk, by, changes, fields=(*METADATA_FIELDS, "authors"))


@transaction.atomic
def paper_update(*, paper_id: int, by: User, **changes: Any) -> Paper:
    """The admin's edit of a paper's own fields: paper_update_metadata's rules, with the slug and the year's note
    too; the byline is the admin's inline's (saved after the paper). The text changes only by paper_revise."""
    return _metadata_edit(paper_id, by, changes, fields=PAPER_METADATA_FIELDS)


def _metadata_edit(paper_id: int, by: User, changes: dict[str, Any], *, fields: Collection[str]) -> Paper:
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    paper = Paper.objects.select_for_update().select_related("project").get(pk=paper_id)
    if not access.can_moderate(by, paper.project_id):
        raise PermissionDenied("Only the moderators of this paper's project can edit its metadata.")
    access.ensure_writable(paper.project)
    check_fields({name: value for name, value in changes.items() if name != "authors"})
    scalars = [name for name in fields if name != "authors"]
    before = {name: getattr(paper, name) for name in scalars}
    for name in scalars:
        if name in changes:
            value = changes[name]
            setattr(paper, name, value.strip() if isinstance(value, str) else value)
    _paper_locators(paper)
    paper.full_clean(exclude=["text", "project"], validate_unique="slug" in changes, validate_constraints=False)
    if paper.doi and Paper.objects.filter(project=paper.project_id, doi=paper.doi).exclude(pk=paper.pk).exists():
        raise ValidationError({"doi": [f"Another paper of this project has the DOI {paper.doi}."]})
    lines = [
        f"{name}: {_shown(before[name])} → {_shown(getattr(paper, name))}"
        for name in scalars
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
