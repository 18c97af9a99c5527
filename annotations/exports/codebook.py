"""A project's codebook as an exchange file: JSON, CSV (slug, name, description, colour, parent) or a REFI-QDA
codebook (`.qdc`, see refiqda.codebook_qdc). Pure: tag records in (parents before their children), bytes out."""

import csv
import io
import json
from collections.abc import Iterable

from . import csv_row, refiqda

COLUMNS = ("slug", "name", "description", "colour", "parent")
CODEBOOK_FORMATS = {
    "json": ("application/json", "codebook.json"),
    "csv": ("text/csv; charset=utf-8", "codebook.csv"),
    "qdc": ("application/xml; charset=utf-8", "codebook.qdc"),
}


def codebook_json(tags: Iterable[dict], *, project: str) -> bytes:
    """`{"project": slug, "tags": [{slug, name, description, colour, parent}]}`, parents first."""
    records = [{column: tag[column] for column in COLUMNS} for tag in tags]
    return json.dumps({"project": project, "tags": records}, ensure_ascii=False, indent=2).encode("utf-8")


def codebook_csv(tags: Iterable[dict]) -> bytes:
    """A header and one row per tag (RFC 4180, CRLF); a cell a spreadsheet would run as a formula gets a
    leading `'` (as every CSV export here), which the import takes off again."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for tag in tags:
        writer.writerow(csv_row("" if tag[column] is None else tag[column] for column in COLUMNS))
    return buffer.getvalue().encode("utf-8")


def codebook_file(tags: Iterable[dict], *, kind: str, project: str) -> bytes:
    if kind == "json":
        return codebook_json(tags, project=project)
    if kind == "csv":
        return codebook_csv(tags)
    return refiqda.codebook_qdc(tags)
