"""The shapes an import passes through: the file read into native sections, what the instance knows, the plan."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PAPER_IN_IRI = re.compile(r"/papers/([-a-zA-Z0-9_]+)/?(?:[?#].*)?$")
KINDS = ("users", "authors", "papers", "tags", "claims", "links")


class ImportRefused(Exception):
    """The file cannot be imported; `problems` maps each path to what is wrong there."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("; ".join(f"{path or 'file'}: {' '.join(msgs)}" for path, msgs in problems.items()))
        self.problems = problems


@dataclass
class Known:
    """What the instance holds that the file refers to; filled by the caller before validation."""

    paper_texts: dict[str, str] = field(default_factory=dict)  # slug → text
    author_names: set[str] = field(default_factory=set)
    tag_slugs: set[str] = field(default_factory=set)
    tag_parents: dict[str, str | None] = field(default_factory=dict)
    usernames: set[str] = field(default_factory=set)
    claims: dict[str, dict] = field(default_factory=dict)  # id → native record
    links: dict[str, dict] = field(default_factory=dict)
    claim_ids: set[str] = field(default_factory=set)  # any stored claim ids the links point to
    # Two claims carry at most one live link: {source, target} → (id, source, relation) of the live one stored.
    live_links: dict[frozenset[str], tuple[str, str, str]] = field(default_factory=dict)


@dataclass
class Plan:
    """What the import will write; `report` counts created/updated/unchanged per kind."""

    users: list[str] = field(default_factory=list)
    authors: list[dict] = field(default_factory=list)
    papers: list[dict] = field(default_factory=list)
    tags: list[dict] = field(default_factory=list)
    claims_new: list[dict] = field(default_factory=list)
    claims_changed: list[dict] = field(default_factory=list)
    links_new: list[dict] = field(default_factory=list)
    links_changed: list[dict] = field(default_factory=list)
    report: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: {"created": 0, "updated": 0, "unchanged": 0} for kind in KINDS}
    )


@dataclass
class Document:
    """A file turned into native sections (W3C files included), before any check against the instance."""

    kind: str  # "native" | "w3c" | "hypothesis" | "qdpx" | "qdc"
    papers: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    links: list = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=lambda: {"claims": "claims", "links": "links"})
    # W3C claims are placed by their quote; their positions are only a hint.
    reanchor: bool = False
    # What a reader left out, each with its place and why (REFI-QDA: non-text sources, links between codes).
    skipped: list[str] = field(default_factory=list)
    # Problems a reader found in items it could not turn into records (Hypothesis: replies, page notes);
    # validation reports them with the rest.
    early_problems: dict[str, list[str]] = field(default_factory=dict)


class Problems:
    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.found.setdefault(path, []).append(message)

    def count(self) -> int:
        return sum(len(messages) for messages in self.found.values())

    def __bool__(self) -> bool:
        return bool(self.found)


def runs_into_a_loop(slug: str, parents: Mapping[str, str | None]) -> bool:
    """Whether the chain of parents from tag `slug` (`parents`: slug -> its parent's slug) runs into a loop: the
    tag would sit under itself, or under a tag that does."""
    seen: set[str] = set()
    current: str | None = slug
    while current is not None and current not in seen:
        seen.add(current)
        current = parents.get(current)
    return current is not None
