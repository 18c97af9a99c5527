"""Who may do what: the one place role checks live, for the API, pages, admin and services alike."""

from .models import Claim, Link, Status, User


def can_read(user: User) -> bool:
    """Readers, analysts and moderators (superusers count as moderators). An account in no role group may log in
    and out and change its password, and nothing else: no role, no access."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("annotations.view_claim"))


NO_ROLE_MESSAGE = "Your account has no role yet (reader, analyst or moderator): ask a moderator to give it one."


def can_annotate(user: User) -> bool:
    return can_read(user) and user.has_perm("annotations.add_claim")


def can_moderate(user: User) -> bool:
    return can_read(user) and user.has_perm("annotations.moderate_claim")


def can_edit(user: User, item: Claim | Link) -> bool:
    """Moderators edit (and delete) anything; analysts their own items while they are pending."""
    if can_moderate(user):
        return True
    return can_annotate(user) and item.created_by_id == user.pk and item.status == Status.PENDING


def can_resubmit(user: User, item: Claim | Link) -> bool:
    """The analyst who made a rejected item may revise it, which sends it back to review (pending)."""
    return can_annotate(user) and item.created_by_id == user.pk and item.status == Status.REJECTED
