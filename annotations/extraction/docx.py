"""Word (.docx) text with python-docx, after the zip is checked: its parts' declared sizes are summed before
anything is inflated (a zip bomb is refused unread), and python-docx parses the XML without resolving
entities (its parser is built with resolve_entities=False; lxml never reads the network)."""

import io
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .errors import ExtractionError
from .result import Extracted, Limits, clean

MAX_PARTS = 2000
# Deflate cannot shrink text by more than about 1000:1; a part claiming more is a bomb, whatever its size.
MAX_RATIO = 200


def _check_zip(data: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ExtractionError("unreadable", f"The Word file cannot be opened ({error}).") from error
    if len(infos) > MAX_PARTS:
        raise ExtractionError("unreadable", f"The Word file holds {len(infos)} parts; at most {MAX_PARTS} are read.")
    unzipped = sum(info.file_size for info in infos)
    bomb = any(info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1_000_000 for info in infos)
    if unzipped > limits.max_unzipped or bomb:
        raise ExtractionError(
            "too_large",
            f"The Word file unzips to {unzipped} bytes (at most {limits.max_unzipped}, "
            f"and at most {MAX_RATIO} times its compressed size per part): it is refused unread.",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise ExtractionError("encrypted", "The Word file is encrypted: save an unprotected copy and upload that.")


def _blocks(document) -> list[str]:
    """Paragraphs and table rows in document order; a table row's cells separated by tabs."""
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                blocks.append("\t".join(cell.text for cell in row.cells))
    return blocks


def extract_docx(data: bytes, limits: Limits) -> Extracted:
    _check_zip(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise ExtractionError("unreadable", f"The Word file cannot be read ({error}).") from error
    text = clean("\n\n".join(block.strip() for block in blocks if block.strip()))
    if not text:
        raise ExtractionError("no_text", "The Word file has no text.")
    if len(text) > limits.max_text:
        raise ExtractionError("text_too_long", f"The text has more than {limits.max_text} characters; split the file.")
    return Extracted(kind="docx", text=text)
