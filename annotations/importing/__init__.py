"""Read an import file and check all of it before anything is written: parse, validate, plan.

Files come in as the native export (`exports/native.py`), REFI-QDA projects and codebooks (`refiqda.py`),
Hypothesis rows (`hypothesis.py`) and W3C Web Annotations (an `AnnotationCollection`, an `AnnotationPage`,
one `Annotation` or a list of them) whose targets carry a `TextQuoteSelector`. Every kind is translated into
native records first (W3C and Hypothesis claims placed again by their quote), so all go through the same checks.

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

import re
from typing import Any

from ..exports import native
from . import refiqda
from .hypothesis import hypothesis_rows, read_hypothesis
from .records import Document, ImportRefused, Known, Plan, Problems
from .validate import referenced, validate
from .w3c import read_w3c, w3c_annotations

# The analysts' independent layers of an export (`?layers=independent`): read, never imported.

__all__ = ["Document", "ImportRefused", "Known", "Plan", "read", "referenced", "validate", "without_unplaced"]


def read(
    document: Any, *, acting_username: str | None = None, paper: str | None = None, now: str | None = None
) -> Document:
    """Recognise the kind of file and bring it into native sections; refuses what is no known kind.

    `document` is parsed JSON, or the bytes of a REFI-QDA `.qdpx` (zip) or `.qdc` (XML)."""
    if isinstance(document, bytes):
        return refiqda.read_file(document, acting_username=acting_username, now=now or "")
    if isinstance(document, dict) and ("format" in document or "claims" in document):
        return _read_native(document)
    rows = hypothesis_rows(document)
    if rows is not None:
        return read_hypothesis(rows[0], rows[1], acting_username=acting_username)
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
    skipped = []
    rounds = document.get(native.ROUNDS_SECTION)
    if rounds:
        count = len(rounds) if isinstance(rounds, list) else 1
        skipped.append(
            f"{native.ROUNDS_SECTION}: {count} coding round(s) not imported. Rounds are the exporting project's organisation "
            "(who was to code which paper, and when), not its data: the analysts' claims and links are imported as "
            "usual; an owner opens rounds in this project on its Rounds page (docs/exchange.md)."
        )
    return Document(kind="native", skipped=skipped, **sections)


def without_unplaced(doc: Document, claims: list, problems: dict[str, list[str]]) -> tuple[list, dict[str, list[str]]]:
    """The claims (as read, before validation) of the rows that had no problem, and the problems of the rows
    left out; refuses when a problem is not one row's (the file as a whole is wrong)."""
    section = doc.paths["claims"]
    rows: set[int] = set()
    for path in problems:
        match = re.match(rf"^{re.escape(section)}\[(\d+)\]", path)
        if match is None:
            raise ImportRefused(problems)
        rows.add(int(match.group(1)))
    doc.early_problems = {}
    return [claim for claim in claims if claim.get("_index") not in rows], problems
