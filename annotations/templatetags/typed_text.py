"""Showing what users typed (notes, rationales): their Markdown rendered and sanitized by the one allowlist."""

from django import template
from django.utils.safestring import mark_safe

from ..sanitize import render_markdown

register = template.Library()


@register.filter
def markdown(value: str) -> str:
    """The typed text as sanitized HTML; safe to insert because render_markdown cleans it with bleach."""
    return mark_safe(render_markdown(value or ""))
