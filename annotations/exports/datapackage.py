"""A tidy data package for R and pandas: CSV tables and a Frictionless `datapackage.json` describing every column.

Pure: rows in, CSV text and the descriptor out. One table per subject (papers, authors, bylines, tags,
claims, codings, links, statements), one row per observation, so `read.csv` / `pandas.read_csv` and a join
give any analysis. `statements.csv` is the table the Discourse Network Analyzer (DNA) and rDNA-style
scripts read: one row per actor x concept x agreement.

Every row goes through `exports.csv_row`, the one CSV cell guard of the app: a text cell that a spreadsheet
would run as a formula (starting with =, +, -, @, a tab or a carriage return) is written with a leading single
quote, and a cell that already starts with a quote gets one more, so the rule can be undone without doubt.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..codings import pairs
from ..identifiers import paper_identifier
from ..pages import page_label
from . import csv_row, iso

CONTEXT = 200  # code points of context each side of a quote in claims.csv
AGREEMENT = {"affirms": 1, "denies": 0}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Frictionless type: string, integer, number, boolean, date, datetime
    description: str
    required: bool = False


INERT_NOTE = (
    " Text cells starting with =, +, -, @, a tab, a carriage return or ' are written with one more leading ' "
    "(so that no spreadsheet runs them as a formula): remove one leading ' from such a cell to get the value."
)

TABLES: dict[str, list[Field]] = {
    "papers": [
        Field("slug", "string", "The paper's short name in sco-claims.", True),
        Field("identifier", "string", "Stable identifier: https://doi.org/DOI, else its URL, else urn:sco-claims:paper:SLUG.", True),
        Field("title", "string", "Title."),
        Field("year", "integer", "Year of publication (empty when unknown)."),
        Field("year_note", "string", "How the year was established, when uncertain."),
        Field("venue", "string", "Journal, publisher or outlet."),
        Field("authors", "string", "Authors in byline order, joined by '; ' (see bylines.csv)."),
        Field("doi", "string", "DOI (10.xxxx/...), when known."),
        Field("url", "string", "URL, when known."),
        Field("characters", "integer", "Length of the text in Unicode code points (the unit of all positions).", True),
        Field("text_sha256", "string", "SHA-256 of the text (UTF-8).", True),
    ],
    "authors": [
        Field("name", "string", "The author's name as given (never split into first and last).", True),
        Field("affiliation", "string", "Organisation, when known."),
        Field("country", "string", "Country, when known."),
        Field("note", "string", "Note."),
    ],
    "bylines": [
        Field("paper", "string", "papers.slug.", True),
        Field("position", "integer", "Place in the byline, from 1.", True),
        Field("author", "string", "authors.name.", True),
    ],
    "tags": [
        Field("slug", "string", "The tag's short name.", True),
        Field("name", "string", "The tag as a proposition or topic.", True),
        Field("description", "string", "What the tag covers."),
        Field("colour", "string", "#rrggbb."),
        Field("parent", "string", "tags.slug of the parent tag (empty at the top, or when the parent is a proposal no exported claim uses)."),
        Field("status", "string", "accepted, or proposed: a tag an analyst proposed and no moderator has accepted yet (only those the exported claims are coded with are listed).", True),
    ],
    "claims": [
        Field("id", "string", "The claim's UUID.", True),
        Field("paper", "string", "papers.slug.", True),
        Field("paper_identifier", "string", "papers.identifier.", True),
        Field("paper_title", "string", "papers.title."),
        Field("paper_year", "integer", "papers.year."),
        Field("paper_authors", "string", "papers.authors."),
        Field("start", "integer", "Start of the quote, in code points from the start of the text.", True),
        Field("end", "integer", "End of the quote (exclusive), in code points.", True),
        Field("pages", "string", "Pages of the quote as a citation shows them: p. 12, or pp. 12\u201313 (an en dash); empty when the paper has no pages (a text without page breaks) or the claim is orphaned."),
        Field("first_page", "integer", "The page the quote starts on, from 1 (pages as the paper's source file counts them: page breaks of its PDF); empty as pages."),
        Field("last_page", "integer", "The page the quote ends on (the same as first_page for a quote on one page); empty as pages."),
        Field("exact", "string", "The quote.", True),
        Field("context_before", "string", f"Up to {CONTEXT} code points of text before the quote."),
        Field("context_after", "string", f"Up to {CONTEXT} code points of text after the quote."),
        Field("statement", "string", "The claim in the analyst's words.", True),
        Field("speaker", "string", "Who holds the view, when not the paper's authors (empty otherwise)."),
        Field("holder", "string", "The speaker, or else the paper's authors joined by '; '."),
        Field("stance", "string", "The claim's own stance: affirms, denies or qualifies.", True),
        Field("tags", "string", "Tag slugs joined by ';' (see codings.csv)."),
        Field("codings", "string", "The stance on each tag as tag:stance joined by ';' (see codings.csv)."),
        Field("note", "string", "The analyst's note."),
        Field("status", "string", "pending, approved, rejected or orphaned.", True),
        Field("anchor_state", "string", "original, exact, fuzzy, orphaned or manual (after text revisions).", True),
        Field("moderated_by", "string", "Username of the moderator who decided last."),
        Field("moderated_at", "datetime", "When it was decided (UTC)."),
        Field("moderation_reason", "string", "The moderator's reason."),
        Field("analyst", "string", "Username of the analyst who made the claim.", True),
        Field("created_at", "datetime", "When it was made (UTC).", True),
        Field("updated_at", "datetime", "When it was last changed (UTC).", True),
        Field("version", "integer", "Edit count, from 1.", True),
    ],
    "codings": [
        Field("claim", "string", "claims.id.", True),
        Field("paper", "string", "papers.slug.", True),
        Field("tag", "string", "tags.slug.", True),
        Field("stance", "string", "The claim's stance on this tag: affirms, denies or qualifies.", True),
    ],
    "links": [
        Field("id", "string", "The link's UUID.", True),
        Field("source", "string", "claims.id the link starts from.", True),
        Field("target", "string", "claims.id the link points to.", True),
        Field("relation", "string", "supports, conflicts or restates (source relation target).", True),
        Field("source_paper", "string", "papers.slug of the source claim.", True),
        Field("target_paper", "string", "papers.slug of the target claim.", True),
        Field("source_authors", "string", "Authors of the source claim's paper, joined by '; '."),
        Field("target_authors", "string", "Authors of the target claim's paper, joined by '; '."),
        Field("source_holder", "string", "Who holds the source claim's view (speaker, else authors)."),
        Field("target_holder", "string", "Who holds the target claim's view (speaker, else authors)."),
        Field("rationale", "string", "Why the claims are linked."),
        Field("status", "string", "pending, approved, rejected or orphaned.", True),
        Field("analyst", "string", "Username of the analyst who made the link.", True),
        Field("created_at", "datetime", "When it was made (UTC).", True),
    ],
    "statements": [
        Field("actor", "string", "DNA person: the speaker, else one row per author of the paper (names as given).", True),
        Field("organisation", "string", "DNA organisation: the author's affiliation when known (empty for speakers)."),
        Field("concept", "string", "DNA concept: the tag's slug (tags.csv has its name).", True),
        Field("agreement", "integer", "DNA agreement qualifier: 1 affirms, 0 denies, empty when the claim qualifies."),
        Field("stance", "string", "affirms, denies or qualifies (the stance on this concept).", True),
        Field("date", "date", "The paper's year as YYYY-01-01 (DNA needs a date; the precision is the year)."),
        Field("text", "string", "The quote.", True),
        Field("document", "string", "papers.slug (DNA document).", True),
        Field("document_identifier", "string", "papers.identifier.", True),
        Field("claim", "string", "claims.id.", True),
    ],
}  # fmt: skip


def csv_text(rows: Iterable[Iterable[Any]], columns: list[Field]) -> Iterator[str]:
    """A header and the rows as CSV text chunks (RFC 4180, CRLF), every cell through the formula guard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(field.name for field in columns))
    for row in rows:
        writer.writerow(csv_row("" if value is None else value for value in row))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def descriptor(*, name: str, exported_at: str, filters: dict[str, str], tables: Iterable[str]) -> dict[str, Any]:
    """The Frictionless Data Package descriptor (datapackage.json) of the tables written."""
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": "sco-claims: claims, codings and links on a corpus of papers",
        "created": exported_at,
        "description": (
            "Tidy tables of a sco-claims export. Positions count Unicode code points. Filters: "
            + (json.dumps(filters) if filters else "none")
            + "."
            + INERT_NOTE
        ),
        "licenses": [],
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [
                        {
                            "name": field.name,
                            "type": field.type,
                            "description": field.description + (INERT_NOTE if field.type == "string" else ""),
                            **({"constraints": {"required": True}} if field.required else {}),
                        }
                        for field in TABLES[table]
                    ],
                    "missingValues": [""],
                },
            }
            for table in tables
        ],
    }


