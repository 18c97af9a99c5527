"""Writes for suggestions: accepting a suggested passage (a claim there and a link, through the annotations
services, with provenance), remembering a passage as not relevant, and the same for suggested links."""

from django.db import transaction

from annotations import services
from annotations.errors import ValidationError
from annotations.models import Claim, Link, Paper, Stance, Status, User
from annotations.services.links import ensure_linkable
from annotations.services.moderation import ensure_annotator

from .indexing import current_encoder
from .models import LinkJudgement, PassageJudgement, Relation, SuggestionOrigin

PASSAGE_METHOD = "passage-suggestions"
LINK_METHOD = "link-suggestions"
METHOD_VERSION = "1"
# What an accepted relation makes of the link from the new claim to the claim it was suggested for.
LINK_FOR = {Relation.SAME: Link.Relation.SUPPORTS, Relation.OPPOSITE: Link.Relation.CONFLICTS}
JUDGES_ONLY = "Only analysts and moderators can judge suggestions."
FLIPPED = {Stance.AFFIRMS: Stance.DENIES, Stance.DENIES: Stance.AFFIRMS}


def method_version() -> str:
    """The method's version with the encoder's name: what a suggestion's provenance records."""
    return f"{METHOD_VERSION}+{current_encoder().name}"


def _passage(claim: Claim, paper: Paper, start: int, end: int) -> str:
    """The passage's words; refused unless it is in another paper of the claim's project, within its text."""
    if paper.project_id != claim.paper.project_id:
        raise ValidationError({"paper": ["The passage must be in a paper of the claim's project."]})
    if paper.pk == claim.paper_id:
        raise ValidationError({"paper": ["The passage must be in another paper than the claim's."]})
    if not 0 <= start < end <= len(paper.text):
        raise ValidationError({"start": [f"The passage must lie within the paper's text (0 to {len(paper.text)})."]})
    return paper.text[start:end]


def _judge_passage(*, claim: Claim, paper: Paper, start: int, end: int, exact: str, accepted: bool, relation: str,
                   by: User) -> PassageJudgement:  # fmt: skip
    judgement, _ = PassageJudgement.objects.update_or_create(
        claim=claim,
        paper=paper,
        start=start,
        end=end,
        defaults={
            "exact": exact,
            "text_sha256": paper.text_sha256,
            "accepted": accepted,
            "relation": relation,
            "judged_by": by,
        },
    )
    return judgement


@transaction.atomic
def passage_reject(*, claim: Claim, paper: Paper, start: int, end: int, by: User) -> PassageJudgement:
    """Remember the passage as not relevant to the claim: it is never suggested for it again."""
    ensure_annotator(by, claim, refusal=JUDGES_ONLY)
    exact = _passage(claim, paper, start, end)
    return _judge_passage(
        claim=claim, paper=paper, start=start, end=end, exact=exact, accepted=False, relation="", by=by
    )


@transaction.atomic
def passage_accept(
    *,
    claim: Claim,
    paper: Paper,
    start: int,
    end: int,
    relation: str,
    by: User,
    statement: str = "",
    existing: Claim | None = None,
    score: float | None = None,
) -> tuple[Claim, Link]:
    """Turn a suggested passage into a pending claim and a pending link to `claim`, in one transaction.

    The new claim takes the claim's tags, each with its stance (`same`) or the other one (`opposite`: affirms and
    denies swap, qualifies stays), the same overall stance rule, and the statement given (else the claim's own
    for `same`, the passage's words for `opposite`). The link goes from the new claim to `claim`: supports for
    `same`, conflicts for `opposite`. With `existing` (a claim already on the passage, which the user may see)
    only the link is made. Provenance (method and version, score, who, when) is recorded with both."""
    ensure_annotator(by, claim, refusal=JUDGES_ONLY)
    if relation not in Relation.values:
        raise ValidationError(
            {"relation": ["Say whether the passage says the same (same) or the opposite (opposite)."]}
        )
    exact = _passage(claim, paper, start, end)
    if existing is None:
        flip = relation == Relation.OPPOSITE
        tags = [(c.tag, FLIPPED.get(c.stance, c.stance) if flip else c.stance) for c in claim.codings.all()]
        new = services.claim_create(
            created_by=by,
            paper=paper,
            target={"start": start, "end": end, "exact": exact},
            statement=statement.strip() or (claim.statement if not flip else exact),
            stance=FLIPPED.get(claim.stance, claim.stance) if flip else claim.stance,
            tags=tags,
            status=Status.PENDING,
        )
    else:
        if existing.paper_id != paper.pk:
            raise ValidationError({"claim": ["That claim is not in the passage's paper."]})
        new = existing
    link = services.link_create(
        created_by=by, source=new, target=claim, relation=LINK_FOR[relation], status=Status.PENDING
    )
    _judge_passage(claim=claim, paper=paper, start=start, end=end, exact=exact, accepted=True, relation=relation, by=by)
    SuggestionOrigin.objects.create(
        kind=SuggestionOrigin.Kind.PASSAGE,
        claim=new if existing is None else None,
        link=link,
        suggested_for=claim,
        method=PASSAGE_METHOD,
        method_version=method_version(),
        score=score,
        relation=relation,
        accepted_by=by,
    )
    return new, link


def _pair(a: Claim, b: Claim) -> tuple[Claim, Claim]:
    return (a, b) if str(a.pk) < str(b.pk) else (b, a)


@transaction.atomic
def link_suggestion_accept(
    *, source: Claim, target: Claim, relation: str, by: User, score: float | None = None
) -> Link:
    """A pending link between two existing claims, from a suggestion, with its provenance (link_create refuses
    what it would refuse of any link)."""
    link = services.link_create(created_by=by, source=source, target=target, relation=relation, status=Status.PENDING)
    first, second = _pair(source, target)
    LinkJudgement.objects.update_or_create(
        first=first, second=second, defaults={"accepted": True, "relation": relation, "judged_by": by}
    )
    SuggestionOrigin.objects.create(
        kind=SuggestionOrigin.Kind.LINK,
        link=link,
        suggested_for=source,
        method=LINK_METHOD,
        method_version=method_version(),
        score=score,
        relation={Link.Relation.CONFLICTS: Relation.OPPOSITE}.get(relation, Relation.SAME),
        accepted_by=by,
    )
    return link


@transaction.atomic
def link_suggestion_reject(*, source: Claim, target: Claim, by: User) -> LinkJudgement:
    """Remember that these two claims are not to be linked: the pair is never suggested again."""
    ensure_linkable(source, target)
    ensure_annotator(by, source, refusal=JUDGES_ONLY)
    first, second = _pair(source, target)
    judgement, _ = LinkJudgement.objects.update_or_create(
        first=first, second=second, defaults={"accepted": False, "relation": "", "judged_by": by}
    )
    return judgement
