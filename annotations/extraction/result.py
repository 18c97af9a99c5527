"""What an extraction gives back, and the limits it works under."""

from dataclasses import dataclass, field

from ..textrules import CONTROL_CHARACTERS


@dataclass(frozen=True)
class Limits:
    """Refuse beyond these: bytes of the file, pages of a PDF, code points of the text, bytes of a .docx's
    unzipped parts (a zip bomb is refused before it is inflated)."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 2000
    max_text: int = 5_000_000
    max_unzipped: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class Extracted:
    """The text as it will be stored and, for a PDF, each page's [start, end) code-point range (contiguous,
    covering the text: a page ends where the next begins); `kind` is what the content is."""

    kind: str
    text: str
    pages: list[list[int]] = field(default_factory=list)


def clean(text: str) -> str:
    """Extracted text as stored text: CRLF and lone CR as LF, refused control characters (form feeds, NULs
    a PDF or a Word file may hold) as spaces, no trailing spaces on lines, no blank lines at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL_CHARACTERS.sub(" ", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