# --- rows -------------------------------------------------------------------------------------------------


def _identifier(paper) -> str:
    return paper_identifier(slug=paper.slug, doi=paper.doi, url=paper.url)


def paper_row(paper, authors: list[str]) -> list[Any]:
    return [
        paper.slug, _identifier(paper), paper.title, paper.year, paper.year_note, paper.venue, "; ".join(authors),
        paper.doi, paper.url, len(paper.text), paper.text_sha256,
    ]  # fmt: skip


def author_row(author) -> list[Any]:
    return [author.name, author.affiliation, author.country, author.note]


def tag_row(tag: dict) -> list[Any]:
    return [tag["slug"], tag["name"], tag["description"], tag["colour"], tag["parent"], tag.get("status", "accepted")]


@dataclass(frozen=True)
class PaperInfo:
    """What the claim, link and statement rows repeat of their paper."""

    slug: str
    identifier: str
    title: str
    year: int | None
    authors: list[str]
    affiliations: dict[str, str]
    text: str


def _codings(claim) -> dict[str, str]:
    return dict(claim.codings)


def holder(speaker: str, paper: PaperInfo) -> str:
    """Who holds a claim's view: its speaker, else the paper's authors."""
    return speaker or "; ".join(paper.authors)


def claim_row(claim, paper: PaperInfo) -> list[Any]:
    codings = _codings(claim)
    orphaned = claim.anchor_state == "orphaned"  # its positions point into a replaced text
    before = claim.prefix if orphaned else paper.text[max(0, claim.start - CONTEXT) : claim.start]
    after = claim.suffix if orphaned else paper.text[claim.end : claim.end + CONTEXT]
    return [
        str(claim.id), paper.slug, paper.identifier, paper.title, paper.year, "; ".join(paper.authors),
        claim.start, claim.end, page_label(claim.pages), *(claim.pages or (None, None)), claim.exact, before, after,
        claim.statement, claim.speaker, holder(claim.speaker, paper),
        claim.stance, ";".join(sorted(codings)), ";".join(pairs(codings)), claim.note, claim.status,
        claim.anchor_state, claim.moderated_by or "", iso(claim.moderated_at),
        claim.moderation_reason, claim.created_by, iso(claim.created_at), iso(claim.updated_at),
        claim.version,
    ]  # fmt: skip


