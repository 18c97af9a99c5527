"""Curation commands, one transaction each: accept one analyst's version of a claim, merge versions, edit one, or
reject them all. Each goes through the claim and moderation services (their rules, locks and history rows) and
records one Curation row: which versions it decided, the claim it kept or made, and where each part came from.

An analyst's claim is never edited here: their independent version stays as they coded it (agreement can be
recomputed from it); the versions not kept are rejected with a reason naming the decision."""

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction

from annotations import roles
from annotations.errors import PermissionDenied, ValidationError
from annotations.models import Claim, HistoryAction, Paper, Stance, Status, User
from annotations.selectors import tags_by_slug
from annotations.services import claim_create
from annotations.services.locks import _lock_claims
from annotations.services.moderation import Decision, moderate, save
from annotations.textrules import check_fields

from . import aligning
from .links import carry_links
from .models import Curation, CurationAction
from .selectors import versions_as_rows

PARTS = (*aligning.MERGE_FIELDS, "links")
DONE = {CurationAction.MERGE: "merged", CurationAction.EDIT: "edited"}
REFUSED = "Only moderators and owners of the project can curate its claims."


def _name(claim: Claim) -> str:
    return claim.created_by.username if claim.created_by_id else "?"


def _unit(*, paper: Paper, versions: Iterable[UUID], by: User) -> list[Claim]:
    """The versions a decision is about, locked (the paper, then the claims: the one lock order), in their
    analysts' order; refused unless `by` moderates the paper's project and every version is a live claim of this
    paper that no decision has taken yet and no decision made."""
    if not roles.can_moderate(by, paper):
        raise PermissionDenied(REFUSED)
    roles.ensure_writable(by, paper)
    try:
        wanted = list(dict.fromkeys(UUID(str(version)) for version in versions))
    except ValueError as error:
        raise ValidationError({"versions": ["Name each version by its claim id."]}) from error
    if not wanted:
        raise ValidationError({"versions": ["Name the versions (claim ids) this decision is about."]})
    locked = _lock_claims(wanted, texts=False)
    missing = [str(claim_id) for claim_id in wanted if claim_id not in locked]
    claims = [locked[claim_id] for claim_id in wanted if claim_id in locked]
    if missing or any(c.paper_id != paper.pk or c.deleted_at is not None for c in claims):
        raise ValidationError({"versions": [f"Every version must be a live claim of paper {paper.slug}."]})
    if Curation.objects.filter(versions__in=wanted).exists():
        raise ValidationError({"versions": ["A curation has already decided some of these versions; reload."]})
    if Curation.objects.filter(result__in=wanted).exclude(action=CurationAction.ACCEPT).exists():
        raise ValidationError({"versions": ["A curated claim is not an analyst's version."]})
    users = {user.pk: user for user in User.objects.filter(pk__in={c.created_by_id for c in claims})}
    for claim in claims:
        claim.created_by = users[claim.created_by_id]
    return sorted(claims, key=lambda c: (_name(c), str(c.pk)))


def _reject_others(claims: list[Claim], *, kept: Claim | None, by: User, reason: str) -> None:
    for claim in claims:
        if claim is kept or claim.status == Status.REJECTED:
            continue
        moderate(claim, by=by, decision=Decision.REJECT, reason=reason)


def _record(paper: Paper, claims: list[Claim], *, action: str, result: Claim | None, sources: dict, by, reason: str):
    curation = Curation.objects.create(paper=paper, action=action, result=result, sources=sources, reason=reason, by=by)
    curation.versions.set(claims)
    return curation


def _approve(claim: Claim, *, by: User, reason: str) -> None:
    """Approve the kept claim; one already approved gets a history row of its own saying that curation kept it."""
    if claim.status == Status.APPROVED:
        save(claim, by=by, action=HistoryAction.APPROVED, reason=reason)
    else:
        moderate(claim, by=by, decision=Decision.APPROVE, reason=reason)


@transaction.atomic
def curation_accept(*, paper: Paper, versions: Iterable[UUID], keep: UUID, by: User, reason: str = "") -> Curation:
    """Keep `keep` (one of `versions`) as it is, approved; reject the other versions."""
    check_fields({"reason": reason})
    claims = _unit(paper=paper, versions=versions, by=by)
    kept = next((c for c in claims if str(c.pk) == str(keep)), None)
    if kept is None:
        raise ValidationError({"keep": ["Keep one of the versions named."]})
    note = (reason or "").strip()
    _approve(kept, by=by, reason=_said(f"Curation kept this version (by {_name(kept)}).", note))
    _reject_others(claims, kept=kept, by=by, reason=_said(f"Curation kept {_name(kept)}'s version ({kept.pk}).", note))
    sources = {part: str(kept.pk) for part in PARTS}
    sources["carried_links"] = carry_links(versions=claims, result=kept, links_from=str(kept.pk), by=by)
    return _record(paper, claims, action=CurationAction.ACCEPT, result=kept, sources=sources, by=by, reason=note)


