"""Bar charts of report tables as SVG, drawn on the server for the page and the PDF.

Presentation attributes only (no style attribute or element: the page's CSP forbids inline
styles). The chart is one image to assistive technology: its <title> is the alternative text
(WeasyPrint makes it the PDF figure's /Alt), its <desc> names the largest values, and the same
figures are in the table that follows every chart.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .data import Table, display

WIDTH, LABEL_WIDTH, ROW, BAR, VALUE_ROOM = 640, 236, 22, 15, 64
BAR_COLOUR = "#0b5d3b"  # the site's brand green: 7.6:1 against white
INK = "#1a1a1a"
FONT = "DejaVu Sans, Verdana, sans-serif"


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(table: Table, *, language: str, chart_id: str) -> SafeString:
    """The chart of `table`'s chart column, or "" when it has nothing to draw."""
    rows = table.chart_rows
    top = max((value for _label, value in rows), default=0)
    if top <= 0:
        return mark_safe("")  # noqa: S308 - empty
    kind = table.columns[table.chart].kind
    measure = table.columns[table.chart].label
    largest = sorted(rows, key=lambda row: -row[1])[:3]
    title = _("Bar chart: %(table)s, %(measure)s") % {"table": table.title, "measure": measure}
    desc = _("Largest: %(values)s. Every figure is in the table below the chart.") % {
        "values": "; ".join(f"{label} {display(v, kind, language)}" for label, v in largest)
    }
    height = len(rows) * ROW + 8
    span = WIDTH - LABEL_WIDTH - 8 - VALUE_ROOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW
        middle = y + ROW / 2 + 4
        length = max(1.0, span * value / top) if value else 0
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{middle:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(_short(label))}</text>"
        )
        if length:
            parts.append(
                f'<rect x="{LABEL_WIDTH + 8}" y="{y + (ROW - BAR) / 2:.1f}" '
                f'width="{length:.1f}" height="{BAR}" fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + 12 + length:.1f}" y="{middle:.1f}" fill="{INK}">'
            f"{escape(display(value, kind, language))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped
