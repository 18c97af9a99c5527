"""Template context for every page: the moderation queue's size, for moderators' navigation."""

from django.utils.functional import SimpleLazyObject

from . import roles, selectors


def moderation(request) -> dict:
    """`can_moderate` and `moderation_pending`, both lazy: a page that does not show them pays no query."""
    user = getattr(request, "user", None)
    can_moderate = SimpleLazyObject(lambda: user is not None and roles.can_moderate(user))

    def pending() -> int:
        return selectors.moderation_pending_count(user) if can_moderate else 0

    return {"can_moderate": can_moderate, "moderation_pending": SimpleLazyObject(pending)}