@transaction.atomic
def curation_merge(
    *, paper: Paper, versions: Iterable[UUID], choice: dict[str, UUID], by: User, reason: str = ""
) -> Curation:
    """A new approved claim, by the curator, each part (quote, statement, tags with their stances, speaker) from
    the version `choice` names for it (the quote's version for a part not named), and the links of the version
    `choice["links"]` names (default: the quote's), carried as curation.links says; every version is rejected."""
    check_fields({"reason": reason})
    claims = _unit(paper=paper, versions=versions, by=by)
    choice = {part: str(v) for part, v in choice.items()}
    links_from = choice.pop("links", choice.get("quote"))
    if links_from not in {str(c.pk) for c in claims}:
        raise ValidationError({"links": ["Take the links from one of the versions named."]})
    made = _merged(claims, choice)
    made["sources"]["links"] = links_from
    return _make(paper, claims, made, action=CurationAction.MERGE, by=by, reason=(reason or "").strip())


@transaction.atomic
def curation_edit(
    *,
    paper: Paper,
    versions: Iterable[UUID],
    base: UUID,
    by: User,
    statement: str | None = None,
    speaker: str | None = None,
    tags: list[tuple[str, str]] | None = None,
    target: dict | None = None,
    reason: str = "",
) -> Curation:
    """A new approved claim, by the curator: version `base` with the parts given changed (`target` as a claim's,
    `tags` as (slug, stance) pairs of the project's codebook); every version is rejected."""
    check_fields({"reason": reason, "statement": statement, "speaker": speaker})
    claims = _unit(paper=paper, versions=versions, by=by)
    made = _merged(claims, {"quote": str(base)})
    edited = []
    if target is not None:
        made["target"], made["start"] = target, None
        edited.append("quote")
    if statement is not None:
        made["statement"] = statement
        edited.append("statement")
    if speaker is not None:
        made["speaker"] = speaker
        edited.append("speaker")
    if tags is not None:
        made["codings"], made["stance"] = tuple(tags), (tags[0][1] if tags else made["stance"])
        edited.append("tags")
    made["sources"] = {part: v for part, v in made["sources"].items() if part not in edited} | {"edited": edited}
    made["sources"]["links"] = str(base)
    return _make(paper, claims, made, action=CurationAction.EDIT, by=by, reason=(reason or "").strip())


@transaction.atomic
def curation_reject(*, paper: Paper, versions: Iterable[UUID], by: User, reason: str) -> Curation:
    """Reject every version: the passage makes no claim the curated layer keeps."""
    check_fields({"reason": reason})
    note = (reason or "").strip()
    if not note:
        raise ValidationError({"reason": ["Say why every version is rejected, so the analysts can act on it."]})
    claims = _unit(paper=paper, versions=versions, by=by)
    _reject_others(claims, kept=None, by=by, reason=f"Curation rejected every version: {note}")
    return _record(paper, claims, action=CurationAction.REJECT, result=None, sources={}, by=by, reason=note)


def _said(text: str, note: str) -> str:
    return f"{text} {note}" if note else text


def _merged(claims: list[Claim], choice: dict[str, str]) -> dict:
    unknown = sorted(set(choice) - set(aligning.MERGE_FIELDS))
    if unknown:
        raise ValidationError({part: ["Not a part of a claim a merge takes."] for part in unknown})
    try:
        versions = versions_as_rows(Claim.objects.filter(pk__in=[claim.pk for claim in claims]))
        return aligning.merged({version.id: version for version in versions}, choice)
    except KeyError as error:
        part = error.args[0]
        raise ValidationError({part: ["Take it from one of the versions named."]}) from error


def _make(paper: Paper, claims: list[Claim], made: dict, *, action: str, by: User, reason: str) -> Curation:
    """Create the curated claim (as its curator, through claim_create's rules), approve it, reject the versions."""
    slugs = [slug for slug, _ in made["codings"]]
    found = tags_by_slug(slugs, project=paper.project_id)
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise ValidationError({"tags": [f"Unknown tag: {', '.join(unknown)}."]})
    target = made.get("target") or {"start": made["start"], "end": made["end"], "exact": made["exact"]}
    named = ", ".join(
        f"{part} from {_owner(claims, source)}" for part, source in made["sources"].items() if part in PARTS
    )
    if made["sources"].get("edited"):
        named += f"{', ' if named else ''}edited: {', '.join(made['sources']['edited'])}"
    result = claim_create(
        created_by=by,
        paper=paper,
        target=target,
        statement=made["statement"] or "",
        stance=made["stance"] or Stance.AFFIRMS,
        speaker=made["speaker"],
        tags=[(found[slug], stance) for slug, stance in made["codings"]],
    )
    result.created_by = by
    moderate(result, by=by, decision=Decision.APPROVE, reason=_said(f"Curated ({action}): {named}.", reason))
    _reject_others(
        claims, kept=None, by=by, reason=_said(f"Curation {DONE[action]} the versions into claim {result.pk}.", reason)
    )
    sources = made["sources"]
    sources["carried_links"] = carry_links(versions=claims, result=result, links_from=sources["links"], by=by)
    return _record(paper, claims, action=action, result=result, sources=sources, by=by, reason=reason)


def _owner(claims: list[Claim], claim_id: str) -> str:
    return next((_name(c) for c in claims if str(c.pk) == claim_id), "?")
