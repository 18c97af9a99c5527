"""The admin: every model with useful columns, filters and search (moderation actions call services)."""

import re
from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import roles, selectors, services
from .admin_revisions import ClaimPlacementMixin, PaperRevisionAdmin, PaperRevisionMixin
from .admin_services import (
    ClaimServicesMixin,
    CodebookServicesMixin,
    LinkServicesMixin,
    PaperServicesMixin,
    VersionedServiceForm,
)
from .models import Author, Claim, Link, Paper, PaperAuthor, PaperRevision, Stance, Tag, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role_names", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]

    @admin.display(description="role")
    def role_names(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


class BylineInline(admin.TabularInline):
    model = PaperAuthor
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Paper)
class PaperAdmin(PaperServicesMixin, PaperRevisionMixin, SimpleHistoryAdmin):
    list_display = ["slug", "title", "year", "venue", "author_names", "text_length"]
    search_fields = ["slug", "title", "venue", "authors__name"]
    list_filter = ["year"]
    readonly_fields = ["text_sha256", "created_at", "updated_at"]
    inlines = [BylineInline]
    history_list_display = ["history_action", "history_change_reason", "text_sha256"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description="authors")
    def author_names(self, paper: Paper) -> str:
        return "; ".join(byline.author.name for byline in paper.bylines.all())

    @admin.display(description="code points")
    def text_length(self, paper: Paper) -> int:
        return len(paper.text)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "country"]
    list_filter = ["country"]
    search_fields = ["name", "affiliation"]


@admin.register(Tag)
class TagAdmin(CodebookServicesMixin, SimpleHistoryAdmin):
    list_display = ["slug", "name", "parent", "swatch", "description"]
    list_filter = ["parent"]
    search_fields = ["slug", "name", "description"]
    list_select_related = ["parent"]
    history_list_display = ["history_action", "history_change_reason"]

    @admin.display(description="colour")
    def swatch(self, tag: Tag):
        # An image, not a style attribute: the CSP refuses inline style but allows data: images.
        fill = tag.colour if re.fullmatch(r"#[0-9a-fA-F]{6}", tag.colour) else "#888888"
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' width='32' height='14'><rect width='32' height='14' fill='{fill}'/></svg>"
        return format_html('<img src="data:image/svg+xml,{}" width="32" height="14" alt=""> {}', quote(svg), tag.colour)


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _reader_url(claim: Claim) -> str:
    return f"{reverse('annotations:reader', args=[claim.paper.slug])}#claim-{claim.pk}"


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    """Claims in papers credited to an author."""

    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [(str(author.pk), author.name) for author in Author.objects.order_by("name")]

    def queryset(self, request, queryset):
        return selectors.claims_by_author(queryset, self.value()) if self.value() else queryset


class LinkPaperFilter(admin.SimpleListFilter):
    """Links with either end in a paper."""

    title = "paper"
    parameter_name = "paper"

    def lookups(self, request, model_admin):
        return [(paper.slug, paper.slug) for paper in Paper.objects.defer("text").order_by("slug")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(source__paper__slug=self.value()) | Q(target__paper__slug=self.value()))
        return queryset


