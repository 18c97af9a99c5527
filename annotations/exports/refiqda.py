"""Claims as a REFI-QDA project (`.qdpx`) and the codebook as a REFI-QDA codebook (`.qdc`). Pure: rows in, bytes out.

REFI-QDA (www.qdasoftware.org) is the exchange standard of NVivo, ATLAS.ti, MAXQDA, QDA Miner and QualCoder.
A `.qdpx` is a zip holding `project.qde` (XML, schema `schema/Project-mrt2019.xsd`) and the sources'
texts under `sources/`. The mapping (docs/exchange.md says the same, and what cannot be carried):

- a paper is a `TextSource` named by its slug, its text a UTF-8 file `sources/<guid>.txt`; its metadata
  (identifier, title, year, venue, authors, DOI, URL) are `VariableValue`s; its description says the same;
- a tag is a `Code` (hierarchy kept: a child tag is a child `Code`), named by its slug, its name and
  description in the code's `Description`; the three stances are codes under a non-codable `stance` code;
- a claim is a `PlainTextSelection` (its id as the guid; `startPosition`/`endPosition` in code points, as
  the standard counts characters), coded with each of its tags and with its own stance; the statement is
  the selection's `Description`; a `Note` ("memo") attached to it says statement, speaker, stance, the
  stance on each tag, status and the analyst's note;
- a link is a `Link` (OneWay, from the source claim's selection to the target's) named by its relation,
  its rationale a note;
- an analyst is a `User`; each author is a `Set` of their papers.

GUIDs are derived from what they name (uuid5), so exporting twice gives the same file apart from dates.
The vocabulary the project shares with the codebook file (namespaces, GUIDs, element helpers, the tags as
codes, the schemas) is in refiqda_codebook.py; this module re-exports what other modules take from there.
"""

import itertools
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from lxml import etree

from ..identifiers import paper_identifier
from .refiqda_codebook import (
    CODEBOOK_NAMESPACE,
    NAMESPACE,
    ORIGIN,
    PROJECT_SCHEMA,
    PROPOSED_MARK,
    SCHEMA_DIR,
    STANCE_CODE,
    STANCES,
    add_codes,
    codebook_qdc,
    codebook_schema,
    guid,
    project_schema,
    qname,
    stamp,
    tag_description,
    xml_element,
    xml_text_element,
)
from .xmltext import xml_safe

# What other modules take from here: the project writer, and (from refiqda_codebook) the vocabulary it shares.
__all__ = [
    "CODEBOOK_NAMESPACE", "LINK_NOTE_NAME", "MEMO_NAME", "NAMESPACE", "PAPER_VARIABLES", "PROJECT_SCHEMA",
    "PROPOSED_MARK", "SCHEMA_DIR", "STANCES", "STANCE_CODE", "STEP", "claim_memo", "codebook_qdc",
    "codebook_schema", "guid", "link_note", "paper_variables", "project_schema",
    "source_file_name", "tag_description", "write_project_qde",
]  # fmt: skip

MEMO_NAME = "sco-claims claim"
LINK_NOTE_NAME = "sco-claims link"
PAPER_VARIABLES = ("identifier", "title", "year", "venue", "authors", "doi", "url")


def claim_memo(claim, speaker: str) -> str:
    """The memo of a claim: what the codes and positions do not say, as `Key: value` lines, the note last (on
    the lines after `Note:`). A statement or speaker is put on one line, so that its line breaks cannot be read
    as other keys; the statement itself travels whole as the selection's Description."""
    codings = ", ".join(f"{tag}: {stance}" for tag, stance in sorted(claim.codings))
    lines = [
        f"Statement: {_one_line(claim.statement)}",
        f"Speaker: {_one_line(speaker)}",
        f"Stance: {claim.stance}",
        f"Stance on tags: {codings}",
        f"Status: {claim.status}",
        f"Analyst: {claim.created_by}",
        "Note:",
        claim.note,
    ]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return text.replace("\n", " ")  # the memo is read line by line, lines ending at "\n"


def link_note(link) -> str:
    return "\n".join(
        [
            f"Relation: {link.relation}",
            f"Status: {link.status}",
            f"Analyst: {link.created_by}",
            "Rationale:",
            link.rationale,
        ]
    )


