"""Plain text and Markdown: stored verbatim, read as load_corpus reads a paper (corpus.read_verbatim)."""

from ..textrules import control_character_problem
from .errors import ExtractionError


def decode_text(data: bytes) -> str:
    """UTF-8, BOM removed, CRLF as LF, nothing else changed; refused control characters refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExtractionError(
            "not_utf8", f"The file is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8."
        ) from error
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if problem := control_character_problem(text):
        raise ExtractionError("control_characters", problem)
    return text
