"""Text out of uploaded files (PDF, Word, HTML, Markdown, plain text): pure functions, bytes in, text out; no ORM.

`extract(data, name, limits)` detects the type by content, refuses a file that is not what its name says, and
returns the text as it will be stored (with each page's code-point range for a PDF) or raises ExtractionError
with a message for the analyst. See docs/uploads.md for the choice of libraries and the limits.
"""

from .detect import KINDS, detect_kind, kind_from_name
from .errors import ExtractionError
from .result import Extracted, Limits
from .run import extract

__all__ = ["KINDS", "Extracted", "ExtractionError", "Limits", "detect_kind", "extract", "kind_from_name"]
