"""The admin of moderated items (claims and links): their list filters, the shared moderation admin, and the
link inlines a claim's page shows. Registered in admin.py."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .models import Author, Claim, Link, Paper


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
        # The admin is site staff's tooling over every project; the services still check the role in each item's
        # project, and the report lists the items they refused.
        return request.user.is_active and request.user.is_staff

    # The bulk commands of the services named by `noun` (claims_moderate, links_restore, ...); each runs in one
    # transaction and reports the items the rules refused.
    def _bulk(self, action: str, ids, by, **arguments):
        command = getattr(services, f"{self.noun}s_{action}")
        return command(**{f"{self.noun}_ids": ids}, by=by, **arguments)

    def bulk_moderate(self, ids, by, decision, reason):
        return self._bulk("moderate", ids, by, decision=decision, reason=reason)

    def bulk_restore(self, ids, by):
        return self._bulk("restore", ids, by)

    def bulk_delete(self, ids, by):
        return self._bulk("delete", ids, by)

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
