"""The one entry point: check the size and the type, then extract by kind."""

from .detect import check_agrees
from .docx import extract_docx
from .errors import ExtractionError
from .html import extract_html
from .pdf import extract_pdf
from .result import Extracted, Limits
from .text import decode_text


def extract(data: bytes, name: str, limits: Limits | None = None) -> Extracted:
    """The text of the file `name` holding `data`, or ExtractionError (too large, unsupported, not what its
    name says, encrypted, no text, too many pages, unreadable)."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ExtractionError(
            "too_large",
            f"The file is {_size(len(data))}; at most {_size(limits.max_bytes)} can be uploaded.",
        )
    if not data.strip():
        raise ExtractionError("no_text", "The file is empty.")
    kind = check_agrees(name, data)
    if kind == "pdf":
        return extract_pdf(data, limits)
    if kind == "docx":
        return extract_docx(data, limits)
    if kind == "html":
        return extract_html(data, limits)
    text = decode_text(data)
    if not text.strip():
        raise ExtractionError("no_text", "The file holds only white space.")
    if len(text) > limits.max_text:
        raise ExtractionError("text_too_long", f"The text has more than {limits.max_text} characters; split the file.")
    return Extracted(kind=kind, text=text)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count} bytes"
