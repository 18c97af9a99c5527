"""Server-rendered pages: thin, each calls selectors and renders a template."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from . import highlights, reader_html, roles, selectors
from .models import Author, Claim, Status, Tag


@login_required
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


def _text_context(request, paper, within: tuple[int, int] | None = None) -> dict:
    """What both the reader and its text fragment show: the highlighted text and the claims panel.
    With `within` (start, end), only the paragraphs that meet that range are drawn."""
    claims = selectors.claims_for_reader(request.user, paper)
    # An orphaned claim's offsets no longer mean anything on this text: listed, never drawn.
    candidates = [claim for claim in claims if claim.status != Status.ORPHANED]
    spans = highlights.placeable(paper.text, [highlights.Span(c.id, c.start, c.end) for c in candidates])
    placed_ids = {span.claim_id for span in spans}
    styles = {
        claim.id: highlights.MarkStyle(
            tag=claim.tags[0] if claim.tags else "", stance=claim.stance, status=claim.status
        )
        for claim in candidates
    }
    placed = [claim for claim in claims if claim.id in placed_ids]
    unplaced = [claim for claim in claims if claim.id not in placed_ids]
    return {
        "paper": paper,
        "claims": placed,
        "unplaced": unplaced,
        "claims_html": mark_safe(reader_html.claims_panel(placed, unplaced, roles.can_annotate(request.user))),
        # Every piece of user text is escaped in render_html and claims_panel.
        "text_html": mark_safe(highlights.render_html(highlights.paragraphs(paper.text, spans, within), styles)),
        "partial": within is not None,
    }


def _speakers(claims: list[selectors.ReaderClaim]) -> list[str]:
    return sorted({claim.speaker for claim in claims if claim.speaker}, key=str.casefold)


@login_required
def reader(request, slug: str):
    paper = get_object_or_404(selectors.paper_detail(), slug=slug)
    context = _text_context(request, paper)
    tags: list[Tag] = list(selectors.tags_list())
    context |= {
        "codebook": tags,
        "speakers": _speakers(context["claims"] + context["unplaced"]),
        "stances": Claim.Stance.choices,
        "can_annotate": roles.can_annotate(request.user),
        "reader_data": {
            "paper": paper.slug,
            "me": {
                "username": request.user.get_username(),
                "canAnnotate": roles.can_annotate(request.user),
                "canModerate": roles.can_moderate(request.user),
            },
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


@login_required
def reader_text(request, slug: str):
    """The reader's text and claims panel alone, which the page fetches again after every change;
    `?start=&end=` limits the text to the paragraphs meeting that range."""
    paper = get_object_or_404(selectors.paper_detail(), slug=slug)
    within = None
    start, end = request.GET.get("start", ""), request.GET.get("end", "")
    # After a change to one claim only the paragraphs under it need drawing again.
    if start.isdigit() and end.isdigit():
        within = (int(start), int(end))
    return render(request, "annotations/_reader_fragment.html", _text_context(request, paper, within))
