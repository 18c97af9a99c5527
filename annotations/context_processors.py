"""Template context for every page: the moderation queue's size, for moderators' navigation."""

from django.utils.functional import SimpleLazyObject

from . import roles, selectors


def moderation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not roles.can_moderate(user):
        return {"can_moderate": False}
    # Lazy: the COUNT runs only when a template shows it (the admin's pages, for one, do not).
    return {
        "can_moderate": True,
        "moderation_pending": SimpleLazyObject(lambda: selectors.moderation_pending_count(user)),
    }
