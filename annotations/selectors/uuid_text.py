"""UUID columns read as text: tens of thousands of `uuid.UUID` objects cost seconds, and the rows that list
claims and links want strings anyway."""

from django.db.models import CharField
from django.db.models.functions import Cast


def as_text(field: str) -> Cast:
    """The column cast to text in the query (SQLite gives 32 hex digits, PostgreSQL the dashed form)."""
    return Cast(field, output_field=CharField())


def dashed(text: str) -> str:
    """A UUID's text as `str(uuid)` and the API write it."""
    if len(text) == 36:
        return text
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
