"""What a user may do to each claim and link, sent with the item (as Hypothesis sends `permissions`) so that the
browser draws its buttons from the server's answer instead of re-deriving the rules.

Read from the same rules the services enforce: annotations.roles (who edits, who resubmits, who moderates, in the
item's project; nothing in an archived project) and the moderation transitions. Conflicts that depend on other rows (a second live link between two claims, a
duplicate claim) are not foreseen here: the service still answers them when the action is taken.
"""

from .models import Claim, Link, User
from .roles import can_annotate, can_edit, can_moderate, can_resubmit, is_archived
from .services import TRANSITIONS, Decision

EDIT = "edit"
RESUBMIT = "resubmit"  # an edit by the maker of a rejected item, which sends it back to review
DELETE = "delete"
RESTORE = "restore"
LINK = "link"  # the claim may be an end of a new link
DECISIONS = Decision.CHOICES  # approve, reject, reopen: the moderation decisions its status allows

ALL = (EDIT, RESUBMIT, DELETE, *DECISIONS, RESTORE, LINK)


def _moderated_item_actions(user: User, item: Claim | Link) -> list[str]:
    if is_archived(user, item):
        return []
    if item.deleted_at is not None:
        # Only moderators see deleted items, and must restore them before anything else (services.moderation.alive_for).
        return [RESTORE] if can_moderate(user, item) else []
    allowed = []
    if can_edit(user, item):
        allowed += [EDIT, DELETE]
    elif can_resubmit(user, item):
        allowed.append(RESUBMIT)
    if can_moderate(user, item):
        allowed += [decision for decision in DECISIONS if item.status in TRANSITIONS[decision][0]]
    return allowed


def claim_actions(user: User, claim: Claim) -> list[str]:
    """Among edit, resubmit, delete, link, approve, reject, reopen, restore: what `user` may do to `claim`."""
    allowed = _moderated_item_actions(user, claim)
    if claim.deleted_at is None and can_annotate(user, claim) and not is_archived(user, claim):
        allowed.append(LINK)
    return allowed


def link_actions(user: User, link: Link) -> list[str]:
    """Among edit, resubmit, delete, approve, reject, reopen, restore: what `user` may do to `link`."""
    return _moderated_item_actions(user, link)
