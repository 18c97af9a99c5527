"""Template filters for showing history entries."""

from django import template

register = template.Library()


@register.filter
def change_value(value) -> str:
    """A changed value as text: lists (tags) joined, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)
