"""Reads of coding rounds: which papers are under an open round (the visibility rule of independent mode), a
project's rounds with their assignments and each analyst's progress, and the audit trail of rounds."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from annotations.errors import ValidationError
from annotations.models import Paper

from .models import Assignment, CodingRound


def open_rounds() -> QuerySet[CodingRound]:
    return CodingRound.objects.filter(closed_at__isnull=True)


def under_open_round(paper_path: str, project_path: str) -> Exists:
    """True for a row whose paper (at `paper_path`, in its project at `project_path`) is under an open round: one
    of its whole project or one of that paper. A correlated EXISTS, so visibility costs no extra query."""
    rounds = open_rounds().filter(project_id=OuterRef(project_path))
    return Exists(rounds.filter(Q(paper__isnull=True) | Q(paper_id=OuterRef(paper_path))))


def project_rounds(project) -> QuerySet[CodingRound]:
    return CodingRound.objects.filter(project=project).select_related("paper", "opened_by", "closed_by")


def open_round_of(project) -> CodingRound | None:
    """The project's open round of every paper, else its most recent open round of one paper."""
    return project_rounds(project).filter(closed_at__isnull=True).order_by("paper_id", "-opened_at").first()


@dataclass
class Progress:
    analyst: str
    done: list[str] = field(default_factory=list)
    to_do: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.done) + len(self.to_do)


def round_assignments(coding_round: CodingRound) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(coding_round=coding_round)
        .select_related("analyst", "paper")
        .defer("paper__text")
        .order_by("analyst__username", "paper__slug")
    )


def round_progress(coding_round: CodingRound) -> list[Progress]:
    """Each assigned analyst's papers done and to do, by username: one query."""
    progress: dict[str, Progress] = {}
    for assignment in round_assignments(coding_round):
        row = progress.setdefault(assignment.analyst.username, Progress(assignment.analyst.username))
        (row.done if assignment.done_at else row.to_do).append(assignment.paper.slug)
    return list(progress.values())


def assignments_of(user, project) -> QuerySet[Assignment]:
    """The user's assignments in the project's open rounds (what they have to code)."""
    return round_assignments_open(project).filter(analyst=user)


def round_assignments_open(project) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(coding_round__project=project, coding_round__closed_at__isnull=True)
        .select_related("paper", "analyst")
        .defer("paper__text")
        .order_by("paper__slug")
    )


def round_history_rows(project) -> list:
    """The history rows of the project's rounds and assignments (opened, closed, assigned, unassigned, done), with
    their authors: two queries. Each row's reason says what happened in words."""
    rounds = CodingRound.history.filter(project_id=project.pk).select_related("history_user")
    assignments = Assignment.history.filter(coding_round__project_id=project.pk).select_related("history_user")
    return [*rounds, *assignments]


def paper_slugs(project) -> list[str]:
    return list(Paper.objects.filter(project=project).order_by("slug").values_list("slug", flat=True))


def closed_round_papers(project) -> QuerySet[Paper] | None:
    """The papers (of `project`; of every project when None) under a closed round and not under an open one,
    where the curated layer is what the analyses read; None when no such round was ever closed."""
    closed = CodingRound.objects.filter(closed_at__isnull=False)
    papers = Paper.objects.defer("text")
    if project is not None:
        closed, papers = closed.filter(project=project), papers.filter(project=project)
    if not closed.exists():
        return None
    covered = Q(pk__in=closed.filter(paper__isnull=False).values("paper_id")) | Q(
        project_id__in=closed.filter(paper__isnull=True).values("project_id")
    )
    return papers.filter(covered).exclude(under_open_round("pk", "project_id"))


def latest_assignments(project, paper: Paper | None = None) -> QuerySet[Assignment]:
    """The assignments of the project's most recent round (open or closed) that assigned anyone (to `paper`, when
    given): who codes there, as the agreement report and the curation board compare them."""
    assignments = (
        Assignment.objects.filter(paper=paper)
        if paper is not None
        else Assignment.objects.filter(coding_round__project=project)
    )
    latest = assignments.order_by("-coding_round__opened_at", "-coding_round_id").values("coding_round_id")[:1]
    return assignments.filter(coding_round_id=Subquery(latest))


def round_coders(paper: Paper) -> list[int] | None:
    """The user ids of the analysts assigned to `paper` in its most recent round that assigned anyone to it; None
    when no round assigned it (then every analyst with a claim counts). One query."""
    return sorted(latest_assignments(paper.project_id, paper).values_list("analyst_id", flat=True)) or None


def paper_in(project, slug: str) -> Paper:
    """The project's paper `slug`; an unknown one (or none named) is refused, naming the field."""
    paper = Paper.objects.filter(project=project, slug=slug).defer("text").first()
    if paper is None:
        raise ValidationError({"paper": [f'Unknown paper "{slug}".']})
    return paper
