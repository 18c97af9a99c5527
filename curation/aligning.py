"""Pure (no ORM): the analysts' versions of one paper's claims aligned into rows, one row a unit (claims of
different analysts on the same passage, by the agreement's matching rule), and the claim a merge of versions
makes. Plain data in, plain data out."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from annotations.agreement import MATCH_JACCARD, CodedClaim, match_units

# The parts of a claim a merge takes, each from one version.
MERGE_FIELDS = ("quote", "statement", "tags", "speaker")


@dataclass(frozen=True)
class Version:
    """One analyst's claim on the passage: where it stands (code points), what it says, and its codings as
    (tag slug, stance) pairs."""

    id: Hashable
    coder: str
    start: int
    end: int
    exact: str = ""
    statement: str = ""
    speaker: str = ""
    stance: str = "affirms"
    codings: tuple[tuple[str, str], ...] = ()
    status: str = "pending"
    links: tuple = field(default=(), compare=False)


def align(versions: Iterable[Version], threshold: float = MATCH_JACCARD) -> list[dict[str, Version]]:
    """The versions of one paper as rows in text order, each row coder -> version: the versions of different
    coders whose Jaccard overlap is at least `threshold` share a row (agreement.match_units: best overlaps first,
    never chaining claims that do not match each other); a version nobody else matched is a row of its own.
    Every version is in exactly one row, whatever the order given."""
    by_id = {version.id: version for version in versions}
    coded = [CodedClaim(v.id, v.coder, 0, v.start, v.end, dict(v.codings)) for v in by_id.values()]
    return [{coder: by_id[claim.id] for coder, claim in sorted(unit.items())} for unit in match_units(coded, threshold)]


def merged(versions: Mapping[Hashable, Version], choice: Mapping[str, Hashable]) -> dict:
    """The claim a merge makes: each part of MERGE_FIELDS from the version `choice` names for it (the quote's
    span and words, the statement, the codings with the tags' version's stance, the speaker). A part not chosen
    comes from the quote's version. Raises KeyError naming the part whose version is not among `versions`."""
    quote = choice.get("quote")
    if quote not in versions:
        raise KeyError("quote")
    picked = {}
    for part in MERGE_FIELDS:
        source = choice.get(part, quote)
        if source not in versions:
            raise KeyError(part)
        picked[part] = versions[source]
    return {
        "start": picked["quote"].start,
        "end": picked["quote"].end,
        "exact": picked["quote"].exact,
        "statement": picked["statement"].statement,
        "speaker": picked["speaker"].speaker,
        "stance": picked["tags"].stance,
        "codings": tuple(picked["tags"].codings),
        "sources": {part: picked[part].id for part in MERGE_FIELDS},
    }
