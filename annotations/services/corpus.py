"""Corpus loading: papers, their authors and the starter codebook upserted from fixtures."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from projects.models import Project, default_project
from search import indexing as search_index
from suggestions.indexing import paper_index_soon

from .. import history
from ..corpus import AuthorSpec, LoadReport, PaperSpec, TagSpec
from ..errors import ValidationError
from ..identifiers import normal_doi
from ..models import Author, HistoryAction, Paper, Tag, User
from .bylines import byline_write
from .revisions import _paper_revise, system_reviser


def _sync(instance, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when something changed (so an unchanged load writes nothing)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed)


def _author_upsert(spec: AuthorSpec, report: LoadReport, project: Project) -> Author:
    values = {"affiliation": spec.affiliation, "country": spec.country, "note": spec.note}
    author, created = Author.objects.get_or_create(project=project, name=spec.name, defaults=values)
    if created:
        report.created["authors"] += 1
    elif _sync(author, values):
        author.save()
        report.updated["authors"] += 1
    else:
        report.unchanged["authors"] += 1
    return author


def paper_upsert(
    spec: PaperSpec, report: LoadReport, revised_by: User | None = None, project: Project | None = None
) -> Paper:
    """Create the paper in `project` (the default project when None), or bring its metadata and text up to date;
    a changed text becomes a revision (attributed to `revised_by`, by default the system user `load_corpus`)
    that re-anchors its claims. A slug another project holds is refused (slugs name papers across projects)."""
    project = project or default_project()
    values = {"title": spec.title, "year": spec.year, "year_note": spec.year_note, "venue": spec.venue}
    paper = Paper.objects.filter(slug=spec.slug).first()
    if paper is not None and paper.project_id != project.pk:
        raise ValidationError({"papers": [f"The paper slug {spec.slug!r} is taken: choose another slug."]})
    authors = [_author_upsert(author, report, project) for author in spec.authors]
    if paper is None:
        paper = Paper.objects.create(project=project, slug=spec.slug, text=spec.text, **values)
        search_index.paper_indexed(paper)
        report.created["papers"] += 1
        changed_bylines = True
        paper_index_soon(paper.pk)  # its passages and vectors for suggestions, once the load commits
    else:
        changed = metadata_changed = _sync(paper, values)
        if paper.text != spec.text:
            revision = _paper_revise(
                paper=paper, by=revised_by or system_reviser(), text=spec.text, note="Newer text loaded by load_corpus."
            )
            report.revisions.append(revision)
            paper.text = spec.text
            changed = True
        current = list(paper.bylines.order_by("position").values_list("author_id", flat=True))
        changed_bylines = current != [author.pk for author in authors]
        if metadata_changed:  # (a new text alone was saved by its revision)
            with history.attributed(
                paper, by=revised_by, action=HistoryAction.EDITED, reason="Metadata loaded by load_corpus."
            ):
                paper.save()
        if changed or changed_bylines:
            report.updated["papers"] += 1
        else:
            report.unchanged["papers"] += 1
    if changed_bylines:
        paper.bylines.all().delete()
        byline_write(paper, authors)
    return paper


def _paper_locators(paper: Paper) -> None:
    """A DOI kept in its normal form (10.xxxx/..., lower case) whatever its spelling; blank DOI or URL: unknown."""
    paper.url = paper.url or None
    if paper.doi:
        normal = normal_doi(paper.doi)
        if normal is None:
            raise ValidationError(
                {"doi": [f"Not a DOI: {paper.doi!r} (give it as 10.xxxx/... or https://doi.org/...)."]}
            )
        paper.doi = normal
    paper.doi = paper.doi or None


def _tag_upsert(spec: TagSpec, report: LoadReport, project: Project) -> Tag:
    parent = None
    if spec.parent:
        parent = Tag.objects.filter(project=project, slug=spec.parent).first()
        if parent is None:
            raise ValidationError(
                {"tags": [f"Tag {spec.slug!r} names parent {spec.parent!r}, which is not defined before it."]}
            )
    values = {"name": spec.name, "description": spec.description, "colour": spec.colour.lower(), "parent": parent}
    tag = Tag.objects.filter(project=project, slug=spec.slug).first()
    if tag is None:
        tag = Tag(project=project, slug=spec.slug, **values)
        tag.full_clean()
        tag.save()
        report.created["tags"] += 1
    elif _sync(tag, values):
        tag.full_clean()
        tag.save()
        report.updated["tags"] += 1
    else:
        report.unchanged["tags"] += 1
    return tag


@transaction.atomic
def corpus_load(
    *,
    papers: Iterable[PaperSpec],
    tags: Iterable[TagSpec] = (),
    revised_by: User | None = None,
    project: Project | None = None,
) -> LoadReport:
    """Load papers and codebook entries into `project` (the default project when None); loading the same files
    again changes nothing."""
    project = project or default_project()
    report = LoadReport()
    for spec in papers:
        paper_upsert(spec, report, revised_by=revised_by, project=project)
    for tag_spec in tags:
        _tag_upsert(tag_spec, report, project)
    return report
