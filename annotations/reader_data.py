"""The reader's claims as compact data for the page (a `json_script` island and the JSON the page fetches
after a change): one short array per claim, repeated words (statuses, stances, tags, people) as indexes into
tables sent once. Pure: rows in, plain data out. The text is sent once, apart; quotes and full statements
are fetched from the API when a claim is opened. The layout is documented in docs/frontend.md."""

from collections.abc import Iterable

from .selectors import ReaderClaim
from .selectors.reader import QUOTE_EXCERPT

# The panel shows a statement this long at most (in code points); the popover fetches the whole claim.
STATEMENT_EXCERPT = 160


def _excerpt(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Table:
    """Words in first-seen order, each sent once; claims carry their index."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def __call__(self, word: str) -> int:
        return self.index.setdefault(word, len(self.index))

    def words(self) -> list[str]:
        return list(self.index)


def placeable(claims: Iterable[ReaderClaim], length: int) -> tuple[list[ReaderClaim], list[ReaderClaim]]:
    """The claims that can be painted on a text of `length` code points, and the others (orphaned, or
    pointing outside a revised text): listed, never painted."""
    placed, unplaced = [], []
    for claim in claims:
        fits = claim.status != "orphaned" and 0 <= claim.start < claim.end <= length
        (placed if fits else unplaced).append(claim)
    return placed, unplaced


def compact(placed: list[ReaderClaim], unplaced: list[ReaderClaim], page_ranges: list | None = None) -> dict:
    """`claims`: [id, start, end, status, stance, [tags], statement, speaker, created_by] in text order, the
    words as indexes (`speaker` -1: the paper's authors); `unplaced`: [id, status, statement, quote excerpt,
    created_by]; `statuses`, `stances`, `tags`, `people`: the tables; `pages`: the paper's page ranges, once
    (the page computes each claim's pages from its offsets, as annotations.pages does)."""
    statuses, stances, tags, people = _Table(), _Table(), _Table(), _Table()
    rows = [
        [
            claim.id,
            claim.start,
            claim.end,
            statuses(claim.status),
            stances(claim.stance),
            [tags(slug) for slug in claim.tags],
            _excerpt(claim.statement, STATEMENT_EXCERPT),
            people(claim.speaker) if claim.speaker else -1,
            people(claim.created_by),
        ]
        for claim in placed
    ]
    others = [
        [
            claim.id,
            statuses(claim.status),
            _excerpt(claim.statement, STATEMENT_EXCERPT),
            _excerpt(claim.exact, QUOTE_EXCERPT),
            people(claim.created_by),
        ]
        for claim in unplaced
    ]
    return {
        "claims": rows,
        "unplaced": others,
        "statuses": statuses.words(),
        "stances": stances.words(),
        "tags": tags.words(),
        "people": people.words(),
        "pages": [list(page) for page in page_ranges or ()],
    }
