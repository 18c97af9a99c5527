"""The agreement report of a project: its analysts' claims and links read as the pure module's rows
(annotations.agreement), in four queries whatever their number, and the report as JSON-ready data or CSV.

Who may read it: the project's owners and moderators, who see every analyst's work anyway; analysts do not,
since during a round the report would show them the others' codings."""

import csv
import io
from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import Length

from annotations import agreement
from annotations.errors import ValidationError
from annotations.exports import FORMULA_STARTS
from annotations.models import Claim, Coding, Link, Paper, Status, User
from curation.selectors import made_by_curation
from projects.models import Membership, ProjectRole

from .selectors import latest_assignments, paper_in

# A claim counts for agreement whatever its moderation said (the analyst's judgement is what is compared),
# unless it is deleted or orphaned by a revision of the text (its offsets point into a text that is gone).
COUNTED = [Status.PENDING, Status.APPROVED, Status.REJECTED]
MAX_ANALYSTS = 12
FIGURES = (
    "unitizing_alpha", "cu_alpha", "tag_alpha", "tag_kappa", "tag_ac1",
    "stance_alpha", "stance_kappa", "stance_ac1", "link_alpha",
)  # fmt: skip
PAPER_FIGURES = ("unitizing_alpha", "cu_alpha", "tag_alpha", "stance_alpha")


def paper_named(project, slug: str) -> Paper | None:
    """The project's paper `slug` names (None when empty); an unknown slug is refused."""
    slug = slug.strip()
    return paper_in(project, slug) if slug else None


def analysts_named(project, names: list[str], paper: Paper | None = None) -> list[User]:
    """The project's members named (analysts or above), in the order given; unknown names are refused. None
    named: the round's assigned analysts (default_analysts)."""
    names = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if not names:
        return default_analysts(project, paper)
    if len(names) > MAX_ANALYSTS:
        raise ValidationError({"analysts": [f"Compare at most {MAX_ANALYSTS} analysts at once."]})
    members = {
        m.user.username: m.user
        for m in Membership.objects.filter(project=project, user__username__in=names).select_related("user")
        if m.role != ProjectRole.READER
    }
    unknown = [name for name in names if name not in members]
    if unknown:
        raise ValidationError({"analysts": [f'"{name}" is not an analyst of this project.' for name in unknown]})
    return [members[name] for name in names]


def default_analysts(project, paper: Paper | None) -> list[User]:
    """The analysts compared when none are named: those assigned in the latest round that assigned anyone (to
    `paper`, when given), else nobody in particular (then everyone with a claim in the scope). A curator's
    claims are thus left out of a round's agreement unless the curator is named."""
    assigned = latest_assignments(project, paper)
    return list(User.objects.filter(assignments__in=assigned).distinct().order_by("username"))


def _claims(project, paper: Paper | None, analysts: list[User]):
    claims = Claim.objects.filter(paper__project=project, deleted_at__isnull=True, status__in=COUNTED)
    if paper is not None:
        claims = claims.filter(paper=paper)
    if analysts:
        claims = claims.filter(created_by__in=analysts)
    # A curator's merged or edited claim is not a coding: it stays out even when its curator is named.
    return claims.exclude(created_by__isnull=True).exclude(made_by_curation()).order_by()


def coded_rows(project, *, paper: Paper | None = None, analysts: list[User] = ()) -> tuple:
    """(claims, links, lengths, coders) for agreement.report: the analysts' live claims (all analysts with a
    claim here when none are named), their codings and their links between those claims, and the length of
    each paper at least one of them coded (the one `paper`, when given). Four queries."""
    claims = _claims(project, paper, list(analysts))
    rows = list(claims.values_list("pk", "created_by__username", "paper__slug", "start", "end"))
    codings: dict = defaultdict(dict)
    for claim_id, slug, stance in Coding.objects.filter(claim__in=claims.values("pk")).values_list(
        "claim_id", "tag__slug", "stance"
    ):
        codings[claim_id][slug] = stance
    coded = [
        agreement.CodedClaim(str(pk), coder, slug, start, end, codings[pk]) for pk, coder, slug, start, end in rows
    ]
    ids = claims.values("pk")
    links = [
        agreement.CodedLink(coder, str(source), str(target), relation)
        for coder, source, target, relation in Link.objects.filter(
            deleted_at__isnull=True, status__in=COUNTED, source__in=ids, target__in=ids
        )
        .exclude(created_by__isnull=True)
        .order_by()
        .values_list("created_by__username", "source_id", "target_id", "relation")
    ]
    papers = Paper.objects.filter(Q(pk=paper.pk) if paper is not None else Q(slug__in={row[2] for row in rows}))
    lengths = dict(papers.annotate(length=Length("text")).values_list("slug", "length"))
    coders = [user.username for user in analysts] or sorted({row[1] for row in rows})
    return coded, links, lengths, coders


def project_report(project, *, paper: Paper | None = None, analysts: list[User] = ()) -> dict:
    """The agreement report (docs/agreement.md) with `project`, `paper`, and `claims_shown`: for each claim the
    disagreement list names, its quote, statement and codings, to show both versions side by side (one more
    query, for at most the listed disagreements' claims)."""
    coded, links, lengths, coders = coded_rows(project, paper=paper, analysts=analysts)
    data = agreement.report(coded, links, lengths=lengths, coders=coders)
    named = {claim_id for item in data["disagreements"] for claim_id in item.get("claims", {}).values()}
    shown = {}
    if named:
        found = Claim.objects.filter(pk__in=named, paper__project=project).values_list(
            "pk", "paper__slug", "exact", "statement", "stance"
        )
        shown = {str(pk): {"paper": slug, "exact": exact, "statement": statement, "stance": stance}
                 for pk, slug, exact, statement, stance in found}  # fmt: skip
        by_id = {claim.id: claim for claim in coded if claim.id in shown}
        for claim_id, details in shown.items():
            details["codings"] = dict(by_id[claim_id].codings) if claim_id in by_id else {}
    return {"project": project.slug, "paper": paper.slug if paper else None, **data, "claims_shown": shown}


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


CSV_HEADER = ("scope", "paper", "tag", "coders", "figure", "measure", "value", "units", "reason", "warning")


def report_csv(data: dict) -> str:
    """The report's figures as CSV, one row per figure (overall, per tag, per paper, and each pair of analysts
    from the pairwise matrices): RFC 4180, CRLF; text cells through the spreadsheet-formula guard."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)

    def row(scope, paper, tag, coders, key, figure):
        writer.writerow([_cell(v) for v in (scope, paper, tag, coders, key, figure.get("measure"), figure.get("value"),
                         figure.get("units"), figure.get("reason"), figure.get("warning"))])  # fmt: skip

    everyone = " ".join(map(str, data["coders"]))
    for key in FIGURES:
        row("overall", "", "", everyone, key, data[key])
    for tag, figures in sorted(data["per_tag"].items()):
        for key, figure in sorted(figures.items()):
            row("tag", "", tag, everyone, key, figure)
    for paper in data["per_paper"]:
        for key in PAPER_FIGURES:
            row("paper", paper["paper"], "", everyone, key, paper[key])
    for matrix in data["pairwise"]:
        coders, cells = matrix["coders"], matrix["matrix"]
        for i, a in enumerate(coders):
            for j in range(i + 1, len(coders)):
                figure = {"measure": matrix["measure"], "value": cells[i][j], "units": cells[j][i]}
                row("pair", "", "", f"{a} {coders[j]}", "pairwise", figure)
    return out.getvalue()
