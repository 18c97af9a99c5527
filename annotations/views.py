"""Server-rendered pages: thin, each calls selectors and renders a template."""

from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from projects import access
from projects.models import Project
from projects.pages import page_project_named

from . import discourse, formatting, history, reader_cache, roles, selectors, services
from .errors import ValidationError, error_detail
from .models import Author, Claim, Link, Status, Tag
from .parsing import whole_number

# The projects page (its own app's); a literal path, so that these pages do not depend on its URL names.
PROJECTS_URL = "/projects/"

# Items per list and page of the moderation queue.
QUEUE_PAGE_SIZE = 50


def role_required(view):
    """Anonymous visitors go to the login page; signed-in users in no project get an empty page that says so and
    points to the projects page (403: no role, no access)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.in_any_project(request.user):
            context = {"message": roles.NO_ROLE_MESSAGE, "projects_url": PROJECTS_URL}
            return render(request, "annotations/no_project.html", context, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def page_project(request) -> Project:
    """The project a listing page shows: `?project=<slug>`; without it the default project for its members, else
    the user's first. One the user is not a member of is a 404 (nothing said of it)."""
    slug = request.GET.get("project", "").strip()
    if not slug:
        landing = access.landing_project(request.user)
        slug = landing.slug if landing else ""
    return page_project_named(request, slug)


def _paper_page(request, slug: str):
    """The paper a reader page names, in the user's projects (another project's is a 404), and its project."""
    paper = get_object_or_404(selectors.paper_detail(request.user), slug=slug)
    request.sco_project = roles.project_of(request.user, paper)
    return paper, request.sco_project


@role_required
def papers(request):
    project = page_project(request)
    author = request.GET.get("author", "").strip()
    tag = request.GET.get("tag", "").strip()
    found = selectors.papers_filtered(
        selectors.papers_with_claim_counts(request.user, project), request.user, project=project, author=author, tag=tag
    )
    context = {
        "project": project,
        "papers": found,
        "authors": Author.objects.filter(project=project).order_by("name"),
        "tags": selectors.tags_list(project),
        "author": author,
        "tag": tag,
        "filtered": bool(author or tag),
        "statuses": Status.values,
    }
    return render(request, "annotations/papers.html", context)


def _can_annotate(request, paper) -> bool:
    """Analysts and moderators of the paper's project annotate it, unless the project is archived."""
    return roles.can_annotate(request.user, paper) and not roles.is_archived(request.user, paper)


@role_required
def reader(request, slug: str):
    """The text, formatted once for every reader (cached by text: it does not depend on the claims), and
    the claims as compact data the page paints with the CSS Custom Highlight API (cached per visibility class
    until a write: reader_cache)."""
    paper, project = _paper_page(request, slug)
    claims = reader_cache.reader_claims(request.user, paper)
    tags: list[Tag] = list(selectors.tags_usable_by(request.user, project.pk))
    context = {
        "paper": paper,
        "project": project,
        # Every piece of the text is escaped in formatting.render_html.
        "text_html": mark_safe(formatting.render_html(paper.text)),
        "claims_json": claims.json,
        "count": claims.count,
        "codebook": tags,
        "speakers": claims.speakers,
        "stances": Claim.Stance.choices,
        "can_annotate": _can_annotate(request, paper),
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
                for other in selectors.papers_list(project)
            },
        },
    }
    return render(request, "annotations/reader.html", context)


@role_required
def reader_text(request, slug: str):
    """The reader's claims alone (the same compact data as the page's), which the page fetches again after
    every change; the text itself never changes with the claims."""
    paper, _ = _paper_page(request, slug)
    claims = reader_cache.reader_claims(request.user, paper)
    # The cached JSON as it is, not parsed and written again (it is JSON, its <, > and & escaped).
    return HttpResponse(f'{{"claims":{claims.json},"count":{claims.count}}}', content_type="application/json")


MODERATORS_ONLY = "Only moderators can use the moderation queue."


def moderator_required(view):
    """Anonymous visitors go to the login page; signed-in users who moderate no project get a 403 (the queue
    checks the role in its project, the decisions the role in the item's)."""

    @role_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.moderates_somewhere(request.user):
            raise PermissionDenied(MODERATORS_ONLY)
        return view(request, *args, **kwargs)

    return wrapper


@moderator_required
def moderation(request):
    """The queue: pending claims and links, oldest first, each with its quote in context and its links;
    `?show=decided`: the approved and rejected ones, newest decision first, to reopen. Each list is paged on
    the server (`?claims_page=`, `?links_page=`), so the page works without its script."""
    project = page_project(request)
    if not roles.can_moderate(request.user, project):
        raise PermissionDenied(MODERATORS_ONLY)
    decided = request.GET.get("show") == "decided"
    claims = Paginator(
        selectors.moderation_queue_claims(request.user, project=project, decided=decided), QUEUE_PAGE_SIZE
    )
    links = Paginator(selectors.moderation_queue_links(request.user, project=project, decided=decided), QUEUE_PAGE_SIZE)
    claims_page = claims.get_page(whole_number(request.GET.get("claims_page", "")) or 1)
    links_page = links.get_page(whole_number(request.GET.get("links_page", "")) or 1)
    return render(
        request,
        "annotations/moderation.html",
        {
            "project": project,
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
    lookup = selectors.claim_lookup if kind == "claims" else selectors.link_lookup
    if not lookup(request.user).filter(pk=pk).exists():  # another project's item: not found, as a missing one
        raise Http404("No such item.")
    try:
        if kind == "claims":
            item = services.claim_moderate(claim_id=pk, by=request.user, decision=decision, reason=reason)
        else:
            item = services.link_moderate(link_id=pk, by=request.user, decision=decision, reason=reason)
    except (Claim.DoesNotExist, Link.DoesNotExist) as error:
        raise Http404("No such item.") from error
    except PermissionDenied as error:
        if _wants_json(request):
            return JsonResponse({"detail": str(error)}, status=403)
        raise
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse(error_detail(error), status=400)
        messages.error(request, " ".join(error.messages))
        return _back_to_queue(request)
    noun = "Claim" if kind == "claims" else "Link"
    if _wants_json(request):
        counts = selectors.moderation_counts(request.user, project=roles.project_id_of(item))
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
    request.sco_project = roles.project_of(request.user, claim)  # the navigation's project: the claim's
    entries = history.entries(selectors.history_of(claim), Claim)
    return render(request, "annotations/history.html", {"item": claim, "entries": entries, "kind": "claim"})


@role_required
def link_history(request, pk: UUID):
    link = get_object_or_404(selectors.link_lookup(request.user), pk=pk)
    request.sco_project = roles.project_of(request.user, link)
    entries = history.entries(selectors.history_of(link), Link)
    return render(request, "annotations/history.html", {"item": link, "entries": entries, "kind": "link"})


@role_required
def argument_map(request):
    """The argument map page; the graph itself comes from GET /api/v1/map/ with the filters chosen here."""
    project = page_project(request)
    return render(request, "annotations/map.html", {"project": project, **selectors.filter_choices(project)})


@role_required
def compare(request):
    """The stance matrix page; the matrix comes from GET /api/v1/compare/."""
    project = page_project(request)
    context = {
        "project": project,
        **selectors.filter_choices(project),
        "groupings": [(by, discourse.BY_NAMES[by], discourse.COUNTING[by]) for by in discourse.BY],
        "counting": discourse.COUNTING["author"],
        "network_kinds": discourse.NETWORKS,
    }
    return render(request, "annotations/compare.html", context)
