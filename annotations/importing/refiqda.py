"""A REFI-QDA project (`.qdpx`) or codebook (`.qdc`) read into native records, checked before anything is written.

Text sources become papers, their plain-text selections claims (placed by their code-point positions), codes
tags (hierarchy kept), links between two selections links. Our own files (see exports/refiqda.py) give back
slugs, stances, speakers, statuses and notes from their codes and memos; files from other tools give what
the standard carries (the mapping is in docs/exchange.md). Picture, PDF, audio and video sources, codings of
whole sources, and links that do not join two selections with one of our relations are left out and listed
in the report's `skipped`.

Hostile files are refused with the place named: not a zip, too many members or too many bytes once
uncompressed (a zip bomb), a DTD or entities (never resolved; no network), XML that fails the schema,
selections outside their source, references to codes, users or notes that do not exist (xml_zip.py opens the
containers).
"""

import re
import unicodedata
import uuid
from datetime import UTC, datetime

from lxml import etree

from .. import anchoring
from ..exports import refiqda
from ..models import Link, Stance, Status
from .records import Document, ImportRefused, Problems
from .xml_zip import is_zip, looks_like_xml, parse_xml, read_zip, refused

# A .qdpx is a zip: what it may hold once inflated, against zip bombs.
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
_N = {"q": refiqda.NAMESPACE}
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_USERNAME_CHARS = re.compile(r"[^\w.@+-]+")


def _guid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value.strip("{}")))
    except ValueError:
        return None


