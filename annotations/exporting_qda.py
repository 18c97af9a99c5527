"""The REFI-QDA project and codebook and the tidy data package, end to end: the rows of an `ExportSet` (the
visibility and filters of claims/, and its project; see exporting.py) handed to the pure presenters in
exports/refiqda.py and exports/datapackage.py. Shared by the export endpoints and `export_claims`.

Both zips are streamed (exports/zipstream.py): chunks of bytes as they are written, never the whole archive.
"""

import itertools
import json
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

from . import selectors
from .exporting import PAPERS_CHUNK_SIZE, ExportSet
from .exports import datapackage as tables
from .exports import iso, refiqda, zipstream
from .identifiers import paper_identifier

TABLE_NAMES = ("papers", "authors", "bylines", "tags", "claims", "codings", "links", "statements")


def codebook_qdc(project) -> bytes:
    """The codebook of `project` as a REFI-QDA codebook: its accepted tags (codebook_records)."""
    return refiqda.codebook_qdc(selectors.codebook_records(project))


def qdpx_chunks(export: ExportSet, *, now: datetime | None = None) -> Iterator[bytes]:
    """The `.qdpx` zip of the export, as it is written: the papers' texts under sources/ (papers read a few at a
    time), then project.qde (claims and links read in chunks, a pass for the selections, one for their memos)."""
    papers = export.papers.defer("text")
    paper_authors = {paper.pk: [b.author.name for b in paper.bylines.all()] for paper in papers}

    def texts():
        for paper in selectors.in_chunks(export.papers.prefetch_related(None), PAPERS_CHUNK_SIZE):
            yield f"sources/{refiqda.source_file_name(paper.slug)}", [refiqda.source_file_text(paper.text)]

    def project_qde(member):
        return refiqda.write_project_qde(
            member,
            name=export.project.name if export.project else "sco-claims",
            exported_at=now or timezone.now(),
            users=selectors.export_usernames(export.claims, export.links),
            tags=selectors.exchange_tags(export.project, export.claims),
            papers=papers,
            paper_authors=paper_authors,
            claims=lambda: selectors.claim_rows(export.claims),
            links=lambda: selectors.link_rows(export.links),
        )

    return zipstream.zip_chunks(itertools.chain(texts(), [("project.qde", project_qde)]))


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
        return (tables.tag_row(tag) for tag in selectors.exchange_tags(export.project, export.claims))
    claims = selectors.claim_rows(export.claims)
    if table == "claims":
        return (tables.claim_row(c, corpus.info[c.paper_id]) for c in claims)
    if table == "codings":
        return (row for c in claims for row in tables.coding_rows(c, corpus.info[c.paper_id]))
    if table == "statements":
        return (row for c in claims for row in tables.statement_rows(c, corpus.info[c.paper_id],
                                                                     corpus.years[c.paper_id]))  # fmt: skip
    if table == "links":
        return _link_rows(export, corpus)
    raise ValueError(f"Unknown table {table!r}")


def _link_rows(export: ExportSet, corpus: _Corpus):
    """The edge list; the ends' papers and speakers read for each chunk of links, so that nothing is held for
    every claim of the export."""
    links = selectors.link_rows(export.links)
    while chunk := list(itertools.islice(links, selectors.EXPORT_CHUNK_SIZE)):
        ends = {}
        ids = {claim_id for link in chunk for claim_id in (link.source_id, link.target_id)}
        for claim_id, (paper_id, speaker) in selectors.claim_ends(ids).items():
            paper = corpus.info[paper_id]
            ends[str(claim_id)] = tables.ClaimEnds(
                paper=paper.slug,
                authors="; ".join(paper.authors),
                holder=tables.holder(speaker, paper),
            )
        yield from (tables.link_row(link, ends) for link in chunk)


def table_chunks(export: ExportSet, table: str) -> Iterator[str]:
    """One table of the data package as CSV text chunks (the individual CSV endpoints)."""
    corpus = _Corpus(export)
    return tables.csv_text(_rows(export, corpus, table), tables.TABLES[table])


def datapackage_chunks(export: ExportSet) -> Iterator[bytes]:
    """The data package as zip chunks, as it is written: datapackage.json, then one CSV per table, each
    streamed from its rows."""
    corpus = _Corpus(export)
    package = tables.descriptor(
        name=export.project.slug if export.project else "sco-claims",
        exported_at=iso(timezone.now()),
        filters=export.filters,
        tables=TABLE_NAMES,
    )
    members = [("datapackage.json", [json.dumps(package, ensure_ascii=False, indent=2) + "\n"])]
    members += [
        (f"{table}.csv", _lazy(lambda table=table: tables.csv_text(_rows(export, corpus, table), tables.TABLES[table])))
        for table in TABLE_NAMES
    ]
    return zipstream.zip_chunks(members)


def _lazy(make):
    """Chunks that start being read only when the zip reaches them."""
    yield from make()