def paper_variables(paper, authors: list[str]) -> dict[str, Any]:
    return {
        "identifier": paper_identifier(slug=paper.slug, doi=paper.doi, url=paper.url),
        "title": paper.title,
        "year": paper.year,
        "venue": paper.venue,
        "authors": "; ".join(authors),
        "doi": paper.doi,
        "url": paper.url,
    }


def _variable_value(parent, name: str, value: Any) -> etree._Element | None:
    if value is None or value == "":
        return None
    holder = xml_element(parent, "VariableValue")
    xml_element(holder, "VariableRef", targetGUID=guid("variable", name))
    if name == "year":
        xml_text_element(holder, "IntegerValue", str(value))
    else:
        xml_text_element(holder, "TextValue", str(value))
    return holder


def source_file_name(slug: str) -> str:
    """The file of a paper's text in the archive, under `sources/`."""
    return f"{guid('paper', slug)}.txt"


def source_file_text(text: str) -> str:
    """A paper's text as its file in the archive holds it. Readers (ours included) drop a leading byte-order mark,
    so a text that itself begins with U+FEFF is written behind one more, and reads back whole."""
    return "\ufeff" + text if text.startswith("\ufeff") else text


STEP = 200  # elements written between two chances to send what was written


def write_project_qde(
    out: IO[bytes],
    *,
    name: str,
    exported_at: datetime,
    users: Iterable[str],
    tags: Iterable,
    papers: Iterable,
    paper_authors: dict[int, list[str]],
    claims: Callable[[], Iterable],
    links: Callable[[], Iterable],
) -> Iterator[None]:
    """Write `project.qde` into `out` as it goes, yielding every few elements (so that a streamed zip can send
    them). `papers` in slug order (their texts are not read: the archive holds them under sources/);
    `claims()` gives the claims (rows) in the same order of papers, `links()` the links, each pass anew (sources
    hold the selections, notes their memos, links come after): nothing is held but one element at a time."""
    users = sorted(set(users))
    user_guids = {username: guid("user", username) for username in users}
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        attributes = {"name": xml_safe(name), "origin": ORIGIN, "creationDateTime": stamp(exported_at)}
        with xf.element(qname("Project"), attributes, nsmap={None: NAMESPACE}):
            if users:
                element = _root("Users")
                for username in users:
                    xml_element(element, "User", guid=user_guids[username], name=username, id=username)
                xf.write(element)
            codebook = _root("CodeBook")
            add_codes(xml_element(codebook, "Codes"), list(tags), NAMESPACE)
            xf.write(codebook)
            variables = _root("Variables")
            for variable in PAPER_VARIABLES:
                kind = "Integer" if variable == "year" else "Text"
                xml_element(variables, "Variable", guid=guid("variable", variable), name=variable, typeOfVariable=kind)
            xf.write(variables)
            papers = list(papers)
            steps = itertools.chain(
                _write_sources(xf, papers, paper_authors, claims(), user_guids) if papers else (),
                _write_group(xf, "Notes", _notes(claims(), links())),
                _write_group(xf, "Links", (_link(link) for link in links())),
            )
            for _ in steps:
                xf.flush()
                yield
            sets = _author_sets(papers, paper_authors)
            if sets is not None:
                xf.write(sets)
    yield


def _root(element_name: str, /, **attributes) -> etree._Element:
    return xml_element(None, element_name, **attributes)


