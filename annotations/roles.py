"""Who may do what: the one place role checks live, for the API, pages, admin and services alike."""

from .models import Claim, Link, Status, User


def can_read(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


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
