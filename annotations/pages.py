"""Page numbers of a paper's text: pure functions over its page ranges ([start, end) code points, one per page,
in order, as extraction stores them in Paper.pages); no ORM."""

from bisect import bisect_right
from collections.abc import Sequence

from .reanchoring import Run, unchanged_runs


def pages_of(start: int, end: int, page_ranges: Sequence[Sequence[int]]) -> list[int] | None:
    """[first, last] (1-based) of the pages that text[start:end] stands on; None for a text without pages.

    A page is found by where it starts, so a range of zero length (a page without text) never holds a claim;
    an offset past the last page counts on the last page."""
    if not page_ranges or end <= start:
        return None
    starts = [page[0] for page in page_ranges]
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, end - 1) - 1, first)
    return [first + 1, last + 1]


def claim_pages(claim) -> list[int] | None:
    """A claim's pages on its paper (loaded with it); None for an orphaned claim, whose offsets are on an old text."""
    if claim.status == "orphaned":
        return None
    return pages_of(claim.start, claim.end, claim.paper.pages)


def page_label(pages: Sequence[int] | None) -> str:
    """`p. 12`, or `pp. 12-13` with an en dash (as the reader shows it); empty without pages."""
    if not pages:
        return ""
    first, last = pages
    return f"p. {first}" if first == last else f"pp. {first}\u2013{last}"


def ranges_are_sound(page_ranges: Sequence[Sequence[int]], length: int) -> bool:
    """Contiguous ranges covering text[0:length] exactly (or none at all)."""
    if not page_ranges:
        return True
    at = 0
    for page in page_ranges:
        if len(page) != 2 or page[0] != at or page[1] < page[0]:
            return False
        at = page[1]
    return at == length


def remap_pages(
    old: str, new: str, page_ranges: Sequence[Sequence[int]], runs: list[Run] | None = None
) -> list[list[int]]:
    """The page ranges of `old` carried onto `new`, an edited copy of it (the analyst's corrections of the
    extracted text): each page start follows the diff (revisions' own, reanchoring.unchanged_runs); a start
    inside an edited stretch goes to where that stretch begins in `new`. The result stays contiguous,
    in order and covering `new`, so every claim still has pages. A revision of the text passes the runs it has
    already computed."""
    if not page_ranges:
        return []
    if old == new:
        return [list(page) for page in page_ranges]
    runs = unchanged_runs(old, new) if runs is None else runs
    run_starts = [run.old for run in runs]
    starts = []
    for page in page_ranges:
        position = page[0]
        i = bisect_right(run_starts, position) - 1
        if i >= 0 and position < runs[i].old + runs[i].size:
            mapped = runs[i].new + position - runs[i].old
        else:
            mapped = runs[i].new + runs[i].size if i >= 0 else 0
        starts.append(mapped)
    starts[0] = 0
    # Never backwards, never past the end (monotone by construction of the runs; clamped for safety).
    for k in range(1, len(starts)):
        starts[k] = min(max(starts[k], starts[k - 1]), len(new))
    ends = [*starts[1:], len(new)]
    return [[s, e] for s, e in zip(starts, ends, strict=True)]
