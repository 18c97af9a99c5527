"""What a file is, by its content; what its name says it is. Both must agree."""

import io
import re
import zipfile
from pathlib import PurePath

from .errors import ExtractionError

KINDS = ("pdf", "docx", "html", "md", "txt")
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
            ".txt": "txt"}  # fmt: skip
NAMES = {"pdf": "a PDF", "docx": "a Word (.docx) document", "html": "an HTML page", "text": "plain text",
         "zip": "a zip archive", "binary": "binary data (not text)", "md": "Markdown text", "txt": "plain text"}  # fmt: skip
# Signatures of common binary files, so that a renamed image or archive is named as such.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
_HTML_SIGNS = re.compile(rb"<(!doctype\s+html|html|head|body|article|main|p|div|h[1-6])[\s>]", re.IGNORECASE)


def kind_from_name(name: str) -> str:
    suffix = PurePath(name or "").suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        shown = suffix or "no extension"
        raise ExtractionError(
            "unsupported_type",
            f"Files of this type ({shown}) cannot be uploaded: give a .pdf, .docx, .html, .md or .txt.",
        )
    return kind


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def detect_kind(data: bytes) -> str:
    """pdf, docx, zip, binary, html or text, from the bytes alone."""
    # A PDF's header may follow a little junk (the specification allows it within the first kilobyte).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data) else "zip"
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        return "binary"
    return "html" if _HTML_SIGNS.search(data[:65536]) else "text"


def check_agrees(name: str, data: bytes) -> str:
    """The kind the name declares, if the content is of that kind; else a refusal naming both."""
    declared = kind_from_name(name)
    found = detect_kind(data)
    # Markdown and plain text may well hold HTML tags; an .html file must look like HTML.
    agrees = found == declared or (declared in ("md", "txt") and found in ("text", "html"))
    if not agrees:
        raise ExtractionError(
            "not_what_its_name_says",
            f"The file is named {PurePath(name).name!r} but its content is {NAMES.get(found, found)}, "
            f"not {NAMES[declared]}.",
        )
    return declared
