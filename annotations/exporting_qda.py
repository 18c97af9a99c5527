"""The REFI-QDA project and codebook and the tidy data package, end to end: the rows of an `ExportSet` (the
visibility and filters of claims/, see exporting.py) handed to the pure presenters in exports/refiqda.py and
exports/datapackage.py. Shared by the export endpoints.

A later `project` parameter narrows the ExportSet and names the URNs; nothing here assumes one corpus.
"""

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

from . import selectors
from .exporting import ExportSet
from .exports import datapackage as tables
from .exports import iso, native, refiqda
from .identifiers import DEFAULT_PROJECT, paper_identifier

TABLE_NAMES = ("papers", "authors", "bylines", "tags", "claims", "codings", "links", "statements")


def _tags(project) -> list[dict]:
    tags = selectors.tags_list(project)
    return [native.tag_record(tag, tag.parent.slug if tag.parent else None) for tag in tags]


def codebook_qdc(project) -> bytes:
    """The codebook of `project` as a REFI-QDA codebook."""
    return refiqda.codebook_qdc(_tags(project))


def qdpx(export: ExportSet, *, now: datetime | None = None) -> bytes:
    """The `.qdpx` zip of the export: project.qde and the papers' texts."""
    papers = list(export.papers)
    sources: dict[str, str] = {}
    project = refiqda.project_qde(
        name=DEFAULT_PROJECT,
        exported_at=now or timezone.now(),
        papers=papers,
        paper_authors={paper.pk: [b.author.name for b in paper.bylines.all()] for paper in papers},
        tags=_tags(export.project),
        claims=selectors.claim_rows(export.claims),
        links=selectors.link_rows(export.links),
        sources=sources,
    )
    return refiqda.qdpx(project, sources)


class _Corpus:
    """The papers of an export once: their rows, and what claim and link rows repeat of them."""

    def __init__(self, export: ExportSet):
        self.papers = list(export.papers)
        affiliations = dict(selectors.authors_for_export(export.papers).values_list("name", "affiliation"))
        self.info: dict[int, tables.PaperInfo] = {}
        self.years: dict[int, int | None] = {}
        for paper in self.papers:
            authors = [byline.author.name for byline in paper.bylines.all()]
            self.info[paper.pk] = tables.PaperInfo(
                slug=paper.slug,
                identifier=paper_identifier(slug=paper.slug, doi=paper.doi, url=paper.url),
                title=paper.title,
                year=paper.year,
                authors=authors,
                affiliations={name: affiliations.get(name, "") for name in authors},
                text=paper.text,
            )
            self.years[paper.pk] = paper.year


def _rows(export: ExportSet, corpus: _Corpus, table: str):
    if table == "papers":
        return (tables.paper_row(p, corpus.info[p.pk].authors) for p in corpus.papers)
    if table == "authors":
        return (tables.author_row(a) for a in selectors.authors_for_export(export.papers))
    if table == "bylines":
        return ([p.slug, position, name] for p in corpus.papers for position, name in
                enumerate(corpus.info[p.pk].authors, 1))  # fmt: skip
    if table == "tags":
        return (tables.tag_row(tag) for tag in _tags(export.project))
    claims = selectors.claim_rows(export.claims)
    if table == "claims":
        return (tables.claim_row(c, corpus.info[c.paper_id]) for c in claims)
    if table == "codings":
        return (row for c in claims for row in tables.coding_rows(c, corpus.info[c.paper_id]))
    if table == "statements":
        return (row for c in claims for row in tables.statement_rows(c, corpus.info[c.paper_id],
                                                                     corpus.years[c.paper_id]))  # fmt: skip
    if table == "links":
        ends = {
            str(c.id): tables.ClaimEnds(
                paper=corpus.info[c.paper_id].slug,
                authors="; ".join(corpus.info[c.paper_id].authors),
                holder=tables.holder(c, corpus.info[c.paper_id]),
            )
            for c in claims
        }
        return (tables.link_row(link, ends) for link in selectors.link_rows(export.links))
    raise ValueError(f"Unknown table {table!r}")


def table_chunks(export: ExportSet, table: str) -> Iterator[str]:
    """One table of the data package as CSV text chunks (the individual CSV endpoints)."""
    corpus = _Corpus(export)
    return tables.csv_text(_rows(export, corpus, table), tables.TABLES[table])


def datapackage_zip(export: ExportSet) -> bytes:
    """The data package: datapackage.json and one CSV per table."""
    corpus = _Corpus(export)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        package = tables.descriptor(
            name=DEFAULT_PROJECT, exported_at=iso(timezone.now()), filters=export.filters, tables=TABLE_NAMES
        )
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n")
        for table in TABLE_NAMES:
            with archive.open(f"{table}.csv", "w") as member:
                for chunk in tables.csv_text(_rows(export, corpus, table), tables.TABLES[table]):
                    member.write(chunk.encode("utf-8"))
    return buffer.getvalue()
