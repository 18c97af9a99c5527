"""The admin side of paper revisions: revise a paper's text, read each revision's report, and
place orphaned (or fuzzily moved) claims again by hand. Mixed into PaperAdmin and ClaimAdmin in admin.py."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from . import roles, services
from .errors import StaleVersion, ValidationError
from .models import Claim, PaperRevision

EXCERPT = 300


class RevisionForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        required=False,
        strip=False,
        help_text="Paste the whole new text, or upload it below.",
    )
    upload = forms.FileField(required=False, label="or a file", help_text="A UTF-8 .txt or .md file.")
    note = forms.CharField(required=False, max_length=5000, help_text="What changed and why (kept with the revision).")

    def clean(self):
        data = super().clean()
        text, upload = data.get("text") or "", data.get("upload")
        if upload and text.strip():
            raise forms.ValidationError("Give the new text either pasted or as a file, not both.")
        if upload:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(f"The file is not UTF-8 ({error.reason} at byte {error.start}).") from error
        if not text.strip():
            raise forms.ValidationError("Give the new text.")
        data["text"] = text
        return data


class PlaceForm(forms.Form):
    exact = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 100}))
    prefix = forms.CharField(required=False, strip=False)
    suffix = forms.CharField(required=False, strip=False)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def target(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "version" and value not in (None, "")}


def _messages(error: Exception) -> list[str]:
    return list(getattr(error, "messages", [str(error)]))


class PaperRevisionMixin:
    """Adds `<paper>/revise/`: a moderator pastes or uploads a new text; the claims are re-anchored."""

    def get_readonly_fields(self, request, obj=None):
        # An existing paper's text changes only through a revision, which re-anchors its claims.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "text"] if obj is not None else fields

    def get_urls(self):
        view = self.admin_site.admin_view(self.revise_view)
        return [path("<path:object_id>/revise/", view, name="annotations_paper_revise"), *super().get_urls()]

    def revise_view(self, request, object_id):
        paper = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not roles.can_moderate(request.user, paper):
            raise PermissionDenied
        form = RevisionForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                revision = services.paper_revise(
                    paper=paper, by=request.user, text=form.cleaned_data["text"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                form.add_error(None, _messages(error))
            else:
                self.message_user(
                    request, f"{paper}: revision {revision.number} saved: {revision.report_line()}.", messages.SUCCESS
                )
                return redirect("admin:annotations_paperrevision_change", revision.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": paper,
            "title": f"Revise the text of {paper}",
            "form": form,
            "claims": paper.claims.count(),
            "length": len(paper.text),
        }
        return TemplateResponse(request, "admin/annotations/paper/revise.html", context)


class PaperRevisionAdmin(admin.ModelAdmin):
    list_display = [
        "paper", "number", "created_at", "created_by", "kept", "moved_exact", "moved_fuzzy", "orphaned",
        "already_orphaned", "note",
    ]  # fmt: skip
    list_filter = ["paper", "created_by"]
    list_select_related = ["paper", "created_by"]
    search_fields = ["paper__slug", "note"]
    fields = [
        "paper", "number", "created_at", "created_by", "note", "old_text_sha256", "new_text_sha256", "report",
        "claims_to_review", "old_text_excerpt",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("paper__text")

    def has_add_permission(self, request):
        return False  # a revision is made by revising the paper (its change page: "Revise the text")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="report")
    def report(self, revision: PaperRevision) -> str:
        return revision.report_line()

    @admin.display(description="claims to review (moved fuzzily or orphaned)")
    def claims_to_review(self, revision: PaperRevision):
        if not revision.details:
            return "none"
        rows = (
            (
                reverse("admin:annotations_claim_change", args=[detail["claim"]]),
                detail["claim"][:8],
                detail["outcome"],
                "" if detail["score"] is None else f"{detail['score']:.3f}",
                detail["from"],
                detail["to"] or "-",
            )
            for detail in revision.details
        )
        return format_html(
            "<table><tr><th>claim</th><th>outcome</th><th>score</th><th>from</th><th>to</th></tr>{}</table>",
            format_html_join(
                "", "<tr><td><a href='{}'>{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            ),
        )

    @admin.display(description="replaced text (start)")
    def old_text_excerpt(self, revision: PaperRevision) -> str:
        text = revision.old_text
        return text if len(text) <= EXCERPT else text[:EXCERPT] + f"... ({len(text)} code points)"


class ClaimPlacementMixin:
    """Anchor state column and filter, and `<claim>/place/` for placing a claim again by hand."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "anchor_state"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "anchor_state"]

    def get_readonly_fields(self, request, obj=None):
        extra = ["anchor_state", "anchor_score", "anchor_revision", "status_before_orphaned"]
        return [*super().get_readonly_fields(request, obj), *extra]

    def get_urls(self):
        view = self.admin_site.admin_view(self.place_view)
        return [path("<path:object_id>/place/", view, name="annotations_claim_place"), *super().get_urls()]

    def place_view(self, request, object_id):
        claim = get_object_or_404(self.get_queryset(request).select_related("paper", "anchor_revision"), pk=object_id)
        if not roles.can_moderate(request.user, claim):
            raise PermissionDenied
        initial = {"version": claim.version}
        if claim.status != Claim.Status.ORPHANED:
            initial |= {"start": claim.start, "end": claim.end}
        form = PlaceForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.claim_place(
                    claim_id=claim.pk, by=request.user, target=form.target(), version=form.cleaned_data["version"]
                )
            except ValidationError as error:
                form.add_error(None, _messages(error))
            except StaleVersion as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, "The claim is placed again.", messages.SUCCESS)
                return redirect("admin:annotations_claim_change", claim.pk)
        old_text = (
            claim.anchor_revision.old_text if claim.status == Claim.Status.ORPHANED and claim.anchor_revision else ""
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": claim,
            "title": "Place the claim again by hand",
            "form": form,
            "claim": claim,
            "old_context": old_text[max(0, claim.start - EXCERPT) : claim.end + EXCERPT] if old_text else "",
        }
        return TemplateResponse(request, "admin/annotations/claim/place.html", context)
