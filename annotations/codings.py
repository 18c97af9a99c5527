"""A claim's codings: the stance it takes on each of its tags. Pure: no queries, keys may be slugs, ids or tags.

A claim has one `stance`, the default for tags given without one. The rules, in one place for the API,
the admin, the reader's form and the import:

- A tag given with a stance takes it.
- A tag given without one keeps the stance it already has on the claim, or else takes the claim's stance.
- Changing the claim's stance moves the tags that followed it (held the old claim stance) to the new one;
  a tag that was set apart (held another stance) keeps it.

So a client that knows only `stance` and a list of slugs gets what it always got (every tag follows the
claim), and never undoes a per-tag stance an analyst set.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from .errors import ValidationError
from .models import Stance

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
STANCES = ", ".join(Stance.values)


def checked(
    given: Iterable[tuple[str, str | None]], find: Callable[[list[str]], Mapping[str, T]]
) -> list[tuple[T, str | None]]:
    """The tags given to a claim, each a (slug, stance or None), as `find` (slugs → {slug: tag}) knows them.

    The one check of what the API, the services and the admin are given: every problem at once, as a
    ValidationError with a list of messages (a stance a claim cannot take, a tag given twice, a tag unknown)."""
    problems: list[str] = []
    kept: dict[str, str | None] = {}
    for slug, stance in given:
        if stance is not None and stance not in Stance.values:
            problems.append(f'Unknown stance "{stance}" for tag "{slug}": use {STANCES}.')
        elif slug in kept:
            problems.append(f'Tag "{slug}" is given twice.')
        else:
            kept[slug] = stance
    found = find(list(kept)) if kept else {}
    problems += [f'Unknown tag "{slug}".' for slug in kept if slug not in found]
    if problems:
        raise ValidationError(problems)
    return [(found[slug], stance) for slug, stance in kept.items()]


def resolve(
    *,
    current: Mapping[K, str],
    old_stance: str,
    new_stance: str,
    given: Iterable[tuple[K, str | None]] | None,
) -> dict[K, str]:
    """The codings after an edit: `current` (tag → stance) as stored under the claim stance `old_stance`;
    `new_stance` the claim's stance after the edit; `given` the tags sent (None: the tags are not changed),
    each with its stance or None. For a new claim, `current` is empty and both stances are the claim's."""
    followed = {tag: new_stance if stance == old_stance else stance for tag, stance in current.items()}
    if given is None:
        return followed
    return {tag: stance or followed.get(tag, new_stance) for tag, stance in given}


def pairs(codings: Mapping[str, str]) -> list[str]:
    """Codings as sorted `slug:stance` strings (the CSV column, the history, the GraphML attribute)."""
    return [f"{slug}:{stance}" for slug, stance in sorted(codings.items())]
