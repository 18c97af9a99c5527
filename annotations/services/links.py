"""Link commands: create, edit, delete, restore and moderate, one link or many; one live link per pair."""

from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Q

from .. import history, roles
from ..errors import ValidationError
from ..models import Claim, HistoryAction, Link, Status, User
from ..selectors import link_visibility
from ..textrules import check_fields
from . import moderation
from .locks import _lock_claims, _lock_link, _lock_links

LINK_EDITABLE_FIELDS = {"relation", "rationale"}


def _refuse_second_live_link(*, source_id: UUID, target_id: UUID, by: User, exclude: UUID | None = None) -> None:
    """Two claims carry at most one live (neither deleted nor rejected) link, whatever its relation and
    direction: `restates` is symmetric, and `supports` and `conflicts` between the same claims contradict each
    other. Called with both claims locked; the constraint `link_one_live_per_pair` backs it.

    The refusal names the existing link only to someone who may see it; anyone else learns only that the
    claims cannot be linked so, not by whom."""
    live = Link.objects.filter(
        Q(source_id=source_id, target_id=target_id) | Q(source_id=target_id, target_id=source_id),
        deleted_at__isnull=True,
    ).exclude(status=Status.REJECTED)
    if exclude is not None:
        live = live.exclude(pk=exclude)
    # At most one live link joins two claims (the constraint): no order needed, and only what the refusal says.
    existing = live.order_by().only("id", "source_id", "relation").first()
    if existing is None:
        return
    if not Link.objects.filter(link_visibility(by), pk=existing.pk).exists():  # in any of `by`'s projects
        raise ValidationError(
            {
                "non_field_errors": [
                    "These claims cannot be linked that way: two claims carry at most one live link, and these "
                    "already have one you cannot see. Ask a moderator."
                ]
            }
        )
    same_way = existing.source_id == source_id
    direction = "from this source to this target" if same_way else "from this target to this source"
    raise ValidationError(
        {
            "non_field_errors": [
                f"These claims are already linked: link {existing.pk} ({existing.relation}, {direction}). Two claims "
                f"carry at most one live link: change its relation (PATCH /api/v1/links/{existing.pk}/ with "
                "relation) or delete it first."
            ]
        }
    )


def ensure_linkable(source: Claim, target: Claim) -> None:
    """Two distinct claims of one project, or a refusal naming `target`."""
    if source.pk == target.pk:
        raise ValidationError({"target": ["A claim cannot be linked to itself."]})
    if roles.project_id_of(source) != roles.project_id_of(target):
        raise ValidationError({"target": ["A link joins two claims of one project; these are in two projects."]})


@transaction.atomic
def link_create(
    *,
    created_by: User,
    source: Claim,
    target: Claim,
    relation: str,
    rationale: str = "",
    status: str = Status.PENDING,
) -> Link:
    moderation.ensure_annotator(created_by, source)
    check_fields({"rationale": rationale})
    ensure_linkable(source, target)
    _lock_claims([source.pk, target.pk], texts=False)
    if status != Status.REJECTED:
        _refuse_second_live_link(source_id=source.pk, target_id=target.pk, by=created_by)
    link = Link(
        source=source,
        target=target,
        relation=relation,
        rationale=rationale,
        status=status,
        created_by=created_by,
    )
    # No savepoint of its own: a refusal leaves the transaction through this command's atomic, which rolls it
    # back whole, or to its own savepoint when a caller's transaction goes on (the admin, an import).
    try:
        with history.quiet(link):
            link.save()
    except IntegrityError as error:  # a write that took no lock (an import, the shell) came first
        raise ValidationError(
            {"non_field_errors": ["These claims were linked by someone else meanwhile; reload and try again."]}
        ) from error
    history.record(link, by=created_by, action=HistoryAction.CREATED)
    return link


@transaction.atomic
def link_update(*, link_id: UUID, by: User, version: int | None, **changes: Any) -> Link:
    unknown = set(changes) - LINK_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields(changes)
    link = _lock_link(link_id)
    moderation.alive_for(link, by)
    moderation.ensure_can_edit(by, link, revising=True)
    moderation.check_version(link, version)
    action, reason = moderation.edit_action(link, by)
    if "rationale" in changes:
        link.rationale = changes["rationale"]
    if "relation" in changes:
        # The pair's one live link may change its relation freely: nothing else joins these claims.
        link.relation = changes["relation"]
    moderation.save(link, by=by, action=action, reason=reason)
    return link


def _link_restore(link: Link, *, by: User, reason: str) -> Link:
    """Undo a soft delete (moderators), unless its claims are deleted or another live link joins them since."""
    if roles.can_moderate(by, link) and link.deleted_at is not None:
        for end in ("source", "target"):
            if getattr(link, end).deleted_at is not None:
                raise ValidationError({end: [f"The {end} claim of this link is deleted; restore it first."]})
        if link.status != Status.REJECTED:
            _refuse_second_live_link(source_id=link.source_id, target_id=link.target_id, by=by, exclude=link.pk)
    moderation.restore(link, by=by, reason=reason)
    return link


def _link_moderate(link: Link, *, by: User, decision: str, reason: str) -> Link:
    """As for claims; a rejected link that approving or reopening makes live again must be the pair's only one."""
    revived = link.status == Status.REJECTED and decision in (moderation.Decision.APPROVE, moderation.Decision.REOPEN)
    if revived and link.deleted_at is None and roles.can_moderate(by, link):
        _refuse_second_live_link(source_id=link.source_id, target_id=link.target_id, by=by, exclude=link.pk)
    return moderation.moderate(link, by=by, decision=decision, reason=reason)


LINKS = moderation.ModeratedKind(lock=_lock_link, lock_many=_lock_links, restore=_link_restore, moderate=_link_moderate)


# link_delete, link_restore, link_moderate (link_id=...) and links_delete, links_restore, links_moderate
# (link_ids=...): the commands every moderated item shares, with the link's own rules on restoring and reviving.
link_delete, link_restore, link_moderate, links_delete, links_restore, links_moderate = moderation.moderated_commands(
    LINKS, "link"
)