def coding_rows(claim, paper: PaperInfo) -> list[list[Any]]:
    return [[str(claim.id), paper.slug, tag, stance] for tag, stance in sorted(_codings(claim).items())]


def statement_rows(claim, paper: PaperInfo, year: int | None) -> list[list[Any]]:
    """DNA statements: one per actor x concept. Actors are the speaker, or each author of the paper."""
    if claim.speaker:
        actors = [(claim.speaker, "")]
    else:
        actors = [(author, paper.affiliations.get(author, "")) for author in paper.authors] or [(paper.slug, "")]
    date = f"{year:04d}-01-01" if year else None
    return [
        [actor, organisation, tag, AGREEMENT.get(stance), stance, date, claim.exact, paper.slug, paper.identifier,
         str(claim.id)]
        for tag, stance in sorted(_codings(claim).items())
        for actor, organisation in actors
    ]  # fmt: skip


@dataclass(frozen=True)
class ClaimEnds:
    """What a link row repeats of each of its claims."""

    paper: str
    authors: str
    holder: str


def link_row(link, ends: dict[str, ClaimEnds]) -> list[Any]:
    source, target = ends[str(link.source_id)], ends[str(link.target_id)]
    return [
        str(link.id), str(link.source_id), str(link.target_id), link.relation, source.paper, target.paper,
        source.authors, target.authors, source.holder, target.holder, link.rationale, link.status,
        link.created_by, iso(link.created_at),
    ]  # fmt: skip
