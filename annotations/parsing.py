"""Reading numbers out of query strings: the one rule every page and endpoint uses."""

# 18 digits fit a signed 64-bit integer, which is what SQLite and PostgreSQL ids and offsets hold.
MAX_DIGITS = 18


def whole_number(text: str, *, maximum: int | None = None) -> int | None:
    """`text` as a non-negative integer if it is ASCII digits only (at most 18, and at most `maximum`),
    else None. str.isdigit alone accepts "²" and "٣", which int() refuses or reads unexpectedly."""
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS):
        return None
    value = int(text)
    return None if maximum is not None and value > maximum else value
