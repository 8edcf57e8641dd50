"""The structure of a report's figures: sections of tables, JSON-safe, rendered by every output.

A cell is a number, a text, `None` (not shown: fewer than MIN_ANSWERS answers, or nothing to
average) or "" (does not apply). Numbers are rounded when computed, so the PDF, the
spreadsheet, the CSV files and the page show exactly the same figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils import formats, translation

TEXT, INT, NUMBER, DECIMAL = "text", "int", "number", "decimal"
PERCENT, CHANGE, MONEY = "percent", "change", "money"
NOT_SHOWN = "–"


@dataclass
class Column:
    label: str
    kind: str = INT


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    chart: int | None = None  # the column a bar chart shows, labelled by column 0
    note: str = ""
    empty: str = ""  # said instead of the table when it has no rows

    @property
    def chart_rows(self) -> list[tuple[str, float]]:
        if self.chart is None:
            return []
        return [
            (str(row[0]), row[self.chart])
            for row in self.rows
            if isinstance(row[self.chart], int | float)
        ]


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    intro: str = ""


@dataclass
class ReportData:
    title: str
    scope: str
    year: int
    language: str
    built_at: str
    has_data: bool
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ReportData:
        sections = [
            Section(
                **{
                    **section,
                    "tables": [
                        Table(**{**table, "columns": [Column(**c) for c in table["columns"]]})
                        for table in section["tables"]
                    ],
                }
            )
            for section in data["sections"]
        ]
        return cls(**{**data, "sections": sections})

    @property
    def tables(self) -> list[tuple[Section, Table]]:
        return [(section, table) for section in self.sections for table in section.tables]


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, one decimal; None of nothing."""
    return round(100 * part / whole, 1) if whole else None


def display(value, kind: str, language: str) -> str:
    """A cell as text in `language` (decimal comma in Finnish and Swedish)."""
    if value is None:
        return NOT_SHOWN
    if value == "" or kind == TEXT:
        return str(value)
    with translation.override(language):
        if kind == INT or (kind == NUMBER and isinstance(value, int)):
            return formats.number_format(value, 0, force_grouping=True)
        if kind == NUMBER:
            return formats.number_format(value, 1)
        if kind == PERCENT:
            return f"{formats.number_format(value, 1)} %"
        if kind == CHANGE:
            sign = "+" if value > 0 else ("−" if value < 0 else "±")
            places = 0 if isinstance(value, int) else 2
            return sign + formats.number_format(abs(value), places, force_grouping=True)
        if kind == MONEY:
            return f"{formats.number_format(value, 2, force_grouping=True)} €"
        return formats.number_format(value, 2)
