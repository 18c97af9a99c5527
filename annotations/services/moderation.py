"""The life of a moderated item (a claim or a link): who may edit it, its version, soft delete, restore,
the moderation decisions, and bulk commands over many items."""

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from .. import history, roles
from ..errors import PermissionDenied, StaleVersion, ValidationError
from ..models import Claim, HistoryAction, Link, Status, User
from ..textrules import check_fields


class Decision:
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"
    CHOICES = (APPROVE, REJECT, REOPEN)


# decision -> (the statuses it may be taken from, the status it leads to, what the history row says)
TRANSITIONS = {
    Decision.APPROVE: ({Status.PENDING, Status.REJECTED}, Status.APPROVED, HistoryAction.APPROVED),
    Decision.REJECT: ({Status.PENDING, Status.APPROVED, Status.ORPHANED}, Status.REJECTED, HistoryAction.REJECTED),
    Decision.REOPEN: ({Status.APPROVED, Status.REJECTED}, Status.PENDING, HistoryAction.REOPENED),
}


ANNOTATORS_ONLY = "Only analysts and moderators can create claims and links."


def ensure_annotator(user: User, where: roles.Where, *, refusal: str = ANNOTATORS_ONLY) -> None:
    """Analysts and moderators of the project of `where` (a paper, a claim) create claims and links there (and
    judge suggestions), unless it is archived; anyone else is refused with `refusal`."""
    if not roles.can_annotate(user, where):
        raise PermissionDenied(refusal)
    roles.ensure_writable(user, where)


def ensure_can_edit(user: User, item: Claim | Link, *, revising: bool = False) -> None:
    """Edits and deletions; with `revising` (an edit), the analyst's own rejected item may be revised too. Nothing
    in an archived project."""
    if roles.can_edit(user, item) or (revising and roles.can_resubmit(user, item)):
        roles.ensure_writable(user, item)
        return
    noun = "claim" if isinstance(item, Claim) else "link"
    if item.created_by_id != user.pk:
        raise PermissionDenied(f"Only the analyst who made this {noun} or a moderator can change it.")
    if item.status == Status.REJECTED:
        raise PermissionDenied(f"This {noun} is rejected; edit it to send it back to review, or ask a moderator.")
    raise PermissionDenied(f"This {noun} is {item.status}; only a moderator can change it now.")


def edit_action(item: Claim | Link, by: User) -> tuple[str, str]:
    """An edit by the maker of a rejected item is a resubmission: it goes back to review (pending), and its
    history row carries the rejection it answers. Anyone else's edit leaves the status as it is.

    The moderation fields still describe that last decision (the rejection) until a moderator decides again.
    """
    if item.status == Status.REJECTED and item.created_by_id == by.pk:
        item.status = Status.PENDING
        return HistoryAction.RESUBMITTED, item.moderation_reason
    return HistoryAction.EDITED, ""


def _noun(item: Claim | Link) -> str:
    return "claim" if isinstance(item, Claim) else "link"


def alive_for(item: Claim | Link, user: User) -> None:
    """Deleted items exist only for moderators (who must restore them before anything else)."""
    if item.deleted_at is None:
        return
    if not roles.can_moderate(user, item):
        raise type(item).DoesNotExist
    raise ValidationError({"non_field_errors": [f"This {_noun(item)} is deleted; restore it first."]})


def check_version(item: Claim | Link, version: int | None) -> None:
    if version is None:
        raise ValidationError({"version": ["Give the version you read, so that no one else's change is overwritten."]})
    if item.version != version:
        raise StaleVersion(current=item.version)


def save(item: Claim | Link, *, by: User, action: str, reason: str = "") -> None:
    item.version += 1
    with history.quiet(item):
        item.save()
    history.record(item, by=by, action=action, reason=reason)


def soft_delete(item: Claim | Link, *, by: User, reason: str) -> Claim | Link:
    alive_for(item, by)
    ensure_can_edit(by, item)
    check_fields({"reason": reason})
    item.deleted_at = timezone.now()
    save(item, by=by, action=HistoryAction.DELETED, reason=(reason or "").strip())
    return item


def restore(item: Claim | Link, *, by: User, reason: str) -> Claim | Link:
    if not roles.can_moderate(by, item):
        raise PermissionDenied(f"Only moderators can restore a deleted {_noun(item)}.")
    roles.ensure_writable(by, item)
    if item.deleted_at is None:
        raise ValidationError({"non_field_errors": [f"This {_noun(item)} is not deleted."]})
    check_fields({"reason": reason})
    item.deleted_at = None
    save(item, by=by, action=HistoryAction.RESTORED, reason=(reason or "").strip())
    return item


