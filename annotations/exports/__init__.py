"""Exchange formats: pure presenters that turn already-fetched rows into documents, chunk by chunk.

Nothing here queries the database: the views and the export command fetch with the selectors (so the
visibility and filters of claims/ apply) and hand the iterators over. Each format module yields text
chunks, so a response or a file can be written as it is produced and memory stays flat.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# A text cell starting with one of these is run as a formula by spreadsheet programs (=, +, -, @; tab and
# carriage return are stripped first by some). A leading quote is escaped too, so that the rule can be undone
# without doubt: remove one leading "'" from any text cell that starts with one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def iso(moment: datetime | None) -> str | None:
    """A timestamp as ISO 8601 in UTC with microseconds kept (so a round trip loses nothing)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("the timestamp has no time zone")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    filename: str


FORMATS = {
    "native": Format("native", "application/json; charset=utf-8", "sco-claims.json"),
    "w3c": Format("w3c", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', "sco-claims.jsonld"),
    "aif": Format("aif", "application/json; charset=utf-8", "sco-claims-aif.json"),
    "graphml": Format("graphml", "application/graphml+xml; charset=utf-8", "sco-claims.graphml"),
    "csv": Format("csv", "text/csv; charset=utf-8", "sco-claims.csv"),
}


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text and never runs (OWASP's rule: a leading single quote). Only text is
    touched: numbers we write (a weight of -1, offsets) stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Every CSV row the app writes goes through here."""
    return [csv_cell(value) for value in values]
