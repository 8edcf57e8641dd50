"""The report's files, all rendered from the same ReportData: a PDF, a spreadsheet with one
sheet per section, and a zip of CSV files, one per table.

CSV files are for Excel in Finland and Sweden: UTF-8 with a byte-order mark, semicolons
between fields and a decimal comma.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from kotove.pdf import render_pdf

from .charts import bar_chart
from .data import CHANGE, DECIMAL, INT, MONEY, NOT_SHOWN, NUMBER, PERCENT, TEXT, ReportData

NUMBER_FORMATS = {
    INT: "#,##0",
    NUMBER: "#,##0.0",
    DECIMAL: "0.00",
    PERCENT: "0.0",
    CHANGE: "+0.00;-0.00;0.00",
    MONEY: "#,##0.00",
}


def info_rows(data: ReportData) -> list[tuple[str, str]]:
    """What the report is: shown first in every output."""
    with translation.override(data.language):
        rows = [
            (_("Report"), data.title),
            (_("Covers"), data.scope),
            (_("Year"), str(data.year)),
            (_("Built"), data.built_at),
        ]
        rows += [(pgettext("a remark in a report", "Note"), note) for note in data.notes]
        return rows


def charts(data: ReportData) -> dict[str, str]:
    """The SVG chart of each table that has one, by the table's key."""
    return {
        table.key: bar_chart(table, language=data.language, chart_id=f"chart-{table.key}")
        for _section, table in data.tables
        if table.chart is not None and table.rows
    }


def pdf(data: ReportData) -> bytes:
    return render_pdf(
        "palaute/report_pdf.html",
        {"report": data, "charts": charts(data)},
        language=data.language,
    )


def _sheet_title(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet"
    while name in used:
        name = name[:28] + f" {len(used)}"
    used.add(name)
    return name


def xlsx(data: ReportData) -> bytes:
    """One sheet of information, then one per section; write-only, so rows are streamed to
    the file instead of being kept in memory."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()

    def bold(sheet, value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        return cell

    def value_cell(sheet, value, kind):
        if value is None:
            cell = WriteOnlyCell(sheet, value=NOT_SHOWN)
            cell.alignment = Alignment(horizontal="right")
            return cell
        if value == "" or kind == TEXT:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = NUMBER_FORMATS.get(kind, "General")
        return cell

    with translation.override(data.language):
        info = workbook.create_sheet(_sheet_title(_("Report"), used))
        info.column_dimensions["A"].width = 18
        info.column_dimensions["B"].width = 90
        for label, value in info_rows(data):
            info.append([bold(info, label), value])
        for section in data.sections:
            sheet = workbook.create_sheet(_sheet_title(section.title, used))
            sheet.column_dimensions["A"].width = 52
            for letter in "BCDEFGH":
                sheet.column_dimensions[letter].width = 16
            sheet.append([bold(sheet, section.title)])
            if section.intro:
                sheet.append([section.intro])
            for table in section.tables:
                sheet.append([])
                sheet.append([bold(sheet, table.title)])
                if not table.rows:
                    sheet.append([table.empty or table.note])
                    continue
                sheet.append([bold(sheet, column.label) for column in table.columns])
                for row in [*table.rows, *([table.total] if table.total else [])]:
                    sheet.append(
                        [
                            value_cell(sheet, value, column.kind)
                            for value, column in zip(row, table.columns, strict=True)
                        ]
                    )
                if table.note:
                    sheet.append([table.note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_value(value, kind: str) -> str:
    if value is None:
        return NOT_SHOWN
    if value == "" or kind == TEXT or isinstance(value, int):
        return str(value)
    places = 1 if kind in (PERCENT, NUMBER) else 2
    return f"{value:.{places}f}".replace(".", ",")


def _csv(rows) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode()


def csv_zip(data: ReportData) -> bytes:
    """00-info.csv (what the report is), then one file per table, numbered in the report's
    order and named after the table."""
    buffer = io.BytesIO()
    with (
        translation.override(data.language),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(f"00-{slugify(_('Report'))}.csv", _csv(info_rows(data)))
        for number, (_section, table) in enumerate(data.tables, start=1):
            rows = [[column.label for column in table.columns]]
            for row in [*table.rows, *([table.total] if table.total else [])]:
                rows.append(
                    [
                        csv_value(value, column.kind)
                        for value, column in zip(row, table.columns, strict=True)
                    ]
                )
            archive.writestr(f"{number:02d}-{slugify(table.title)[:60]}.csv", _csv(rows))
    return buffer.getvalue()
