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
"""

import io
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from ..identifiers import paper_identifier
from .xmltext import xml_safe  # the one XML-safe function: lxml refuses what XML 1.0 cannot carry

NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).with_name("schema")
PROJECT_SCHEMA = SCHEMA_DIR / "Project-mrt2019.xsd"
ORIGIN = "sco-claims"
GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:sco-claims:refi-qda")
STANCE_CODE = "stance"
STANCES = ("affirms", "denies", "qualifies")
STANCE_COLOURS = {"affirms": "#1b9e77", "denies": "#d95f02", "qualifies": "#7570b3"}
MEMO_NAME = "sco-claims claim"
LINK_NOTE_NAME = "sco-claims link"
PAPER_VARIABLES = ("identifier", "title", "year", "venue", "authors", "doi", "url")


def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(GUIDS, f"{kind}:{key}"))


def _stamp(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _q(name: str, namespace: str = NAMESPACE) -> str:
    return f"{{{namespace}}}{name}"


def _element(parent, element_name: str, namespace: str = NAMESPACE, /, **attributes) -> etree._Element:
    element = etree.SubElement(parent, _q(element_name, namespace))
    for key, value in attributes.items():
        if value is not None:
            element.set(key, xml_safe(value))
    return element


def _text_element(parent, name: str, text: str, namespace: str = NAMESPACE) -> etree._Element:
    element = _element(parent, name, namespace)
    element.text = xml_safe(text)
    return element


def tag_description(tag: dict) -> str:
    """The code's Description: the tag's name, then (after a blank line) its description."""
    return f"{tag['name']}\n\n{tag['description']}" if tag["description"] else tag["name"]


def _codes(parent, tags: list, namespace: str) -> None:
    """The codebook: tags (native tag records) as codes, children inside their parent; the stances as codes
    under `stance`."""
    children: dict[str | None, list] = {}
    slugs = {tag["slug"] for tag in tags}
    for tag in tags:
        parent_slug = tag["parent"] if tag["parent"] in slugs else None
        children.setdefault(parent_slug, []).append(tag)

    def add(into, tag) -> None:
        code = _element(
            into, "Code", namespace, guid=guid("tag", tag["slug"]), name=tag["slug"], isCodable="true",
            color=tag["colour"],
        )  # fmt: skip
        _text_element(code, "Description", tag_description(tag), namespace)
        for child in children.get(tag["slug"], []):
            add(code, child)

    for tag in children.get(None, []):
        add(parent, tag)
    stance = _element(parent, "Code", namespace, guid=guid("code", STANCE_CODE), name=STANCE_CODE, isCodable="false")
    _text_element(stance, "Description", "The stance a claim takes (sco-claims).", namespace)
    for name in STANCES:
        _element(stance, "Code", namespace, guid=guid("stance", name), name=name, isCodable="true",
                 color=STANCE_COLOURS[name])  # fmt: skip


def codebook_qdc(tags: Iterable) -> bytes:
    """The codebook alone, as a REFI-QDA `.qdc` (`<CodeBook>` in the codebook namespace)."""
    root = etree.Element(_q("CodeBook", CODEBOOK_NAMESPACE), nsmap={None: CODEBOOK_NAMESPACE})
    root.set("origin", ORIGIN)
    codes = _element(root, "Codes", CODEBOOK_NAMESPACE)
    _codes(codes, list(tags), CODEBOOK_NAMESPACE)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


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


def _variable_value(parent, name: str, value: Any) -> None:
    if value is None or value == "":
        return
    holder = _element(parent, "VariableValue")
    _element(holder, "VariableRef", targetGUID=guid("variable", name))
    if name == "year":
        _text_element(holder, "IntegerValue", str(value))
    else:
        _text_element(holder, "TextValue", str(value))


def project_qde(
    *,
    name: str,
    exported_at: datetime,
    papers: Iterable,
    paper_authors: dict[int, list[str]],
    tags: Iterable,
    claims: Iterable,
    links: Iterable,
    sources: dict[str, str],
) -> bytes:
    """`project.qde`. `papers` carry their text; `sources` receives each source's file name → text."""
    root = etree.Element(_q("Project"), nsmap={None: NAMESPACE})
    root.set("name", xml_safe(name))
    root.set("origin", ORIGIN)
    root.set("creationDateTime", _stamp(exported_at))
    users: dict[str, str] = {}
    claims_by_paper: dict[int, list] = {}
    for claim in claims:
        claims_by_paper.setdefault(claim.paper_id, []).append(claim)
        users.setdefault(claim.created_by, guid("user", claim.created_by))
    links = list(links)
    for link in links:
        users.setdefault(link.created_by, guid("user", link.created_by))
    papers = list(papers)
    if users:
        users_element = _element(root, "Users")
        for username, user_guid in sorted(users.items()):
            _element(users_element, "User", guid=user_guid, name=username, id=username)
    codebook = _element(root, "CodeBook")
    _codes(_element(codebook, "Codes"), list(tags), NAMESPACE)
    variables = _element(root, "Variables")
    for variable in PAPER_VARIABLES:
        kind = "Integer" if variable == "year" else "Text"
        _element(variables, "Variable", guid=guid("variable", variable), name=variable, typeOfVariable=kind)
    notes: list[tuple[str, str, str]] = []  # guid, name, text
    if papers:
        sources_element = _element(root, "Sources")
        for paper in papers:
            _text_source(sources_element, paper, paper_authors.get(paper.pk, []), claims_by_paper, users, notes,
                         sources)  # fmt: skip
    for link in links:
        notes.append((guid("link-note", str(link.id)), LINK_NOTE_NAME, link_note(link)))
    if notes:
        notes_element = _element(root, "Notes")
        for note_guid, note_name, text in notes:
            note = _element(notes_element, "Note", guid=note_guid, name=note_name)
            _text_element(note, "PlainTextContent", text)
    if links:
        links_element = _element(root, "Links")
        for link in links:
            element = _element(
                links_element, "Link", guid=str(link.id), name=link.relation, direction="OneWay",
                originGUID=str(link.source_id), targetGUID=str(link.target_id),
            )  # fmt: skip
            _element(element, "NoteRef", targetGUID=guid("link-note", str(link.id)))
    authors: dict[str, list[str]] = {}
    for paper in papers:
        for author in paper_authors.get(paper.pk, []):
            authors.setdefault(author, []).append(guid("paper", paper.slug))
    if authors:
        sets = _element(root, "Sets")
        for author, members in sorted(authors.items()):
            group = _element(sets, "Set", guid=guid("author", author), name=author)
            _text_element(group, "Description", "The papers of this author (sco-claims).")
            for member in members:
                _element(group, "MemberSource", targetGUID=member)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _text_source(parent, paper, authors: list[str], claims_by_paper, users, notes, sources) -> None:
    source_guid = guid("paper", paper.slug)
    file_name = f"{source_guid}.txt"
    sources[file_name] = paper.text
    element = _element(
        parent, "TextSource", guid=source_guid, name=paper.slug, plainTextPath=f"internal://{file_name}",
        creationDateTime=_stamp(paper.created_at), modifiedDateTime=_stamp(paper.updated_at),
    )  # fmt: skip
    values = paper_variables(paper, authors)
    description = f"{paper.title}" + (f" ({paper.year})" if paper.year else "")
    if authors:
        description += f". {'; '.join(authors)}"
    _text_element(element, "Description", f"{description}. {values['identifier']}")
    for claim in claims_by_paper.get(paper.pk, []):
        selection = _element(
            element, "PlainTextSelection", guid=str(claim.id), name=claim.statement[:100],
            startPosition=str(claim.start), endPosition=str(claim.end),
            creatingUser=users[claim.created_by], creationDateTime=_stamp(claim.created_at),
            modifiedDateTime=_stamp(claim.updated_at),
        )  # fmt: skip
        _text_element(selection, "Description", claim.statement)
        codes = [(tag, guid("tag", tag)) for tag, _ in sorted(claim.codings)]
        codes.append((f"stance:{claim.stance}", guid("stance", claim.stance)))
        for key, code_guid in codes:
            coding = _element(
                selection, "Coding", guid=guid("coding", f"{claim.id}:{key}"),
                creatingUser=users[claim.created_by], creationDateTime=_stamp(claim.created_at),
            )  # fmt: skip
            _element(coding, "CodeRef", targetGUID=code_guid)
        memo_guid = guid("memo", str(claim.id))
        _element(selection, "NoteRef", targetGUID=memo_guid)
        notes.append((memo_guid, MEMO_NAME, claim_memo(claim, claim.speaker)))
    for variable in PAPER_VARIABLES:
        _variable_value(element, variable, values[variable])


