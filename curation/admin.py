"""Curation decisions in the admin: to look at (provenance), never to change: a decision is made on the curation
page or the API, through the services and their rules."""

from django.contrib import admin

from projects.admin import ReadOnly

from .models import Curation


@admin.register(Curation)
class CurationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["paper", "action", "result", "by", "at"]
    list_filter = ["action"]
    list_select_related = ["paper", "result", "by"]
    readonly_fields = ["paper", "action", "versions", "result", "sources", "reason", "by", "at"]
    fields = readonly_fields
