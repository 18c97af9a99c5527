"""Server-rendered pages: thin, each calls selectors and renders a template."""

from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import history, roles, selectors, services
from .errors import ValidationError
from .models import Claim, Link

QUEUE_LIMIT = 100


@login_required
def papers(request):
    return render(request, "annotations/papers.html", {"papers": selectors.papers_with_claim_counts(request.user)})


@login_required
def reader(request, slug: str):
    paper = get_object_or_404(selectors.paper_detail(), slug=slug)
    claims = selectors.claims_in_paper(request.user, paper)
    return render(request, "annotations/reader.html", {"paper": paper, "claims": claims})


def moderator_required(view):
    """Anonymous visitors go to the login page; signed-in users who cannot moderate get a 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.can_moderate(request.user):
            raise PermissionDenied("Only moderators can use the moderation queue.")
        return view(request, *args, **kwargs)

    return wrapper


@moderator_required
def moderation(request):
    """The queue: pending claims and links, oldest first, each with its quote in context and its links."""
    claims = list(selectors.moderation_queue_claims(request.user)[:QUEUE_LIMIT])
    links = list(selectors.moderation_queue_links(request.user)[:QUEUE_LIMIT])
    return render(
        request,
        "annotations/moderation.html",
        {"claims": claims, "links": links, "limit": QUEUE_LIMIT},
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@moderator_required
@require_POST
def moderation_decide(request, kind: str, pk: UUID):
    """Approve, reject or reopen one item from the queue; JSON for the page's script, a redirect otherwise."""
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        if kind == "claims":
            item = services.claim_moderate(claim_id=pk, by=request.user, decision=decision, reason=reason)
        else:
            item = services.link_moderate(link_id=pk, by=request.user, decision=decision, reason=reason)
    except (Claim.DoesNotExist, Link.DoesNotExist) as error:
        raise Http404("No such item.") from error
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"errors": error.messages}, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect("annotations:moderation")
    noun = "Claim" if kind == "claims" else "Link"
    if _wants_json(request):
        return JsonResponse(
            {"id": str(item.pk), "status": item.status, "pending": selectors.moderation_pending_count(request.user)}
        )
    messages.success(request, f"{noun} {item.status}.")
    return redirect("annotations:moderation")


@login_required
def claim_history(request, pk: UUID):
    """The audit trail of one claim, for anyone who can see the claim (moderators: deleted ones too)."""
    claim = get_object_or_404(selectors.claim_lookup(request.user), pk=pk)
    entries = history.entries(selectors.history_of(claim), Claim)
    return render(request, "annotations/history.html", {"item": claim, "entries": entries, "kind": "claim"})


@login_required
def link_history(request, pk: UUID):
    link = get_object_or_404(selectors.link_lookup(request.user), pk=pk)
    entries = history.entries(selectors.history_of(link), Link)
    return render(request, "annotations/history.html", {"item": link, "entries": entries, "kind": "link"})
