"""Render report cells in the current language (the report's, under {% language %} or
render_pdf) and look up a table's chart."""

from django import template
from django.utils.translation import get_language

from ..reports.data import TEXT, display

register = template.Library()


@register.filter
def cells(row: list, columns) -> list[tuple[str, bool]]:
    """(text, is a number) of every cell of `row`."""
    language = get_language() or "fi"
    return [
        (display(value, column.kind, language), column.kind != TEXT)
        for value, column in zip(row, columns, strict=True)
    ]


@register.filter
def lookup(mapping: dict, key):
    return mapping.get(key, "")
