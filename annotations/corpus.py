"""Read papers and the codebook from files into plain specs (no ORM); services.corpus_load writes them."""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .textrules import control_character_problem

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
SHIPPED_CORPUS = FIXTURES_DIR / "corpus.json"
SHIPPED_CODEBOOK = FIXTURES_DIR / "codebook.json"
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SLUG_PATTERN = re.compile(r"^[-a-z0-9_]+$")


class CorpusError(ValueError):
    """A file or its metadata cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class AuthorSpec:
    """An author as a corpus file names them; matched by name."""

    name: str
    affiliation: str = ""
    country: str = ""
    note: str = ""


@dataclass(frozen=True)
class PaperSpec:
    """A paper to load: its metadata, its text as read (verbatim) and its authors in byline order."""

    slug: str
    title: str
    text: str
    authors: tuple[AuthorSpec, ...] = ()
    year: int | None = None
    year_note: str = ""
    venue: str = ""


@dataclass(frozen=True)
class TagSpec:
    """A codebook entry; `parent` is another entry's slug."""

    slug: str
    name: str
    description: str = ""
    colour: str = "#888888"
    parent: str | None = None


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: {"papers": 0, "authors": 0, "tags": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"papers": 0, "authors": 0, "tags": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"papers": 0, "authors": 0, "tags": 0})
    revisions: list = field(default_factory=list)  # the PaperRevisions made for changed texts

    def __str__(self) -> str:
        parts = []
        for kind in ("papers", "authors", "tags"):
            parts.append(
                f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, {self.unchanged[kind]} unchanged"
            )
        return "; ".join(parts)


def read_verbatim(path: Path) -> str:
    """The file's text as the contract stores it: UTF-8, BOM removed, CRLF → LF, nothing else."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError as error:
        raise CorpusError(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from error
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        raise CorpusError(f"{path}: the text is empty")
    if problem := control_character_problem(text):
        raise CorpusError(f"{path}: {problem}")
    return text


def _text(value: Any, where: str, name: str, required: bool = False) -> str:
    if value is None:
        if required:
            raise CorpusError(f"{where}: '{name}' is required")
        return ""
    if not isinstance(value, str):
        raise CorpusError(f"{where}: '{name}' must be a string")
    if required and not value.strip():
        raise CorpusError(f"{where}: '{name}' must not be empty")
    if problem := control_character_problem(value):
        raise CorpusError(f"{where}: '{name}': {problem}")
    return value.strip()


def paper_spec_from_metadata(entry: dict, text_path: Path, where: str) -> PaperSpec:
    if not isinstance(entry, dict):
        raise CorpusError(f"{where}: each paper must be an object")
    slug = _text(entry.get("slug") or text_path.stem, where, "slug", required=True)
    if not SLUG_PATTERN.match(slug):
        raise CorpusError(f"{where}: slug {slug!r} may hold only lowercase letters, digits, '-' and '_'")
    year = entry.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 0 < year < 10000):
        raise CorpusError(f"{where}: 'year' must be a whole number such as 2010")
    authors = entry.get("authors") or []
    if not isinstance(authors, list):
        raise CorpusError(f"{where}: 'authors' must be a list")
    author_specs = []
    for i, author in enumerate(authors):
        spot = f"{where}.authors[{i}]"
        if isinstance(author, str):
            author = {"name": author}
        if not isinstance(author, dict):
            raise CorpusError(f"{spot}: an author is a name or an object with 'name'")
        author_specs.append(
            AuthorSpec(
                name=_text(author.get("name"), spot, "name", required=True),
                affiliation=_text(author.get("affiliation"), spot, "affiliation"),
                country=_text(author.get("country"), spot, "country"),
                note=_text(author.get("note"), spot, "note"),
            )
        )
    return PaperSpec(
        slug=slug,
        title=_text(entry.get("title"), where, "title", required=True),
        text=read_verbatim(text_path),
        authors=tuple(author_specs),
        year=year,
        year_note=_text(entry.get("year_note"), where, "year_note"),
        venue=_text(entry.get("venue"), where, "venue"),
    )


def _load_json(path: Path) -> Any:
    try:
        return json.loads(read_verbatim(path))
    except json.JSONDecodeError as error:
        raise CorpusError(f"{path}: not valid JSON ({error.msg}, line {error.lineno})") from error


def _entries(path: Path, key: str):
    """The entries of the list `key` in the JSON object of `path`, each with where it stands (for messages)."""
    data = _load_json(path)
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorpusError(f"{path}: expected an object with a list '{key}'")
    for i, entry in enumerate(entries):
        yield f"{path}: {key}[{i}]", entry


def papers_from_corpus_file(path: Path) -> list[PaperSpec]:
    """Papers listed in a corpus.json-style file: {"papers": [{"slug", "file", "title", "authors", ...}]}."""
    specs = []
    for where, entry in _entries(path, "papers"):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise CorpusError(f"{where}: each paper needs 'file', the path of its text")
        text_path = _text_file_beside(path, entry["file"])
        specs.append(paper_spec_from_metadata(entry, text_path, where))
    return specs


def _text_file_beside(corpus_file: Path, name: str) -> Path:
    # The shipped layout keeps texts in papers/ beside corpus.json; a plain layout keeps them beside it.
    for candidate in (corpus_file.parent / name, corpus_file.parent / "papers" / name):
        if candidate.exists():
            return candidate
    raise CorpusError(f"{corpus_file}: text file {name!r} not found beside it or in papers/")


def paper_from_text_file(path: Path, overrides: dict[str, Any]) -> PaperSpec:
    """A single .txt/.md paper; metadata from a sidecar PATH.json if present, then from `overrides`."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise CorpusError(f"{path}: give a .txt or .md paper, or a corpus .json file")
    metadata: dict[str, Any] = {}
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        metadata = _load_json(sidecar)
        if not isinstance(metadata, dict):
            raise CorpusError(f"{sidecar}: expected an object with the paper's metadata")
    metadata |= {key: value for key, value in overrides.items() if value not in (None, [], "")}
    metadata.setdefault("title", _first_heading(path))
    return paper_spec_from_metadata(metadata, path, str(path))


def _first_heading(path: Path) -> str:
    for line in read_verbatim(path).splitlines():
        title = line.strip().lstrip("#").strip().strip("*").strip()
        if title:
            return title[:500]
    return path.stem


def tags_from_codebook_file(path: Path) -> list[TagSpec]:
    specs = []
    for where, entry in _entries(path, "tags"):
        if not isinstance(entry, dict):
            raise CorpusError(f"{where}: each tag must be an object")
        specs.append(
            TagSpec(
                slug=_text(entry.get("slug"), where, "slug", required=True),
                name=_text(entry.get("name"), where, "name", required=True),
                description=_text(entry.get("description"), where, "description"),
                colour=_text(entry.get("colour"), where, "colour") or "#888888",
                parent=entry.get("parent") or None,
            )
        )
    return specs
