"""PDF text with pypdf, page by page, keeping where each page starts in the text."""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from .errors import ExtractionError
from .result import Extracted, Limits, clean

# Pages are joined by a blank line, which belongs to the page before it: the ranges cover the text.
PAGE_SEPARATOR = "\n\n"


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        # A file encrypted only against editing opens with the empty password, as in any viewer.
        opened = not encrypted or _decrypts(reader)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise ExtractionError("unreadable", f"The PDF cannot be read ({error}).") from error
    if not opened:
        raise ExtractionError(
            "encrypted", "The PDF is encrypted (it needs a password): save an unprotected copy and upload that."
        )
    return reader


def _decrypts(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except (DependencyError, FileNotDecryptedError, NotImplementedError):
        return False


def extract_pdf(data: bytes, limits: Limits) -> Extracted:
    reader = _open(data)
    try:
        count = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise ExtractionError("unreadable", f"The PDF's pages cannot be read ({error}).") from error
    if count > limits.max_pages:
        raise ExtractionError(
            "too_many_pages", f"The PDF has {count} pages; at most {limits.max_pages} can be uploaded."
        )
    texts: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = clean(page.extract_text() or "")
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
            raise ExtractionError("unreadable", f"Page {number} of the PDF cannot be read ({error}).") from error
        total += len(text) + len(PAGE_SEPARATOR)
        if total > limits.max_text:
            raise ExtractionError(
                "text_too_long", f"The text passes {limits.max_text} characters by page {number}; split the file."
            )
        texts.append(text)
    if not any(text.strip() for text in texts):
        raise ExtractionError(
            "no_text",
            "The PDF has no text to extract (a scanned document?): run it through OCR first, then upload that.",
        )
    return Extracted(kind="pdf", **joined_pages(texts))


def joined_pages(texts: list[str]) -> dict:
    """The pages' texts joined by PAGE_SEPARATOR, and each page's [start, end) range in the joined text."""
    pages, at = [], 0
    for i, text in enumerate(texts):
        length = len(text) + (len(PAGE_SEPARATOR) if i < len(texts) - 1 else 0)
        pages.append([at, at + length])
        at += length
    return {"text": PAGE_SEPARATOR.join(texts), "pages": pages}


# pypdf logs each oddity of a damaged file as a warning; the refusal above says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)
