"""The agreement page of a project (`/projects/<slug>/agreement/`): every figure of the report with its one-sentence
explanation, the units it rests on and its warning, the pairwise matrices, the per-paper table and the disagreeing
units side by side. Owners and moderators, as the API."""

from django.shortcuts import render
from django.urls import reverse

from annotations.errors import ValidationError, error_detail
from projects.models import ProjectRole
from projects.selectors import project_members
from projects.views import project_page

from . import agreement
from .selectors import paper_slugs

# One sentence each, as in docs/agreement.md.
EXPLANATIONS = {
    "unitizing_alpha": "How reliably analysts tell passages that make a claim from the text between them, code point "
    "by code point: 1 is perfect, 0 what chance placement of the same passages would give.",
    "cu_alpha": "On the text two analysts both marked, how reliably they gave it the same tags.",
    "tag_alpha": "On claims both analysts marked (matched units), how reliably they gave the same set of tags "
    "(Krippendorff's alpha, nominal).",
    "tag_kappa": "The same agreement on tags as Cohen's kappa (two analysts) or Fleiss' kappa (more; units every "
    "analyst coded only).",
    "tag_ac1": "Gwet's AC1 on tags, which does not collapse when one category dominates.",
    "stance_alpha": "On a tag both analysts gave a matched claim, how reliably they gave the same stance (affirms, "
    "denies, qualifies).",
    "stance_kappa": "The same agreement on stances as Cohen's or Fleiss' kappa.",
    "stance_ac1": "Gwet's AC1 on stances: high when nearly all stances agree even if one stance dominates, where "
    "alpha and kappa fall to about 0.",
    "link_alpha": "For pairs of claims someone linked, how reliably analysts agree whether and how they are linked "
    "(supports, conflicts, restates, or none).",
}
TITLES = {
    "unitizing_alpha": "Unitizing (|u-alpha, any claim)",
    "cu_alpha": "Tags on shared text (cu-alpha)",
    "tag_alpha": "Tags (alpha)",
    "tag_kappa": "Tags (kappa)",
    "tag_ac1": "Tags (AC1)",
    "stance_alpha": "Stance (alpha)",
    "stance_kappa": "Stance (kappa)",
    "stance_ac1": "Stance (AC1)",
    "link_alpha": "Links across papers (alpha)",
}


def _matrix_rows(matrix: dict) -> list[dict]:
    """Rows of cells: the value above the diagonal, the units below, the diagonal empty."""
    coders, cells = matrix["coders"], matrix["matrix"]
    return [
        {
            "coder": coder,
            "cells": [
                {"kind": "self" if i == j else ("value" if j > i else "units"), "value": cells[i][j]}
                for j in range(len(coders))
            ],
        }
        for i, coder in enumerate(coders)
    ]


def _side_by_side(item: dict, shown: dict, coders: list[str]) -> list[dict]:
    versions = []
    for coder in coders:
        claim_id = item.get("claims", {}).get(coder)
        claim = shown.get(claim_id) if claim_id else None
        versions.append(
            {
                "coder": coder,
                "claim": claim,
                "value": item.get("values", {}).get(coder),
                "href": f"{reverse('annotations:reader', args=[claim['paper']])}#claim-{claim_id}" if claim else "",
            }
        )
    return versions


@project_page(at_least=ProjectRole.MODERATOR)
def agreement_page(request, project):
    members = [m.user.username for m in project_members(project) if m.role != ProjectRole.READER]
    chosen = [name for name in request.GET.getlist("analysts") if name]
    if len(chosen) == 1 and "," in chosen[0]:
        chosen = chosen[0].split(",")
    slug = request.GET.get("paper", "").strip()
    context = {"project": project, "members": members, "chosen": chosen, "paper": slug, "can_moderate": True}
    context["papers"] = paper_slugs(project)
    try:
        paper = agreement.paper_named(project, slug)
        data = agreement.project_report(project, paper=paper, analysts=agreement.analysts_named(project, chosen, paper))
    except ValidationError as error:
        context["errors"] = [m for found in error_detail(error).values() for m in found]
        return render(request, "rounds/agreement.html", context, status=400)
    context.update(
        report=data,
        figures=[
            {"key": key, "title": TITLES[key], "explanation": EXPLANATIONS[key], **data[key]}
            for key in agreement.FIGURES
        ],
        matrices=[{"measure": m["measure"], "coders": m["coders"], "rows": _matrix_rows(m)} for m in data["pairwise"]],
        disagreements=[
            {**item, "versions": _side_by_side(item, data["claims_shown"], data["coders"])}
            for item in data["disagreements"]
        ],
        query=request.GET.urlencode(),
    )
    return render(request, "rounds/agreement.html", context)
