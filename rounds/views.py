"""The coding-rounds page of a project: owners open and close rounds and assign papers; every member sees the
progress; an analyst marks their assigned papers done. Each form posts to one service."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from annotations.errors import PermissionDenied, ValidationError
from projects import access
from projects.forms import refusal
from projects.models import ProjectRole
from projects.selectors import project_members
from projects.views import project_page

from . import selectors, services
from .models import Assignment, CodingRound


@project_page()
def round_page(request, project):
    rounds = list(selectors.project_rounds(project))
    shown = [(found, selectors.round_progress(found)) for found in rounds if found.is_open]
    can_manage = access.can_manage(request.user, project) and not project.archived
    analysts = (
        [member.user.username for member in project_members(project) if member.role != ProjectRole.READER]
        if can_manage
        else []
    )
    context = {
        "project": project,
        "open_rounds": shown,
        "closed_rounds": [found for found in rounds if not found.is_open],
        "mine": list(selectors.assignments_of(request.user, project)),
        "can_manage": can_manage,
        "can_moderate": access.can_moderate(request.user, project),
        "papers": selectors.paper_slugs(project) if can_manage else [],
        "analysts": analysts,
    }
    return render(request, "rounds/rounds.html", context)


def _form_post(at_least: str = ProjectRole.OWNER):
    """A form of the rounds page posts here: the view answers the service call to make and the message to show
    when it succeeds; a refusal is shown as an error instead, and either way the page is shown again."""

    def decorate(view):
        @project_page(at_least=at_least)
        @require_POST
        @wraps(view)
        def wrapper(request, project, *args, **kwargs):
            action, success = view(request, project, *args, **kwargs)
            try:
                action()
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, refusal(error))
            else:
                messages.success(request, success)
            return redirect("rounds:page", slug=project.slug)

        return wrapper

    return decorate


def _round(project, round_id: int) -> CodingRound:
    return get_object_or_404(CodingRound.objects.select_related("project", "paper"), pk=round_id, project=project)


@_form_post()
def round_open(request, project):
    paper = request.POST.get("paper", "").strip()
    return (
        lambda: services.round_open(project=project, by=request.user, paper=paper),
        "Round opened: analysts now see only their own claims and links on its papers.",
    )


@_form_post()
def round_close(request, project, round_id: int):
    found = _round(project, round_id)
    return (
        lambda: services.round_close(coding_round=found, by=request.user),
        "Round closed: everyone sees its claims and links again.",
    )


@_form_post()
def assignment_add(request, project, round_id: int):
    found = _round(project, round_id)
    analyst, paper = request.POST.get("analyst", "").strip(), request.POST.get("paper", "").strip()
    return (
        lambda: services.assignment_add(coding_round=found, by=request.user, analyst=analyst, paper=paper),
        f"{analyst} codes {paper}.",
    )


def _assignment(project, assignment_id: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("coding_round__project", "paper", "analyst"),
        pk=assignment_id,
        coding_round__project=project,
    )


@_form_post()
def assignment_remove(request, project, assignment_id: int):
    found = _assignment(project, assignment_id)
    return (
        lambda: services.assignment_remove(assignment=found, by=request.user),
        f"{found.analyst.username} no longer codes {found.paper.slug}.",
    )


@_form_post(at_least=ProjectRole.ANALYST)
def assignment_mark(request, project, assignment_id: int):
    found = _assignment(project, assignment_id)
    if found.analyst_id != request.user.pk and not access.can_manage(request.user, project):
        raise Http404("No such assignment of yours.")
    done = request.POST.get("done") == "true"
    return (
        lambda: services.assignment_mark(assignment=found, by=request.user, done=done),
        f"{found.paper.slug} marked {'done' if done else 'to do'}.",
    )