class ModerationAdmin(SimpleHistoryAdmin):
    """What the claim and link admins share: bulk moderation through services, no hard delete, no adding.

    Claims are made on the reader (the server must anchor them), so the admin edits and moderates only.
    """

    noun = "item"
    history_list_display = ["history_action", "history_change_reason"]
    actions = ["approve_selected", "reject_selected", "reopen_selected", "restore_selected", "delete_softly"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # soft deletion only, through the "delete" action (services keep the history)

    def has_moderate_permission(self, request) -> bool:
        return roles.can_moderate(request.user)

    # Each subclass names its services: bulk_moderate(ids, by, decision, reason), bulk_restore(ids, by),
    # bulk_delete(ids, by); each runs in one transaction and reports the items the rules refused.

    def _report(self, request, result, done_verb: str) -> None:
        for item, message in result.refused:
            self.message_user(request, f"Not {done_verb}: {item}: {message}", messages.ERROR)
        if result.done:
            self.message_user(request, f"{len(result.done)} {self.noun}(s) {done_verb}.", messages.SUCCESS)

    def _decide(self, request, queryset, decision: str, done_verb: str, reason: str = "") -> None:
        ids = list(queryset.values_list("pk", flat=True))
        self._report(request, self.bulk_moderate(ids, request.user, decision, reason), done_verb)

    @admin.action(description="Approve the selected %(verbose_name_plural)s", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, services.Decision.APPROVE, "approved")

    @admin.action(description="Reopen the selected %(verbose_name_plural)s (back to pending)", permissions=["moderate"])
    def reopen_selected(self, request, queryset):
        self._decide(request, queryset, services.Decision.REOPEN, "reopened")

    @admin.action(description="Reject the selected %(verbose_name_plural)s, with a reason…", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        """First a confirmation page that asks for the reason; then one transaction for all."""
        reason = request.POST.get("reason", "").strip()
        if request.POST.get("confirm") == "yes" and reason:
            self._decide(request, queryset, services.Decision.REJECT, "rejected", reason)
            return None
        return TemplateResponse(
            request,
            "admin/annotations/reject_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Reject {queryset.count()} {self.model._meta.verbose_name_plural}",
                "opts": self.model._meta,
                "items": list(queryset),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "select_across": request.POST.get("select_across", "0"),
                "reason": reason,
                "missing_reason": request.POST.get("confirm") == "yes" and not reason,
            },
        )

    @admin.action(description="Restore the selected deleted %(verbose_name_plural)s", permissions=["moderate"])
    def restore_selected(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        self._report(request, self.bulk_restore(ids, request.user), "restored")

    @admin.action(description="Delete the selected %(verbose_name_plural)s (softly: they can be restored)")
    def delete_softly(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        self._report(request, self.bulk_delete(ids, request.user), "deleted")

    @admin.display(description="deleted", boolean=True)
    def is_deleted(self, item) -> bool:
        return item.deleted_at is not None


class LinkInline(admin.TabularInline):
    """The links of a claim, read-only: links are made and moderated on their own."""

    model = Link
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = ["relation", "other_end", "status", "created_by", "deleted_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class LinksOutInline(LinkInline):
    fk_name = "source"
    verbose_name_plural = "links from this claim"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target__paper", "created_by").defer("target__paper__text")

    @admin.display(description="to")
    def other_end(self, link: Link) -> str:
        return f"{link.target.paper.slug}: {_excerpt(link.target.exact, 100)}"


class LinksInInline(LinkInline):
    fk_name = "target"
    verbose_name_plural = "links to this claim"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source__paper", "created_by").defer("source__paper__text")

    @admin.display(description="from")
    def other_end(self, link: Link) -> str:
        return f"{link.source.paper.slug}: {_excerpt(link.source.exact, 100)}"


class ClaimAdminForm(VersionedServiceForm):
    """The claim's tags as text, each with its stance: `anti-us:denies, enlargement` (a tag without a stance
    keeps the one it has, or takes the claim's)."""

    codings = forms.CharField(
        required=False,
        label="Tags",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Comma-separated tag slugs, each optionally with :affirms, :denies or :qualifies.",
    )

    class Meta:
        model = Claim
        fields = ["statement", "speaker", "stance", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            codings = self.instance.codings.select_related("tag").order_by("tag__slug")
            self.initial["codings"] = ", ".join(f"{c.tag.slug}:{c.stance}" for c in codings)

    def clean_codings(self) -> list[tuple[Tag, str | None]]:
        items = [item.strip() for item in self.cleaned_data["codings"].split(",") if item.strip()]
        given: list[tuple[str, str | None]] = []
        errors = []
        for item in items:
            slug, _, stance = (part.strip() for part in item.partition(":"))
            if stance and stance not in Stance.values:
                errors.append(f'Unknown stance "{stance}" for tag "{slug}": use {", ".join(Stance.values)}.')
            if slug in {s for s, _ in given}:
                errors.append(f'Tag "{slug}" is given twice.')
            given.append((slug, stance or None))
        tags = {tag.slug: tag for tag in Tag.objects.filter(slug__in=[slug for slug, _ in given])}
        errors += [f'Unknown tag "{slug}".' for slug, _ in given if slug not in tags]
        if errors:
            raise forms.ValidationError(errors)
        return [(tags[slug], stance) for slug, stance in given]

    # The service takes the codings as `tags`: a changed "codings" is a change of "tags" for it.
    def clean(self):
        cleaned = super().clean()
        if "codings" in cleaned:
            cleaned["tags"] = cleaned["codings"]
        return cleaned

    @cached_property
    def changed_data(self) -> list[str]:
        changed = super().changed_data
        return [*changed, "tags"] if "codings" in changed else changed


@admin.register(Claim)
class ClaimAdmin(ClaimServicesMixin, ClaimPlacementMixin, ModerationAdmin):
    noun = "claim"
    list_display = [
        "excerpt", "paper", "author_names", "stance", "tag_list", "status", "created_by", "created_at",
        "is_deleted", "in_reader",
    ]  # fmt: skip
    list_filter = ["status", DeletedFilter, "paper", AuthorFilter, "tags", "stance", "created_by"]
    search_fields = ["exact", "statement", "speaker", "note"]
    list_select_related = ["paper", "created_by"]
    fieldsets = [
        ("Where (read-only: anchors are set on the reader)",
         {"fields": ["paper", "in_reader", "start", "end", "prefix", "exact", "suffix"]}),
        ("What", {"fields": ["statement", "speaker", "stance", "codings", "note"]}),
        ("Anchoring after text revisions", {"fields": ["anchor_state", "anchor_score", "anchor_revision", "status_before_orphaned"]}),
        (
            "Moderation",
            {"fields": ["status", "moderation_reason", "moderated_by", "moderated_at", "created_by", "created_at",
                        "updated_at", "version", "deleted_at", "id"]},
        ),
    ]  # fmt: skip
    readonly_fields = [
        "id", "paper", "in_reader", "start", "end", "exact", "prefix", "suffix", "status", "moderation_reason",
        "version", "created_by", "created_at", "updated_at", "moderated_by", "moderated_at", "deleted_at",
        "anchor_state", "anchor_score", "anchor_revision", "status_before_orphaned",
    ]  # fmt: skip
    form = ClaimAdminForm
    inlines = [LinksOutInline, LinksInInline]

    def bulk_moderate(self, ids, by, decision, reason):
        return services.claims_moderate(claim_ids=ids, by=by, decision=decision, reason=reason)

    def bulk_restore(self, ids, by):
        return services.claims_restore(claim_ids=ids, by=by)

    def bulk_delete(self, ids, by):
        return services.claims_delete(claim_ids=ids, by=by)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("paper__text")
            .prefetch_related(selectors.codings_with_tags(), selectors.paper_bylines("paper__bylines"))
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.deleted_at is not None:
            return [*self.readonly_fields, "statement", "speaker", "stance", "codings", "note"]
        return self.readonly_fields

    @admin.display(description="quote")
    def excerpt(self, claim: Claim) -> str:
        return _excerpt(claim.exact)

    @admin.display(description="authors")
    def author_names(self, claim: Claim) -> str:
        return "; ".join(byline.author.name for byline in claim.paper.bylines.all())

    @admin.display(description="tags")
    def tag_list(self, claim: Claim) -> str:
        return ", ".join(f"{coding.tag.slug} ({coding.stance})" for coding in claim.codings.all())

    # Shown in place of the form field when the claim is deleted (read-only).
    codings = tag_list

    @admin.display(description="reader")
    def in_reader(self, claim: Claim) -> str:
        return format_html('<a href="{}">read in place</a>', _reader_url(claim))


@admin.register(Link)
class LinkAdmin(LinkServicesMixin, ModerationAdmin):
    noun = "link"
    list_display = [
        "source_excerpt", "relation", "target_excerpt", "status", "created_by", "created_at", "is_deleted",
    ]  # fmt: skip
    list_filter = ["status", DeletedFilter, LinkPaperFilter, "relation", "created_by"]
    search_fields = ["source__exact", "source__statement", "target__exact", "target__statement", "rationale"]
    list_select_related = ["source__paper", "target__paper", "created_by"]
    readonly_fields = [
        "id", "source_in_reader", "target_in_reader", "status", "moderation_reason", "version", "created_by",
        "created_at", "updated_at", "moderated_by", "moderated_at", "deleted_at",
    ]  # fmt: skip
    fields = [
        "source_in_reader", "relation", "target_in_reader", "rationale", "status", "moderation_reason",
        "moderated_by", "moderated_at", "created_by", "created_at", "updated_at", "version", "deleted_at", "id",
    ]  # fmt: skip

    def bulk_moderate(self, ids, by, decision, reason):
        return services.links_moderate(link_ids=ids, by=by, decision=decision, reason=reason)

    def bulk_restore(self, ids, by):
        return services.links_restore(link_ids=ids, by=by)

    def bulk_delete(self, ids, by):
        return services.links_delete(link_ids=ids, by=by)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source__paper__text", "target__paper__text")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.deleted_at is not None:
            return [*self.readonly_fields, "relation", "rationale"]
        return self.readonly_fields

    @admin.display(description="source")
    def source_excerpt(self, link: Link) -> str:
        return f"{link.source.paper.slug}: {_excerpt(link.source.exact, 60)}"

    @admin.display(description="target")
    def target_excerpt(self, link: Link) -> str:
        return f"{link.target.paper.slug}: {_excerpt(link.target.exact, 60)}"

    @admin.display(description="source")
    def source_in_reader(self, link: Link) -> str:
        return format_html('<a href="{}">{}</a>', _reader_url(link.source), self.source_excerpt(link))

    @admin.display(description="target")
    def target_in_reader(self, link: Link) -> str:
        return format_html('<a href="{}">{}</a>', _reader_url(link.target), self.target_excerpt(link))


admin.site.register(PaperRevision, PaperRevisionAdmin)  # issue 7: revisions and their reports