def slugify(value: str, limit: int) -> str:
    """A slug made of a name another tool gave (`Drugs & crime` → `drugs-crime`)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_CHARS.sub("-", ascii_text).strip("-")[:limit].strip("-") or "x"


def _unique(slug: str, taken: set[str], limit: int) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate, number = slug[: limit - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def _text_of(element, name: str, ns: dict[str, str] = _N) -> str | None:
    child = element.find(f"q:{name}", ns)
    return child.text or "" if child is not None else None


def _iso(value: str | None, fallback: str) -> str:
    if not value:
        return fallback
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _memo(text: str) -> dict[str, str]:
    """The `Key: value` lines of one of our memos; everything after `Note:` / `Rationale:` is the note."""
    fields: dict[str, str] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line in ("Note:", "Rationale:"):
            fields["note"] = "\n".join(lines[index + 1 :])
            break
        key, _, value = line.partition(": ")
        fields[key.lower()] = value
    return fields


class _Reader:
    def __init__(self, files: dict[str, bytes], root, acting_username: str | None, now: str, ns=_N):
        self.files, self.root, self.now, self.ns = files, root, now, ns
        self.acting = acting_username
        self.problems = Problems()
        self.doc = Document(kind="qdpx", reanchor=False, paths={"claims": "selections", "links": "links"})
        self.codes: dict[str, str] = {}  # guid → tag slug
        self.stances = {refiqda.guid("stance", name): name for name in refiqda.STANCES}
        self.ignored_codes = {refiqda.guid("code", refiqda.STANCE_CODE)}
        self.users: dict[str, str] = {}
        self.notes: dict[str, tuple[str, str]] = {}  # guid → (name, text)
        self.selections: set[str] = set()
        self.skipped: list[str] = []

    # --- codebook ---
    def read_codes(self, codes_element, where: str) -> None:
        taken: set[str] = set()

        def walk(element, parent: str | None, path: str) -> None:
            for index, code in enumerate(element.findall("q:Code", self.ns)):
                here = f"{path}/Code[{index}]"
                code_guid = _guid(code.get("guid"))
                name = code.get("name", "")
                if code_guid in self.ignored_codes or code_guid in self.stances:
                    walk(code, None, here)
                    continue
                description = _text_of(code, "Description", self.ns) or ""
                own = code_guid == refiqda.guid("tag", name)
                if own:  # ours: the name is the slug; the description holds the tag's name, then its description
                    slug = name
                    tag_name, _, tag_description = description.partition("\n\n")
                    proposed = tag_description.endswith(refiqda.PROPOSED_MARK)
                    tag_description = tag_description.removesuffix(refiqda.PROPOSED_MARK).rstrip("\n")
                    taken.add(slug)
                else:
                    slug = _unique(slugify(name, 50), taken, 50)
                    tag_name, tag_description, proposed = name, description, False
                colour = code.get("color") or "#888888"
                if len(colour) == 4:  # #rgb
                    colour = "#" + "".join(ch * 2 for ch in colour[1:])
                self.codes[code_guid] = slug
                self.doc.tags.append({"slug": slug, "name": (tag_name or slug)[:120],
                                      "description": tag_description[:300], "colour": colour.lower(),
                                      "parent": parent, **({"status": "proposed"} if proposed else {})})  # fmt: skip
                walk(code, slug, here)

        walk(codes_element, None, where)

    # --- project ---
    def read_project(self) -> None:
        root = self.root
        for user in root.iterfind("q:Users/q:User", _N):
            name = user.get("id") or user.get("name") or user.get("guid")
            self.users[_guid(user.get("guid"))] = _USERNAME_CHARS.sub("_", name.strip())[:150] or "user"
        codes = root.find("q:CodeBook/q:Codes", _N)
        if codes is not None:
            self.read_codes(codes, "project.qde:CodeBook/Codes")
        for index, note in enumerate(root.iterfind("q:Notes/q:Note", _N)):
            text = self.source_text(note, f"project.qde:Notes/Note[{index}]", required=False)
            self.notes[_guid(note.get("guid"))] = (note.get("name", ""), text or "")
        self.variables = {_guid(v.get("guid")): v.get("name", "") for v in root.iterfind("q:Variables/q:Variable", _N)}
        sources = root.find("q:Sources", _N)
        slugs: set[str] = set()
        if sources is not None:
            for index, source in enumerate(sources):
                kind = etree.QName(source).localname
                where = f"project.qde:Sources/{kind}[{index}]"
                if kind != "TextSource":
                    self.skipped.append(f"{where} ({source.get('name', '')}): only text sources are imported.")
                    continue
                self.read_text_source(source, where, slugs)
        for index, link in enumerate(root.iterfind("q:Links/q:Link", _N)):
            self.read_link(link, f"project.qde:Links/Link[{index}]")

    def source_text(self, element, where: str, *, required: bool = True) -> str | None:
        content = _text_of(element, "PlainTextContent")
        if content is not None:
            return content
        path = element.get("plainTextPath")
        if not path:
            if required:
                self.problems.add(where, "The source has neither PlainTextContent nor a plainTextPath.")
            return None
        if not path.startswith("internal://"):
            self.problems.add(where, f"The text is outside the file ({path}): only internal:// paths are read.")
            return None
        member = "sources/" + path.removeprefix("internal://")
        raw = self.files.get(member)
        if raw is None:
            self.problems.add(where, f"The text {member} is missing from the archive.")
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.problems.add(where, f"The text {member} is not UTF-8.")
            return None

    def _values(self, source) -> dict[str, str]:
        values = {}
        for holder in source.findall("q:VariableValue", _N):
            ref = holder.find("q:VariableRef", _N)
            name = self.variables.get(_guid(ref.get("targetGUID"))) if ref is not None else None
            value = next((child.text for child in holder if child is not ref), None)
            if name and value is not None:
                values[name.lower()] = value
        return values

    def read_text_source(self, source, where: str, slugs: set[str]) -> None:
        name = source.get("name") or source.get("guid")
        where = f"{where} ({name})"
        text = self.source_text(source, where)
        if text is None:
            return
        own = _guid(source.get("guid")) == refiqda.guid("paper", name)
        slug = name if own else _unique(slugify(name, 100), slugs, 100)
        slugs.add(slug)
        values = self._values(source)
        authors = [a for a in (values.get("authors") or "").split("; ") if a.strip()]
        for author in authors:
            if author not in {a["name"] for a in self.doc.authors}:
                self.doc.authors.append({"name": author})
        year = values.get("year")
        self.doc.papers.append({
            "slug": slug, "title": (values.get("title") or name)[:500],
            "year": int(year) if year and year.isdigit() else None, "venue": values.get("venue", ""),
            "doi": values.get("doi"), "url": values.get("url"), "authors": authors, "text": text,
            "created_at": _iso(source.get("creationDateTime"), self.now),
            "updated_at": _iso(source.get("modifiedDateTime") or source.get("creationDateTime"), self.now),
        })  # fmt: skip
        if source.findall("q:Coding", _N):
            self.skipped.append(f"{where}: codings of the whole source are not imported (claims need a passage).")
        for index, selection in enumerate(source.findall("q:PlainTextSelection", _N)):
            self.read_selection(selection, f"{where}/PlainTextSelection[{index}]", slug, text)

    def _user(self, guid_value: str | None, where: str) -> str | None:
        if guid_value is None:
            return self.acting
        user = self.users.get(_guid(guid_value))
        if user is None:
            self.problems.add(where, f"Unknown user reference {guid_value}: it is not among the project's users.")
        return user

    def _note_texts(self, element, where: str) -> list[tuple[str, str]]:
        found = []
        for ref in element.findall("q:NoteRef", _N):
            note = self.notes.get(_guid(ref.get("targetGUID")))
            if note is None:
                self.problems.add(where, f"Unknown note reference {ref.get('targetGUID')}.")
            else:
                found.append(note)
        return found

    def read_selection(self, selection, where: str, slug: str, text: str) -> None:
        claim_id = _guid(selection.get("guid"))
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        if not 0 <= start < end <= len(text):
            self.problems.add(
                where, f"The selection {start}-{end} is outside its source (which has {len(text)} characters)."
            )
            return
        anchor = anchoring.anchor_at(text, start, end)
        tags, stance_code = [], None
        for index, coding in enumerate(selection.findall("q:Coding", _N)):
            target = coding.find("q:CodeRef", _N).get("targetGUID")
            code = _guid(target)
            if code in self.stances:
                stance_code = self.stances[code]
            elif code in self.codes:
                tags.append(self.codes[code])
            else:
                self.problems.add(f"{where}/Coding[{index}]", f"Unknown code reference {target}: no such code.")
        memo: dict[str, str] = {}
        others = []
        for name, note_text in self._note_texts(selection, where):
            if name == refiqda.MEMO_NAME:
                memo = _memo(note_text)
            else:
                others.append(note_text)
        stance = memo.get("stance") or stance_code or Stance.AFFIRMS
        per_tag = dict(pair.split(": ", 1) for pair in memo.get("stance on tags", "").split(", ") if ": " in pair)
        description = _text_of(selection, "Description")
        # The Description holds the statement as it is; the memo's line is for people (one line, see the export).
        statement = description or memo.get("statement") or selection.get("name") or anchor.exact
        status = memo.get("status")
        created = _iso(selection.get("creationDateTime"), self.now)
        self.selections.add(claim_id)
        self.doc.claims.append({
            "id": claim_id, "paper": slug,
            "target": {"start": start, "end": end, "exact": anchor.exact, "prefix": anchor.prefix,
                       "suffix": anchor.suffix},
            "statement": statement[:5000], "speaker": memo.get("speaker") or None, "stance": stance,
            "tags": sorted(set(tags)),
            "codings": [{"tag": tag, "stance": per_tag.get(tag, stance)} for tag in sorted(set(tags))],
            "note": memo["note"] if "note" in memo else "\n\n".join(others),
            "status": status if status in Status.values else Status.PENDING, "version": 1,
            "created_by": memo.get("analyst") or self._user(selection.get("creatingUser"), where),
            "created_at": created,
            "updated_at": _iso(selection.get("modifiedDateTime"), created),
            "moderated_by": None, "moderated_at": None, "moderation_reason": "", "deleted_at": None,
        })  # fmt: skip

    def read_link(self, link, where: str) -> None:
        origin, target = _guid(link.get("originGUID")), _guid(link.get("targetGUID"))
        relation = link.get("name", "")
        if origin not in self.selections or target not in self.selections:
            self.skipped.append(f"{where} ({relation}): only links between two selections are imported.")
            return
        if relation not in Link.Relation.values:
            self.skipped.append(f"{where}: the relation {relation!r} is not one of {', '.join(Link.Relation.values)}.")
            return
        memo: dict[str, str] = {}
        others = []
        for name, note_text in self._note_texts(link, where):
            if name == refiqda.LINK_NOTE_NAME:
                memo = _memo(note_text)
            else:
                others.append(note_text)
        status = memo.get("status")
        self.doc.links.append({
            "id": _guid(link.get("guid")), "source": origin, "target": target, "relation": relation,
            "rationale": memo["note"] if "note" in memo else "\n\n".join(others),
            "status": status if status in Status.values else Status.PENDING, "version": 1,
            "created_by": memo.get("analyst") or self.acting,
            "created_at": self.now, "updated_at": self.now,
            "moderated_by": None, "moderated_at": None, "moderation_reason": "", "deleted_at": None,
        })  # fmt: skip


def read_qdpx(raw: bytes, *, acting_username: str | None, now: str) -> Document:
    files = read_zip(raw, max_members=MAX_MEMBERS, max_bytes=MAX_UNCOMPRESSED)
    project = files.get("project.qde")
    if project is None:
        raise refused("file", "This is not a .qdpx: it has no project.qde.")
    root = parse_xml(project, "project.qde", refiqda.project_schema())
    reader = _Reader(files, root, acting_username, now)
    reader.read_project()
    if reader.problems:
        raise ImportRefused(reader.problems.found)
    reader.doc.skipped = reader.skipped
    return reader.doc


def read_qdc(raw: bytes, *, now: str) -> Document:
    root = parse_xml(raw, "codebook.qdc", refiqda.codebook_schema())
    reader = _Reader({}, root, None, now, {"q": refiqda.CODEBOOK_NAMESPACE})
    reader.doc.kind = "qdc"
    reader.read_codes(root.find(f"{{{refiqda.CODEBOOK_NAMESPACE}}}Codes"), "codebook.qdc:Codes")
    return reader.doc


def is_exchange_file(raw: bytes) -> bool:
    """A zip (.qdpx) or XML (.qdc) rather than JSON."""
    return is_zip(raw) or looks_like_xml(raw)


def read_file(raw: bytes, *, acting_username: str | None, now: str) -> Document:
    """A `.qdpx` (zip) or a `.qdc` (XML)."""
    if is_zip(raw):
        return read_qdpx(raw, acting_username=acting_username, now=now)
    if looks_like_xml(raw):
        return read_qdc(raw, now=now)
    raise refused("file", "This is neither a .qdpx (zip) nor a .qdc (XML) nor JSON.")
