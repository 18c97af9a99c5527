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
import itertools
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

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
    """A child of `parent`, or (parent None) an element of its own, written whole when it is complete."""
    name = _q(element_name, namespace)
    element = etree.Element(name, nsmap={None: namespace}) if parent is None else etree.SubElement(parent, name)
    for key, value in attributes.items():
        if value is not None:
            element.set(key, xml_safe(value))
    return element


def _text_element(parent, name: str, text: str, namespace: str = NAMESPACE) -> etree._Element:
    element = _element(parent, name, namespace)
    element.text = xml_safe(text)
    return element


PROPOSED_MARK = "(A proposed tag: not yet accepted in sco-claims.)"


def tag_description(tag: dict) -> str:
    """The code's Description: the tag's name, then (after a blank line) its description; a proposal says so
    on a last paragraph of its own (PROPOSED_MARK), which our import reads back as the tag's status."""
    paragraphs = [tag["name"], tag["description"]]
    if tag.get("status") == "proposed":
        paragraphs.append(PROPOSED_MARK)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


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


def _variable_value(parent, name: str, value: Any) -> etree._Element | None:
    if value is None or value == "":
        return None
    holder = _element(parent, "VariableValue")
    _element(holder, "VariableRef", targetGUID=guid("variable", name))
    if name == "year":
        _text_element(holder, "IntegerValue", str(value))
    else:
        _text_element(holder, "TextValue", str(value))
    return holder


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
    """`project.qde` in memory (small projects, tests). `papers` carry their text; `sources` receives each
    source's file name → text. Exports write it as they go with write_project_qde."""
    papers, links = sorted(papers, key=lambda p: p.slug), list(links)
    places = {paper.pk: place for place, paper in enumerate(papers)}
    claims = sorted(claims, key=lambda c: places.get(c.paper_id, -1))
    for paper in papers:
        sources[source_file_name(paper.slug)] = paper.text
    out = io.BytesIO()
    users = {claim.created_by for claim in claims} | {link.created_by for link in links}
    for _ in write_project_qde(
        out, name=name, exported_at=exported_at, users=users, tags=tags, papers=papers, paper_authors=paper_authors,
        claims=lambda: claims, links=lambda: links,
    ):  # fmt: skip
        pass
    return out.getvalue()


def source_file_name(slug: str) -> str:
    """The file of a paper's text in the archive, under `sources/`."""
    return f"{guid('paper', slug)}.txt"


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
        attributes = {"name": xml_safe(name), "origin": ORIGIN, "creationDateTime": _stamp(exported_at)}
        with xf.element(_q("Project"), attributes, nsmap={None: NAMESPACE}):
            if users:
                element = _root("Users")
                for username in users:
                    _element(element, "User", guid=user_guids[username], name=username, id=username)
                xf.write(element)
            codebook = _root("CodeBook")
            _codes(_element(codebook, "Codes"), list(tags), NAMESPACE)
            xf.write(codebook)
            variables = _root("Variables")
            for variable in PAPER_VARIABLES:
                kind = "Integer" if variable == "year" else "Text"
                _element(variables, "Variable", guid=guid("variable", variable), name=variable, typeOfVariable=kind)
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
    return _element(None, element_name, **attributes)


def _write_sources(xf, papers: list, paper_authors, claims: Iterable, user_guids) -> Iterator[None]:
    """Each paper's TextSource, its selections written one at a time (a paper may hold many claims)."""
    claims = iter(claims)
    pending = next(claims, None)
    # Claims come in the papers' order (the database's order of slugs, whatever its collation): matched by
    # place in that order, so a claim of a paper not exported (none should be) is passed over.
    places = {paper.pk: place for place, paper in enumerate(papers)}
    with xf.element(_q("Sources")):
        for place, paper in enumerate(papers):
            while pending is not None and places.get(pending.paper_id, -1) < place:
                pending = next(claims, None)
            attributes = {
                "guid": guid("paper", paper.slug), "name": xml_safe(paper.slug),
                "plainTextPath": f"internal://{source_file_name(paper.slug)}",
                "creationDateTime": _stamp(paper.created_at), "modifiedDateTime": _stamp(paper.updated_at),
            }  # fmt: skip
            authors = paper_authors.get(paper.pk, [])
            values = paper_variables(paper, authors)
            description = f"{paper.title}" + (f" ({paper.year})" if paper.year else "")
            if authors:
                description += f". {'; '.join(authors)}"
            with xf.element(_q("TextSource"), {key: value for key, value in attributes.items() if value}):
                xf.write(_text_element(None, "Description", f"{description}. {values['identifier']}"))
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
        creatingUser=user_guids[claim.created_by], creationDateTime=_stamp(claim.created_at),
        modifiedDateTime=_stamp(claim.updated_at),
    )  # fmt: skip
    _text_element(selection, "Description", claim.statement)
    codes = [(tag, guid("tag", tag)) for tag, _ in sorted(claim.codings)]
    codes.append((f"stance:{claim.stance}", guid("stance", claim.stance)))
    for key, code_guid in codes:
        coding = _element(
            selection, "Coding", guid=guid("coding", f"{claim.id}:{key}"),
            creatingUser=user_guids[claim.created_by], creationDateTime=_stamp(claim.created_at),
        )  # fmt: skip
        _element(coding, "CodeRef", targetGUID=code_guid)
    _element(selection, "NoteRef", targetGUID=guid("memo", str(claim.id)))
    return selection


def _write_group(xf, group: str, elements: Iterable[etree._Element]) -> Iterator[None]:
    """`<group>` holding `elements`, written one at a time; nothing at all when there are none (the schema wants
    one at least)."""
    elements = iter(elements)
    first = next(elements, None)
    if first is None:
        return
    with xf.element(_q(group)):
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
        _text_element(note, "PlainTextContent", text)
        yield note


def _link(link) -> etree._Element:
    element = _root(
        "Link", guid=str(link.id), name=link.relation, direction="OneWay",
        originGUID=str(link.source_id), targetGUID=str(link.target_id),
    )  # fmt: skip
    _element(element, "NoteRef", targetGUID=guid("link-note", str(link.id)))
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
        group = _element(sets, "Set", guid=guid("author", author), name=author)
        _text_element(group, "Description", "The papers of this author (sco-claims).")
        for member in members:
            _element(group, "MemberSource", targetGUID=member)
    return sets


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