def qdpx(project: bytes, sources: dict[str, str]) -> bytes:
    """The `.qdpx` zip: `project.qde` and `sources/<name>` (UTF-8 text)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        for file_name, text in sorted(sources.items()):
            archive.writestr(f"sources/{file_name}", text.encode("utf-8"))
    return buffer.getvalue()


def project_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(PROJECT_SCHEMA)))


def codebook_schema() -> etree.XMLSchema:
    """The CodeBook definition of the project schema, in the codebook namespace, with `CodeBook` as its root.

    The REFI-QDA codebook standard uses the project schema's CodeBook and Code types in its own namespace;
    this builds that schema from the vendored project schema instead of vendoring a second file."""
    text = PROJECT_SCHEMA.read_text(encoding="utf-8").replace(NAMESPACE, CODEBOOK_NAMESPACE)
    text = text.replace(
        '<xsd:element name="Project" type="ProjectType">',
        '<xsd:element name="CodeBook" type="CodeBookRootType"/>\n'
        '<xsd:complexType name="CodeBookRootType"><xsd:sequence>'
        '<xsd:element name="Codes" type="CodesType"/><xsd:element name="Sets" type="SetsType" minOccurs="0"/>'
        '</xsd:sequence><xsd:attribute name="origin" type="xsd:string"/></xsd:complexType>\n'
        '<xsd:element name="Project" type="ProjectType">',
    )
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))
