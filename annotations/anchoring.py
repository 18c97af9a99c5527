"""Place a target on a paper's text: pure functions over strings, no ORM.

A target is a quote (`exact`, optionally with `prefix`/`suffix` context), positions (`start`, `end`,
Unicode code points), or both. Resolving it gives all five fields or raises an `AnchoringError` whose
message is meant for the analyst.
"""

from dataclasses import dataclass

CONTEXT_LENGTH = 32


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class AnchoringError(ValueError):
    """The target cannot be placed; str(error) says why."""


class QuoteNotFound(AnchoringError):
    pass


class AmbiguousQuote(AnchoringError):
    def __init__(self, message: str, occurrences: int):
        super().__init__(message)
        self.occurrences = occurrences


class PositionsInvalid(AnchoringError):
    pass


class TargetDisagrees(AnchoringError):
    pass


def anchor_at(text: str, start: int, end: int, context: int = CONTEXT_LENGTH) -> Anchor:
    """The anchor of text[start:end] with up to `context` code points on each side."""
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def occurrences(text: str, exact: str) -> list[int]:
    """Every start of `exact` in `text`, overlapping ones included."""
    found = []
    position = text.find(exact)
    while position != -1:
        found.append(position)
        position = text.find(exact, position + 1)
    return found


def _shared_tail(a: str, b: str) -> int:
    """How many code points at the end of `a` and `b` are the same."""
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _shared_head(a: str, b: str) -> int:
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[n] == b[n]:
        n += 1
    return n


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[bool, int]:
    """(whether the given context matches in full, how many of its code points match)."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    tail = _shared_tail(before, prefix)
    head = _shared_head(after, suffix)
    return (tail == len(prefix) and head == len(suffix), tail + head)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _check_positions(text: str, start: int, end: int) -> None:
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise PositionsInvalid("start and end must be whole numbers of code points.")
    if start < 0 or end > len(text):
        raise PositionsInvalid(
            f"Positions {start}-{end} are out of range: the text has {len(text)} code points (0 to {len(text)})."
        )
    if start >= end:
        raise PositionsInvalid(f"start ({start}) must be less than end ({end}).")


def resolve_target(
    text: str,
    *,
    exact: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Anchor:
    """Resolve a quote and/or positions against `text`; see the module docstring."""
    has_positions = start is not None or end is not None
    if has_positions and (start is None or end is None):
        raise PositionsInvalid("Give both start and end, or neither.")
    if exact is None and not has_positions:
        raise AnchoringError("Give the quote (exact, with optional prefix and suffix) or start and end.")
    if exact is not None and exact == "":
        raise AnchoringError("The quote (exact) must not be empty.")

    if has_positions:
        _check_positions(text, start, end)
        if exact is not None and text[start:end] != exact:
            found = text[start:end]
            shown = found if len(found) <= 80 else found[:77] + "..."
            raise TargetDisagrees(
                f"The quote and the positions disagree: the text at {start}-{end} is {shown!r}, not the quote given."
            )
        return anchor_at(text, start, end)

    places = occurrences(text, exact)
    if not places:
        raise QuoteNotFound(
            "The quote is not in the paper's text (it must match the text exactly, character for character)."
        )
    if len(places) == 1:
        return anchor_at(text, places[0], places[0] + len(exact))

    prefix = prefix or ""
    suffix = suffix or ""
    if prefix or suffix:
        scored = [(_context_score(text, p, p + len(exact), prefix, suffix), p) for p in places]
        full = [p for (is_full, _), p in scored if is_full]
        if len(full) == 1:
            return anchor_at(text, full[0], full[0] + len(exact))
        if not full:
            # No place has the whole context (the text around the quote was re-typed, say):
            # take the place where most of it matches, if one stands out.
            best = max(score for (_, score), _ in scored)
            leaders = [p for (_, score), p in scored if score == best]
            if best > 0 and len(leaders) == 1:
                return anchor_at(text, leaders[0], leaders[0] + len(exact))
        matching = len(full) if full else len(places)
        raise AmbiguousQuote(
            f"The quote occurs {_times(len(places))} in the paper and the prefix/suffix given match "
            f"{_times(matching)} equally; give a longer prefix or suffix, or start and end.",
            occurrences=len(places),
        )
    raise AmbiguousQuote(
        f"The quote occurs {_times(len(places))} in the paper; give a prefix or suffix, or start and end, "
        "to say which.",
        occurrences=len(places),
    )
