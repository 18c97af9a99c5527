"""Read an import file and check all of it before anything is written: parse, validate, plan.

Two kinds of file come in: the native export (`exports/native.py`) and W3C Web Annotations (an
`AnnotationCollection`, an `AnnotationPage`, one `Annotation` or a list of them) whose targets carry a
`TextQuoteSelector`, as Hypothesis and similar tools write them. W3C annotations are translated into native
records first and placed again by their quote, so both go through the same checks.

Every problem is gathered with the path of the item that causes it (`claims[12].target`,
`links[3].source`); the plan is only returned when there are none. The lookups of what the instance
already holds are given by the caller (`Known`), so this package runs no queries.

Rules for items already present (same id):
- identical to the stored one: left unchanged;
- different, with a higher `version` than the stored one: the stored one is updated to the file's;
- different otherwise: a conflict, reported as a problem (nothing is written).
Papers, authors and tags already present are never changed by an import; a paper's text must be the same.
W3C annotations whose id is already present are left unchanged (the format does not carry everything).
"""

from typing import Any

from ..exports import native
from .records import Document, ImportRefused, Known, Plan, Problems
from .validate import referenced, validate
from .w3c import read_w3c, w3c_annotations

__all__ = ["Document", "ImportRefused", "Known", "Plan", "read", "referenced", "validate"]


def read(document: Any, *, acting_username: str | None = None, paper: str | None = None) -> Document:
    """Recognise the kind of file and bring it into native sections; refuses what is neither kind."""
    if isinstance(document, dict) and ("format" in document or "claims" in document):
        return _read_native(document)
    annotations, path = w3c_annotations(document)
    return read_w3c(annotations, path, acting_username=acting_username, paper=paper)


def _read_native(document: dict) -> Document:
    problems = Problems()
    if document.get("format") != native.FORMAT_NAME:
        problems.add("format", f'This is not a sco-claims file: "format" must be "{native.FORMAT_NAME}".')
    version = document.get("version")
    if version != native.FORMAT_VERSION:
        problems.add(
            "version",
            f"Unsupported version {version!r}: this instance reads version {native.FORMAT_VERSION} of the format.",
        )
    sections = {}
    for name in native.SECTIONS:
        value = document.get(name, [])
        if not isinstance(value, list):
            problems.add(name, f'"{name}" must be a list.')
            value = []
        sections[name] = value
    if problems:
        raise ImportRefused(problems.found)
    return Document(kind="native", **sections)
