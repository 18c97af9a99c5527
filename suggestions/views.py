"""The link suggestions queue: pairs of claims by different authors to link, each accepted (a pending link with
provenance) or rejected (remembered) with a plain form, so the page needs no script."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotations import roles
from annotations.errors import error_detail
from annotations.models import Link
from annotations.selectors import link_ends
from annotations.views import page_project

from . import links, services

QUEUE_SIZE = 20


@login_required
def link_queue(request):
    project = page_project(request)
    return render(
        request,
        "suggestions/link_queue.html",
        {
            "project": project,
            "suggestions": links.link_suggestions(request.user, project, QUEUE_SIZE),
            "relations": Link.Relation.values,
            "can_judge": roles.can_annotate(request.user, project) and not project.archived,
        },
    )


@login_required
@require_POST
def link_queue_judge(request):
    project = page_project(request)
    ids = {request.POST.get("source", ""), request.POST.get("target", "")}
    try:
        ends = {str(claim.pk): claim for claim in link_ends(request.user, ids, project=project)}
        source, target = ends[request.POST["source"]], ends[request.POST["target"]]
    except (KeyError, DjangoValidationError) as error:
        raise Http404("No such claims among those you may see.") from error
    try:
        if request.POST.get("decision") == "accept":
            services.link_suggestion_accept(
                source=source, target=target, relation=request.POST.get("relation", ""), by=request.user
            )
            messages.success(request, "Linked (pending review).")
        else:
            services.link_suggestion_reject(source=source, target=target, by=request.user)
            messages.success(request, "This pair will not be suggested again.")
    except DjangoValidationError as error:
        messages.error(request, " ".join(m for ms in error_detail(error).values() for m in ms))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('suggestions:links')}?project={project.slug}")
