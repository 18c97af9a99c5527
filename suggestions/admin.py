"""Suggestions in the admin: to look at only. Indexes are computed by `index_papers` and the write paths;
judgements and provenance are written by accepting and rejecting suggestions (suggestions.services)."""

from django.contrib import admin

from projects.admin import ReadOnly

from .models import ClaimVectors, LinkJudgement, PaperVectors, PassageJudgement, SuggestionOrigin


@admin.register(PaperVectors)
class PaperVectorsAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["paper", "encoder", "text_sha256", "passages", "seconds", "computed_at"]
    list_filter = ["encoder"]
    list_select_related = ["paper"]
    fields = readonly_fields = list_display  # not the bytes


@admin.register(PassageJudgement)
class PassageJudgementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["claim", "paper", "start", "end", "accepted", "relation", "judged_by", "judged_at"]
    list_filter = ["accepted", "relation"]
    list_select_related = ["claim", "paper", "judged_by"]


@admin.register(LinkJudgement)
class LinkJudgementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["first", "second", "accepted", "relation", "judged_by", "judged_at"]
    list_filter = ["accepted"]
    list_select_related = ["first", "second", "judged_by"]


@admin.register(SuggestionOrigin)
class SuggestionOriginAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["kind", "claim", "link", "suggested_for", "method", "method_version", "score", "accepted_by",
                    "accepted_at"]  # fmt: skip
    list_filter = ["kind", "method_version"]
    list_select_related = ["claim", "link", "suggested_for", "accepted_by"]


@admin.register(ClaimVectors)
class ClaimVectorsAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["claim", "encoder", "query_sha256", "computed_at"]
    list_filter = ["encoder"]
    list_select_related = ["claim"]
    fields = readonly_fields = list_display  # not the bytes
