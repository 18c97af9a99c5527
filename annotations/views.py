"""Server-rendered pages: thin, each calls selectors and renders a template."""

from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from . import discourse, formatting, history, reader_data, roles, selectors, services
from .errors import ValidationError, error_detail
from .models import Author, Claim, Link, Status, Tag
from .parsing import whole_number

# Items per list and page of the moderation queue.
QUEUE_PAGE_SIZE = 50


def role_required(view):
    """Anonymous visitors go to the login page; signed-in users in no role get a 403 (no role, no access)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.can_read(request.user):
            raise PermissionDenied(roles.NO_ROLE_MESSAGE)
        return view(request, *args, **kwargs)

    return wrapper


@role_required
def papers(request):
    author = request.GET.get("author", "").strip()
    tag = request.GET.get("tag", "").strip()
    found = selectors.papers_filtered(
        selectors.papers_with_claim_counts(request.user), request.user, author=author, tag=tag
    )
    context = {
        "papers": found,
        "authors": Author.objects.order_by("name"),
        "tags": selectors.tags_list(),
        "author": author,
        "tag": tag,
        "filtered": bool(author or tag),
        "statuses": Status.values,
    }
    return render(request, "annotations/papers.html", context)


def _claims_data(request, paper) -> tuple[dict, list[selectors.ReaderClaim], int]:
    """The claims the page paints and lists, as compact data; the rows; how many are placed on the text."""
    claims = selectors.claims_for_reader(request.user, paper)
    placed, unplaced = reader_data.placeable(claims, len(paper.text))
    return reader_data.compact(placed, unplaced, paper.pages), claims, len(placed)


def _speakers(claims: list[selectors.ReaderClaim]) -> list[str]:
    return sorted({claim.speaker for claim in claims if claim.speaker}, key=str.casefold)


@role_required
def reader(request, slug: str):
    """The text, formatted once for every reader (cached by text: it does not depend on the claims), and
    the claims as compact data the page paints with the CSS Custom Highlight API."""
    paper = get_object_or_404(selectors.paper_detail(), slug=slug)
    claims_data, claims, placed = _claims_data(request, paper)
    tags: list[Tag] = list(selectors.tags_usable_by(request.user, paper.project_id))
    context = {
        "paper": paper,
        # Every piece of the text is escaped in formatting.render_html.
        "text_html": mark_safe(formatting.render_html(paper.text)),
        "claims_data": claims_data,
        "count": placed,
        "codebook": tags,
        "speakers": _speakers(claims),
        "stances": Claim.Stance.choices,
        "can_annotate": roles.can_annotate(request.user),
        "reader_data": {
            "paper": paper.slug,
            "tags": [{"slug": t.slug, "name": t.name, "colour": t.colour, "description": t.description} for t in tags],
            "papers": {
                other.slug: {
                    "title": other.title,
                    "year": other.year,
                    "authors": [
                        {"id": b.author_id, "name": b.author.name, "country": b.author.country}
                        for b in other.bylines.all()
                    ],
                }
                for other in selectors.papers_list()
            },
        },
    }
    return render(request, "annotations/reader.html", context)


@role_required
def reader_text(request, slug: str):
    """The reader's claims alone (the same compact data as the page's), which the page fetches again after
    every change; the text itself never changes with the claims."""
    paper = get_object_or_404(selectors.paper_detail(), slug=slug)
    claims_data, _, placed = _claims_data(request, paper)
    return JsonResponse({"claims": claims_data, "count": placed})


def moderator_required(view):
    """Anonymous visitors go to the login page; signed-in users who cannot moderate get a 403."""

    @role_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.can_moderate(request.user):
            raise PermissionDenied("Only moderators can use the moderation queue.")
        return view(request, *args, **kwargs)

    return wrapper


@moderator_required
def moderation(request):
    """The queue: pending claims and links, oldest first, each with its quote in context and its links;
    `?show=decided`: the approved and rejected ones, newest decision first, to reopen. Each list is paged on
    the server (`?claims_page=`, `?links_page=`), so the page works without its script."""
    decided = request.GET.get("show") == "decided"
    claims = Paginator(selectors.moderation_queue_claims(request.user, decided=decided), QUEUE_PAGE_SIZE)
    links = Paginator(selectors.moderation_queue_links(request.user, decided=decided), QUEUE_PAGE_SIZE)
    claims_page = claims.get_page(whole_number(request.GET.get("claims_page", "")) or 1)
    links_page = links.get_page(whole_number(request.GET.get("links_page", "")) or 1)
    return render(
        request,
        "annotations/moderation.html",
        {
            "show": "decided" if decided else "pending",
            "claims": list(claims_page),
            "links": list(links_page),
            "claims_pager": _pager(request, claims_page, "claims_page"),
            "links_pager": _pager(request, links_page, "links_page"),
            "claims_total": claims.count,
            "links_total": links.count,
            "next_url": request.get_full_path(),
        },
    )


def _pager(request, page, param: str) -> dict:
    """Where the previous and next pages of one list are, the other list's page and the tab kept."""
    query = request.GET.copy()

    def url(number: int) -> str:
        query[param] = str(number)
        return f"?{query.urlencode()}"

    return {
        "number": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "first": page.start_index(),
        "last": page.end_index(),
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
    }


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back_to_queue(request):
    """Back where the decision was made (the same tab and page), never anywhere else."""
    target = request.POST.get("next", "")
    if target.startswith("/moderation/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("annotations:moderation")


@moderator_required
@require_POST
def moderation_decide(request, kind: str, pk: UUID):
    """Approve, reject or reopen one item from the queue; JSON for the page's script (with the new counts),
    a redirect otherwise."""
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
            return JsonResponse(error_detail(error), status=400)
        messages.error(request, " ".join(error.messages))
        return _back_to_queue(request)
    noun = "Claim" if kind == "claims" else "Link"
    if _wants_json(request):
        counts = selectors.moderation_counts(request.user)
        return JsonResponse(
            {
                "id": str(item.pk),
                "status": item.status,
                "pending": sum(counts["pending"].values()),
                "counts": counts,
            }
        )
    messages.success(request, f"{noun} {item.status}.")
    return _back_to_queue(request)


@role_required
def claim_history(request, pk: UUID):
    """The audit trail of one claim, for anyone who can see the claim (moderators: deleted ones too)."""
    claim = get_object_or_404(selectors.claim_lookup(request.user), pk=pk)
    entries = history.entries(selectors.history_of(claim), Claim)
    return render(request, "annotations/history.html", {"item": claim, "entries": entries, "kind": "claim"})


@role_required
def link_history(request, pk: UUID):
    link = get_object_or_404(selectors.link_lookup(request.user), pk=pk)
    entries = history.entries(selectors.history_of(link), Link)
    return render(request, "annotations/history.html", {"item": link, "entries": entries, "kind": "link"})


@role_required
def argument_map(request):
    """The argument map page; the graph itself comes from GET /api/v1/map/ with the filters chosen here."""
    return render(request, "annotations/map.html", selectors.filter_choices())


@role_required
def compare(request):
    """The stance matrix page; the matrix comes from GET /api/v1/compare/."""
    context = {
        **selectors.filter_choices(),
        "groupings": [(by, discourse.BY_NAMES[by], discourse.COUNTING[by]) for by in discourse.BY],
        "counting": discourse.COUNTING["author"],
        "network_kinds": discourse.NETWORKS,
    }
    return render(request, "annotations/compare.html", context)
