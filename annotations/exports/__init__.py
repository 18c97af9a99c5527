"""Exchange formats: pure presenters that turn already-fetched rows into documents, chunk by chunk.

Nothing here queries the database: the views and the export command fetch with the selectors (so the
visibility and filters of claims/ apply) and hand the iterators over. Each format module yields text
chunks, so a response or a file can be written as it is produced and memory stays flat.
"""

from dataclasses import dataclass
from datetime import UTC, datetime


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
