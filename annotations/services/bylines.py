"""Bylines: a paper's authors in order, found in its project by name or created there (an upload, a metadata
edit and the corpus loader all write them so)."""

from collections.abc import Sequence
from dataclasses import dataclass

from projects.models import Project

from ..models import Author, Paper, PaperAuthor


@dataclass(frozen=True)
class AuthorIn:
    """An author as a form or a request names them; matched by name among the authors of the paper's project."""

    name: str
    affiliation: str = ""
    country: str = ""

    def label(self) -> str:
        details = ", ".join(part for part in (self.affiliation, self.country) if part)
        return f"{self.name} ({details})" if details else self.name


def authors_by_name(project: Project, authors: Sequence[AuthorIn], *, update: bool) -> list[Author]:
    """The project's authors named (names already checked: given, each once), in order; a new name is created.
    Authors are one record per person and project, shared by their papers: with `update` (a byline edited), an
    existing author's affiliation and country are changed when given differently; else (an upload) reused as is."""
    existing = {a.name: a for a in Author.objects.filter(project=project, name__in=[a.name for a in authors])}
    found = []
    for spec in authors:
        author = existing.get(spec.name)
        if author is None:
            author = Author(project=project, name=spec.name, affiliation=spec.affiliation, country=spec.country)
            author.full_clean(exclude=["project"], validate_unique=False)
            author.save()
        elif update and (author.affiliation, author.country) != (spec.affiliation, spec.country):
            author.affiliation, author.country = spec.affiliation, spec.country
            author.save(update_fields=["affiliation", "country"])
        found.append(author)
    return found


def byline_write(paper: Paper, authors: Sequence[Author]) -> None:
    """The paper's byline, for a paper that has none (yet, or any longer)."""
    PaperAuthor.objects.bulk_create(
        PaperAuthor(paper=paper, author=author, position=i) for i, author in enumerate(authors, start=1)
    )
