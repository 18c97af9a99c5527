"""A codebook file (JSON, CSV or a REFI-QDA `.qdc`) read into tag records and checked whole, before anything is
written: every problem is named by its place (`tags[3].colour`, `row 4: parent`, `codebook.qdc:Codes/Code[2]`).
Pure: bytes and what the project holds in, records or ImportRefused out."""

import csv
import io
from datetime import UTC, datetime

from .. import safejson
from ..exports import FORMULA_STARTS
from ..exports.codebook import COLUMNS
from ..textrules import control_character_problem
from .records import COLOUR, SLUG, ImportRefused, Problems
from .refiqda import read_qdc
from .xml_zip import looks_like_xml

LIMITS = {"slug": 50, "name": 120, "description": 300}
MAX_TAGS = 5000


def sniff(raw: bytes) -> str:
    """The kind of a codebook file by its content, not its name: `qdc` (XML), `json` or `csv`."""
    if looks_like_xml(raw):
        return "qdc"
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if start in (b"{", b"[") else "csv"


def _text(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused({where: [f"The file is not UTF-8 text ({error})."]}) from error


def _from_json(raw: bytes) -> tuple[list, str]:
    try:
        data = safejson.loads(_text(raw, "file"))
    except safejson.UnsafeJSON as error:
        raise ImportRefused({error.path or "file": [str(error)]}) from error
    tags = data.get("tags") if isinstance(data, dict) else data
    if not isinstance(tags, list):
        raise ImportRefused({"file": ['Give the codebook as {"tags": [...]} or as a list of tags.']})
    return tags, "tags[{index}]"


def _uncell(value: str) -> str:
    """Undo the CSV export's formula guard: one leading `'` before a formula start."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _from_csv(raw: bytes) -> tuple[list, str]:
    text = _text(raw, "file")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportRefused({"file": [f"Not readable as CSV: {error}."]}) from error
    if not rows:
        raise ImportRefused({"file": ["The file is empty."]})
    header = [name.strip().lower() for name in rows[0]]
    missing = [name for name in ("slug", "name") if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        raise ImportRefused(
            {"row 1": [f"The header must name the columns {', '.join(COLUMNS)} (slug and name required); "
                       + (f"missing: {', '.join(missing)}. " if missing else "")
                       + (f"unknown: {', '.join(unknown)}." if unknown else "")]}
        )  # fmt: skip
    tags = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            tags.append(None)  # a blank line: skipped, but it keeps the row numbers right
            continue
        if len(row) != len(header):
            tags.append({"__problem__": f"It has {len(row)} cells; the header has {len(header)}."})
            continue
        tags.append({name: _uncell(cell) for name, cell in zip(header, row, strict=True)})
    return tags, "row {row}"


def read_codebook(raw: bytes, kind: str | None = None) -> tuple[str, list[dict], dict[str, str]]:
    """The file's kind, its tag records (slug, name, description, colour, parent), checked one by one and
    against each other, and where each slug stands in the file; ImportRefused with every problem found."""
    kind = kind or sniff(raw)
    if kind == "qdc":
        document = read_qdc(raw, now=datetime.now(UTC).isoformat())
        items, where = document.tags, "codebook.qdc:Code[{index}] ({slug})"
    elif kind == "json":
        items, where = _from_json(raw)
    elif kind == "csv":
        items, where = _from_csv(raw)
    else:
        raise ImportRefused({"format": [f'Unknown codebook format "{kind}": use json, csv or qdc.']})
    return kind, *check_records(items, where)


def check_records(items: list, where: str) -> tuple[list[dict], dict[str, str]]:
    """Each record's fields, then slugs given twice; `where` names an item by its index, row or slug."""
    if len([item for item in items if item is not None]) > MAX_TAGS:
        raise ImportRefused({"file": [f"The codebook has more than {MAX_TAGS} tags."]})
    problems = Problems()
    records: list[dict] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(items):
        if item is None:
            continue
        slug = item.get("slug") if isinstance(item, dict) else None
        place = where.format(index=index, row=index + 2, slug=slug)
        if not isinstance(item, dict):
            problems.add(place, "Give each tag as an object with slug, name, description, colour and parent.")
            continue
        if "__problem__" in item:
            problems.add(place, item["__problem__"])
            continue
        record, found = _record(item)
        for field, message in found:
            problems.add(f"{place}.{field}" if "[" in place else f"{place}: {field}", message)
        if found:
            continue
        if record["slug"] in seen:
            problems.add(place, f'The slug "{record["slug"]}" is given twice (also at {seen[record["slug"]]}).')
            continue
        seen[record["slug"]] = place
        records.append(record)
    if problems:
        raise ImportRefused(problems.found)
    return records, seen


def _record(item: dict) -> tuple[dict, list[tuple[str, str]]]:
    found: list[tuple[str, str]] = []
    unknown = sorted(set(item) - set(COLUMNS) - {"status", "proposed_by"})
    found += [(name, "Unknown field: use slug, name, description, colour and parent.") for name in unknown]
    record = {}
    for name in COLUMNS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            found.append((name, "Give it as text."))
            continue
        value = (value or "").strip()
        problem = control_character_problem(value)
        if problem:
            found.append((name, problem))
        elif name in LIMITS and len(value) > LIMITS[name]:
            found.append((name, f"At most {LIMITS[name]} characters ({len(value)} given)."))
        record[name] = value
    if found:
        return record, found
    if not record["slug"] or not SLUG.match(record["slug"]):
        found.append(("slug", f'"{record["slug"]}" is not a slug: use letters, digits, - and _.'))
    if not record["name"]:
        found.append(("name", "A tag needs a name."))
    record["colour"] = (record["colour"] or "#888888").lower()
    if not COLOUR.match(record["colour"]):
        found.append(("colour", f'"{record["colour"]}" is not a colour: give it as #rrggbb.'))
    record["parent"] = record["parent"] or None
    if record["parent"] == record["slug"]:
        found.append(("parent", "A tag cannot be its own parent."))
    return record, found