def _write_sources(xf, papers: list, paper_authors, claims: Iterable, user_guids) -> Iterator[None]:
    """Each paper's TextSource, its selections written one at a time (a paper may hold many claims)."""
    claims = iter(claims)
    pending = next(claims, None)
    # Claims come in the papers' order (the database's order of slugs, whatever its collation): matched by
    # place in that order, so a claim of a paper not exported (none should be) is passed over.
    places = {paper.pk: place for place, paper in enumerate(papers)}
    with xf.element(qname("Sources")):
        for place, paper in enumerate(papers):
            while pending is not None and places.get(pending.paper_id, -1) < place:
                pending = next(claims, None)
            attributes = {
                "guid": guid("paper", paper.slug), "name": xml_safe(paper.slug),
                "plainTextPath": f"internal://{source_file_name(paper.slug)}",
                "creationDateTime": stamp(paper.created_at), "modifiedDateTime": stamp(paper.updated_at),
            }  # fmt: skip
            authors = paper_authors.get(paper.pk, [])
            values = paper_variables(paper, authors)
            description = f"{paper.title}" + (f" ({paper.year})" if paper.year else "")
            if authors:
                description += f". {'; '.join(authors)}"
            with xf.element(qname("TextSource"), {key: value for key, value in attributes.items() if value}):
                xf.write(xml_text_element(None, "Description", f"{description}. {values['identifier']}"))
                count = 0
                while pending is not None and pending.paper_id == paper.pk:
                    xf.write(_selection(pending, user_guids))
                    pending = next(claims, None)
                    count += 1
                    if count % STEP == 0:
                        yield
                for variable in PAPER_VARIABLES:
                    value = _variable_value(None, variable, values[variable])
                    if value is not None:
                        xf.write(value)
            yield


def _selection(claim, user_guids) -> etree._Element:
    selection = _root(
        "PlainTextSelection", guid=str(claim.id), name=claim.statement[:100],
        startPosition=str(claim.start), endPosition=str(claim.end),
        creatingUser=user_guids[claim.created_by], creationDateTime=stamp(claim.created_at),
        modifiedDateTime=stamp(claim.updated_at),
    )  # fmt: skip
    xml_text_element(selection, "Description", claim.statement)
    codes = [(tag, guid("tag", tag)) for tag, _ in sorted(claim.codings)]
    codes.append((f"stance:{claim.stance}", guid("stance", claim.stance)))
    for key, code_guid in codes:
        coding = xml_element(
            selection, "Coding", guid=guid("coding", f"{claim.id}:{key}"),
            creatingUser=user_guids[claim.created_by], creationDateTime=stamp(claim.created_at),
        )  # fmt: skip
        xml_element(coding, "CodeRef", targetGUID=code_guid)
    xml_element(selection, "NoteRef", targetGUID=guid("memo", str(claim.id)))
    return selection


def _write_group(xf, group: str, elements: Iterable[etree._Element]) -> Iterator[None]:
    """`<group>` holding `elements`, written one at a time; nothing at all when there are none (the schema wants
    one at least)."""
    elements = iter(elements)
    first = next(elements, None)
    if first is None:
        return
    with xf.element(qname(group)):
        for count, element in enumerate(itertools.chain([first], elements), 1):
            xf.write(element)
            if count % STEP == 0:
                yield


def _notes(claims: Iterable, links: Iterable) -> Iterator[etree._Element]:
    """The claims' memos, then the links' notes."""
    texts = itertools.chain(
        ((guid("memo", str(claim.id)), MEMO_NAME, claim_memo(claim, claim.speaker)) for claim in claims),
        ((guid("link-note", str(link.id)), LINK_NOTE_NAME, link_note(link)) for link in links),
    )
    for note_guid, note_name, text in texts:
        note = _root("Note", guid=note_guid, name=note_name)
        xml_text_element(note, "PlainTextContent", text)
        yield note


def _link(link) -> etree._Element:
    element = _root(
        "Link", guid=str(link.id), name=link.relation, direction="OneWay",
        originGUID=str(link.source_id), targetGUID=str(link.target_id),
    )  # fmt: skip
    xml_element(element, "NoteRef", targetGUID=guid("link-note", str(link.id)))
    return element


def _author_sets(papers: list, paper_authors) -> etree._Element | None:
    authors: dict[str, list[str]] = {}
    for paper in papers:
        for author in paper_authors.get(paper.pk, []):
            authors.setdefault(author, []).append(guid("paper", paper.slug))
    if not authors:
        return None
    sets = _root("Sets")
    for author, members in sorted(authors.items()):
        group = xml_element(sets, "Set", guid=guid("author", author), name=author)
        xml_text_element(group, "Description", "The papers of this author (sco-claims).")
        for member in members:
            xml_element(group, "MemberSource", targetGUID=member)
    return sets
