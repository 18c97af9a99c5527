"""The rows discourse analysis reads, who the actors of a claim are (`attribution`), and the stance matrix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

STANCES = ("affirms", "denies", "qualifies")
BY = ("author", "byline", "country", "affiliation", "paper", "year", "decade", "speaker")
NETWORKS = ("author-tag", "congruence", "conflict")
DISAGREEING = ("conflicts",)  # link relations that make a disagreement
AGREEING = ("supports", "restates")  # and an agreement

# What the columns are called on the page, per `by`.
BY_NAMES = {
    "author": "authors",
    "byline": "papers' co-authors together",
    "country": "authors' countries",
    "affiliation": "authors' affiliations",
    "paper": "papers",
    "year": "years",
    "decade": "decades",
    "speaker": "speakers (who holds the view)",
}
# How the actors are counted under each `by`, in one line: the API docs, the compare answer and its page.
REPORTS_APART = "claims in someone else's voice (a speaker) count apart, as reports, not in the stance balance."
COUNTING = {
    "author": f"Each author of a paper, for the claims the paper makes in its own voice; {REPORTS_APART}",
    "byline": f"A paper's authors together (“Su Hao & Li Xin”), one actor per byline; {REPORTS_APART}",
    "country": f"The countries of a paper's authors (each distinct one); {REPORTS_APART}",
    "affiliation": f"The affiliations of a paper's authors (each distinct one); {REPORTS_APART}",
    "paper": f"The paper itself; {REPORTS_APART}",
    "year": f"The year of the paper; {REPORTS_APART}",
    "decade": f"The decade of the paper; {REPORTS_APART}",
    "speaker": "Who holds the view, as the Discourse Network Analyzer codes it: the speaker when a claim has "
    "one, otherwise each author of the paper.",
}
UNKNOWN = {
    "author": "(no author)",
    "byline": "(no author)",
    "country": "(country unknown)",
    "affiliation": "(affiliation unknown)",
    "year": "(year unknown)",
    "decade": "(year unknown)",
    "speaker": "(no author)",
}


@dataclass(frozen=True)
class ClaimRow:
    id: str
    paper: str
    authors: tuple[str, ...]
    speaker: str  # "" when the paper's authors hold the view
    stance: str
    tags: tuple[str, ...]
    status: str = "approved"
    exact: str = ""
    statement: str = ""
    countries: tuple[str, ...] = ()  # of the authors, in byline order ("" when unknown)
    affiliations: tuple[str, ...] = ()
    year: int | None = None
    codings: Mapping[str, str] | None = None  # tag slug -> the stance on that tag, when it has its own
    pages: tuple[int, int] | None = None  # [first, last] when the paper has pages (annotations.pages)


@dataclass(frozen=True)
class LinkRow:
    id: str
    source: str
    target: str
    relation: str
    status: str = "approved"


@dataclass(frozen=True)
class TagRow:
    slug: str
    name: str = ""
    colour: str = "#888888"
    parent: str | None = None


@dataclass(frozen=True)
class Attribution:
    """Whom a claim is counted for under one `by`, and whether it is their own view or one they report."""

    actors: tuple[str, ...]
    reported: bool = False


@dataclass
class Network:
    """A network ready for a presenter: nodes and undirected edges with scalar attributes (GraphML-safe)."""

    kind: str
    by: str
    nodes: list[dict] = field(default_factory=list)  # each: id, label, type, ...
    edges: list[dict] = field(default_factory=list)  # each: source, target, weight, ...
    description: str = ""


def stance_on(claim: ClaimRow, tag: str) -> str:
    """The stance `claim` takes on `tag`: the tag's own coding when it has one, else the claim's stance.
    Every count of this module reads stances through here."""
    if claim.codings and tag in claim.codings:
        return claim.codings[tag]
    return claim.stance


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _order(label: str) -> tuple:
    # "(country unknown)" and its kind after the named actors.
    return (label.startswith("("), _key(label), label)


def _check_by(by: str) -> None:
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")


def attribution(claims: Sequence[ClaimRow], by: str) -> dict[str, Attribution]:
    """Claim id -> its actors under `by` and whether the claim is a report (see the module docstring).
    Every claim has at least one actor: what is not known is an actor of its own, "(country unknown)"."""
    _check_by(by)
    labels: dict[str, str] = {}

    def label(value: str) -> str:
        # The first spelling met stands for all; authors come first, so a speaker who is also an author is
        # shown as the author is.
        return labels.setdefault(_key(value), " ".join(value.split()))

    for authors in dict.fromkeys(claim.authors for claim in claims):
        for author in authors:
            label(author)

    def distinct(values: Iterable[str]) -> tuple[str, ...]:
        found = tuple(dict.fromkeys(label(value) if value.strip() else UNKNOWN[by] for value in values))
        return found or (UNKNOWN[by],)

    def own(claim: ClaimRow) -> tuple[str, ...]:
        if by in ("author", "speaker"):
            return distinct(claim.authors)
        if by == "byline":
            return (" & ".join(label(a) for a in claim.authors),) if claim.authors else (UNKNOWN[by],)
        if by == "country":
            return distinct(claim.countries)
        if by == "affiliation":
            return distinct(claim.affiliations)
        if by == "paper":
            return (claim.paper,)
        if claim.year is None:
            return (UNKNOWN[by],)
        return (str(claim.year),) if by == "year" else (f"{claim.year // 10 * 10}s",)

    # The claims of one paper share their actors: work them out once per paper (thousands of claims, few papers).
    per_paper: dict[tuple, tuple[Attribution, Attribution]] = {}
    result: dict[str, Attribution] = {}
    for claim in claims:
        if by == "speaker" and claim.speaker.strip():
            result[claim.id] = Attribution((label(claim.speaker),))
            continue
        key = (claim.paper, claim.authors, claim.countries, claim.affiliations, claim.year)
        if key not in per_paper:
            actors = own(claim)
            per_paper[key] = (Attribution(actors), Attribution(actors, reported=by != "speaker"))
        result[claim.id] = per_paper[key][bool(claim.speaker.strip())]
    return result


def actors_of(claims: Sequence[ClaimRow], by: str) -> dict[str, tuple[str, ...]]:
    """Claim id -> the actors whose own view it is under `by` (empty for a report)."""
    return {claim_id: () if a.reported else a.actors for claim_id, a in attribution(claims, by).items()}


def _empty_cell() -> dict:
    return {
        "affirms": 0, "denies": 0, "qualifies": 0, "total": 0, "balance": None, "claims": [],
        "reports": 0, "reported": [], "pending": 0,
    }  # fmt: skip


def stance_matrix(claims: Sequence[ClaimRow], tags: Sequence[TagRow], by: str) -> dict:
    """Rows are the codebook's tags, columns the actors under `by`; each cell counts its actor's own claims per
    stance (`affirms`, `denies`, `qualifies`, `total`, their ids in `claims`) and, apart, the claims the actor
    reports in someone else's voice (`reports`, ids in `reported`); `pending` counts the pending claims of both.

    `balance` is (affirms - denies) / total, from -1 (all deny) to 1 (all affirm), null without claims of its
    own; qualifications pull it toward 0. A row is `contested` when one column leans to affirming (affirms >
    denies) and another leans to denying. `excluded` counts the claims in no cell (no tag of the codebook).
    """
    attributed = attribution(claims, by)
    columns = sorted({actor for a in attributed.values() for actor in a.actors}, key=_order)
    index = {label: i for i, label in enumerate(columns)}
    known = {tag.slug for tag in tags}
    cells: dict[str, list[dict]] = {tag.slug: [_empty_cell() for _ in columns] for tag in tags}
    column_claims = [0] * len(columns)
    column_reports = [0] * len(columns)
    excluded = 0
    for claim in claims:
        who = attributed[claim.id]
        counted_tags = [slug for slug in claim.tags if slug in known]
        if not counted_tags:
            excluded += 1
            continue
        for actor in who.actors:
            i = index[actor]
            if who.reported:
                column_reports[i] += 1
            else:
                column_claims[i] += 1
            for slug in counted_tags:
                cell = cells[slug][i]
                if who.reported:
                    cell["reports"] += 1
                    cell["reported"].append(claim.id)
                else:
                    cell[stance_on(claim, slug)] += 1
                    cell["total"] += 1
                    cell["claims"].append(claim.id)
                cell["pending"] += claim.status == "pending"
    rows = []
    for tag in tags:
        row_cells = cells[tag.slug]
        for cell in row_cells:
            if cell["total"]:
                cell["balance"] = round((cell["affirms"] - cell["denies"]) / cell["total"], 3)
        leans = {(cell["affirms"] > cell["denies"]) - (cell["denies"] > cell["affirms"]) for cell in row_cells}
        rows.append(
            {
                "tag": tag.slug,
                "name": tag.name,
                "colour": tag.colour,
                "parent": tag.parent,
                "total": sum(cell["total"] for cell in row_cells),
                "reports": sum(cell["reports"] for cell in row_cells),
                "contested": {1, -1} <= leans,
                "cells": row_cells,
            }
        )
    return {
        "by": by,
        "columns": [
            {"key": label, "label": label, "claims": column_claims[i], "reports": column_reports[i]}
            for i, label in enumerate(columns)
        ],
        "rows": rows,
        "excluded": excluded,
    }