def moderate(item: Claim | Link, *, by: User, decision: str, reason: str) -> Claim | Link:
    """Approve (from pending or rejected), reject (from pending, approved or orphaned) or reopen (to pending)."""
    if not roles.can_moderate(by, item):
        raise PermissionDenied("Only moderators can approve, reject or reopen.")
    roles.ensure_writable(by, item)
    if decision not in TRANSITIONS:
        raise ValidationError({"decision": [f'Unknown decision "{decision}": use approve, reject or reopen.']})
    check_fields({"reason": reason})
    alive_for(item, by)
    reason = (reason or "").strip()
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": ["Say why it is rejected, so the analyst can act on it."]})
    sources, new_status, action = TRANSITIONS[decision]
    noun = _noun(item)
    if item.status == new_status:
        raise ValidationError({"decision": [f"This {noun} is already {new_status}."]})
    if item.status == Status.ORPHANED and item.status not in sources:
        raise ValidationError(
            {"decision": [f"An orphaned {noun} must be placed on the text again before it can be {action}."]}
        )
    if item.status not in sources:
        raise ValidationError({"decision": [f"A {item.status} {noun} cannot be {action}."]})
    item.status = new_status
    item.moderated_by = by
    item.moderated_at = timezone.now()
    item.moderation_reason = reason
    save(item, by=by, action=action, reason=reason)
    return item


@dataclasses.dataclass
class BulkResult:
    """What a bulk command did: the items it changed, and why each refused one was refused."""

    done: list[Claim | Link] = dataclasses.field(default_factory=list)
    refused: list[tuple[Claim | Link, str]] = dataclasses.field(default_factory=list)


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _bulk(items: Iterable[Claim | Link], command: Callable[[Claim | Link], Any]) -> BulkResult:
    result = BulkResult()
    for item in items:
        try:
            with transaction.atomic():  # a savepoint: a refused item leaves the others done
                result.done.append(command(item))
        except (PermissionDenied, ValidationError) as error:
            result.refused.append((item, error_text(error)))
        except (Claim.DoesNotExist, Link.DoesNotExist):  # deleted, for someone who cannot see deleted items
            result.refused.append((item, f"This {_noun(item)} does not exist."))
    return result


@dataclasses.dataclass(frozen=True)
class ModeratedKind:
    """How the commands all moderated items share reach one kind of them: its locks (in the one lock order, the
    many in the order a bulk command reports them) and the rules it adds to restoring and moderating."""

    lock: Callable[[UUID], Any]
    lock_many: Callable[[Iterable[UUID]], list]
    restore: Callable[..., Any] = restore
    moderate: Callable[..., Any] = moderate


def moderated_delete(kind: ModeratedKind, item_id: UUID, *, by: User, reason: str = "") -> Claim | Link:
    item = kind.lock(item_id)
    soft_delete(item, by=by, reason=reason)
    return item


def moderated_restore(kind: ModeratedKind, item_id: UUID, *, by: User, reason: str = "") -> Claim | Link:
    return kind.restore(kind.lock(item_id), by=by, reason=reason)


def moderated_decide(kind: ModeratedKind, item_id: UUID, *, by: User, decision: str, reason: str = "") -> Claim | Link:
    return kind.moderate(kind.lock(item_id), by=by, decision=decision, reason=reason)


def moderated_bulk(
    kind: ModeratedKind, item_ids: Iterable[UUID], *, by: User, action: str, decision: str = "", reason: str = ""
) -> BulkResult:
    """`action` ("delete", "restore" or "moderate") on many items, each in its savepoint; see _bulk."""
    commands = {
        "delete": lambda item: soft_delete(item, by=by, reason=""),
        "restore": lambda item: kind.restore(item, by=by, reason=""),
        "moderate": lambda item: kind.moderate(item, by=by, decision=decision, reason=reason),
    }
    return _bulk(kind.lock_many(item_ids), commands[action])


_ONE = {"delete": moderated_delete, "restore": moderated_restore, "moderate": moderated_decide}
_DOCS = {
    "delete": "Soft delete: the {noun} disappears from every view but stays in the database for moderators.",
    "restore": "Undo a soft delete (moderators): the {noun} comes back with its status.",
    "moderate": "Approve, reject or reopen the {noun} (moderators); a rejection says why.",
}


def moderated_commands(kind: ModeratedKind, noun: str) -> tuple[Callable[..., Any], ...]:
    """The six commands of one kind of moderated item, each in its transaction: `<noun>_delete`, `restore` and
    `moderate` taking `<noun>_id=`, then `<noun>s_delete`, `restore` and `moderate` taking `<noun>_ids=` (one
    savepoint an item; the refused ones are reported, not changed). All keyword arguments, as every service."""

    def one(action: str) -> Callable[..., Any]:
        def command(*, by: User, **arguments: Any) -> Any:
            return _ONE[action](kind, arguments.pop(f"{noun}_id"), by=by, **arguments)

        return _named(command, f"{noun}_{action}", _DOCS[action].format(noun=noun))

    def many(action: str) -> Callable[..., Any]:
        def command(*, by: User, **arguments: Any) -> BulkResult:
            return moderated_bulk(kind, arguments.pop(f"{noun}_ids"), by=by, action=action, **arguments)

        return _named(command, f"{noun}s_{action}", f"As {noun}_{action}, on many {noun}s in one transaction.")

    return (*(one(action) for action in _ONE), *(many(action) for action in _ONE))


def _named(command: Callable[..., Any], name: str, doc: str) -> Callable[..., Any]:
    command.__name__ = command.__qualname__ = name
    command.__doc__ = doc
    return transaction.atomic(command)


def is_live(item: Claim | Link) -> bool:
    return item.deleted_at is None and item.status != Status.REJECTED
