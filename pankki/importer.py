"""Reading and checking an import file of expert records (CSV or XLSX).

Nothing here writes: `parse` reads the file and the register and returns, per row, what an
import would create or change and every error with its row number and column.
services.import_experts applies a valid result.

The columns are those of the guide's CV form. Row 1 holds the column names; data starts on
row 2. A blank cell leaves the stored value as it is; on a new expert the required columns
must have a value. Rows are matched to the organisation's experts by email.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotove.models import MemberOrganisation, Municipality

from .models import Expert, Theme, WorkLanguage
from .validators import clean_phone

MAX_ROWS = 2000

# (column, what it holds) in the order of the guide's CV form.
COLUMNS = [
    ("first_name", gettext_lazy("First name. Required.")),
    ("last_name", gettext_lazy("Last name. Required.")),
    ("email", gettext_lazy("Email address. Required: rows are matched to your experts by it.")),
    ("phone", gettext_lazy("Phone number, for example 040 123 4567 or +358 40 123 4567.")),
    (
        "home_municipality",
        gettext_lazy(
            "Home municipality: its name in Finnish or Swedish, or its code. Required for a new expert."
        ),
    ),
    (
        "languages",
        gettext_lazy(
            "Working languages separated by commas: codes (fi, sv, en, fse, fss, fi-plain) or names."
        ),
    ),
    (
        "experience_kind",
        gettext_lazy(
            "own, close_one or both (or oma, läheinen, molemmat). Required for a new expert."
        ),
    ),
    (
        "themes",
        gettext_lazy("Themes and diagnoses as in the service, separated by semicolons (;)."),
    ),
    ("presentation_fi", gettext_lazy("Presentation in Finnish.")),
    ("presentation_sv", gettext_lazy("Presentation in Swedish.")),
    ("basic_training_date", gettext_lazy("Date of the basic training: YYYY-MM-DD or D.M.YYYY.")),
    (
        "continuing_training_date",
        gettext_lazy("Date of the developer-influencer training: YYYY-MM-DD or D.M.YYYY."),
    ),
    ("online", gettext_lazy("Takes online tasks: kyllä / ei (or yes / no).")),
]
COLUMN_NAMES = [name for name, _help in COLUMNS]
REQUIRED_COLUMNS = ["first_name", "last_name", "email"]
REQUIRED_FOR_NEW = ["first_name", "last_name", "email", "home_municipality", "experience_kind"]

EXPERIENCE_WORDS = {
    "own": Expert.ExperienceKind.OWN,
    "oma": Expert.ExperienceKind.OWN,
    "close_one": Expert.ExperienceKind.CLOSE_ONE,
    "läheinen": Expert.ExperienceKind.CLOSE_ONE,
    "both": Expert.ExperienceKind.BOTH,
    "molemmat": Expert.ExperienceKind.BOTH,
}
YES = {"kyllä", "k", "yes", "y", "ja", "true", "1", "x"}
NO = {"ei", "e", "no", "n", "nej", "false", "0"}
LANGUAGE_ALIASES = {
    "suomi": "fi",
    "finska": "fi",
    "ruotsi": "sv",
    "svenska": "sv",
    "englanti": "en",
    "engelska": "en",
    "viittomakieli": "fse",
    "suomalainen viittomakieli": "fse",
    "suomenruotsalainen viittomakieli": "fss",
    "selkokieli": "fi-plain",
    "selkosuomi": "fi-plain",
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


class ImportFileError(Exception):
    """The file cannot be read at all."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    number: int
    cells: dict = field(default_factory=dict)  # as read, for showing rows with errors
    values: dict = field(default_factory=dict)  # parsed, only the non-blank cells
    expert: Expert | None = None
    changes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"

    @property
    def action(self) -> str:
        if self.errors:
            return self.ERROR
        if self.expert is None:
            return self.CREATE
        return self.UPDATE if self.changes else self.UNCHANGED

    @property
    def name(self) -> str:
        if self.expert is not None:
            first = self.values.get("first_name", self.expert.first_name)
            last = self.values.get("last_name", self.expert.last_name)
        else:
            first, last = self.cells.get("first_name", ""), self.cells.get("last_name", "")
        return f"{first} {last}".strip()

    @property
    def email(self) -> str:
        return self.values.get("email") or str(self.cells.get("email", ""))

    def error(self, column: str, message) -> None:
        self.errors.append(RowError(self.number, column, str(message)))


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows) and not self.row_errors

    @property
    def row_errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def created_count(self) -> int:
        return self.count(ImportRow.CREATE)

    @property
    def changed_count(self) -> int:
        return self.count(ImportRow.UPDATE)

    @property
    def unchanged_count(self) -> int:
        return self.count(ImportRow.UNCHANGED)

    @property
    def error_count(self) -> int:
        return self.count(ImportRow.ERROR)


# Reading the file ---------------------------------------------------------------------------


def _cell(value):
    """A cell as stripped text, or a date for spreadsheet dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _read_csv(content: bytes) -> list[list]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    return [
        [_cell(value) for value in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(
            _("The file could not be read as an Excel (.xlsx) workbook.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """The column names and the non-blank data rows as (row number, {column: cell})."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        table = _read_xlsx(content)
    elif suffix == ".csv":
        table = _read_csv(content)
    else:
        raise ImportFileError(_("Choose a .csv or .xlsx file."))
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [re.sub(r"[\s-]+", "_", str(name).strip().lower()) for name in table[0]]
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = {
            name: value for name, value in zip(header, values, strict=False) if name and value != ""
        }
        if cells:
            rows.append((number, cells))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(count)d rows. Split it into smaller files.")
            % {"count": MAX_ROWS}
        )
    return header, rows


# Understanding the cells --------------------------------------------------------------------


class Lookups:
    """Reference data and the organisation's experts, read once per file."""

    def __init__(self, organisation: MemberOrganisation):
        self.organisation = organisation
        self.municipalities = {}
        for municipality in Municipality.objects.all():
            for key in (municipality.code, municipality.name_fi, municipality.name_sv):
                if key:
                    self.municipalities[key.lower()] = municipality
        self.themes: dict[str, list[Theme]] = {}
        for theme in Theme.objects.filter(is_active=True):
            for key in {theme.name_fi.lower(), theme.name_sv.lower()} - {""}:
                self.themes.setdefault(key, []).append(theme)
        self.languages = dict(LANGUAGE_ALIASES)
        for code, label in WorkLanguage.choices:
            self.languages[code] = code
            for language in ("fi", "sv", "en"):
                with translation.override(language):
                    self.languages[str(label).lower()] = code
        self.experts: dict[str, list[Expert]] = {}
        for expert in Expert.objects.filter(responsible_organisation=organisation).prefetch_related(
            "themes"
        ):
            self.experts.setdefault(expert.email.lower(), []).append(expert)

    def municipality(self, value: str) -> Municipality:
        key = value.lower()
        if key.isdigit():
            key = key.zfill(3)
        try:
            return self.municipalities[key]
        except KeyError:
            raise ValidationError(
                _("Unknown municipality “%(value)s”.") % {"value": value}
            ) from None

    def theme_list(self, value: str) -> list[Theme]:
        themes = []
        for name in filter(None, (part.strip() for part in value.split(";"))):
            found = self.themes.get(name.lower(), [])
            if len(found) > 1:
                found = [t for t in found if t.organisation_id == self.organisation.pk] or found
            if not found:
                raise ValidationError(_("Unknown theme “%(value)s”.") % {"value": name})
            if len(found) > 1:
                raise ValidationError(
                    _("“%(value)s” is the name of several themes.") % {"value": name}
                )
            if found[0] not in themes:
                themes.append(found[0])
        return themes

    def language_list(self, value: str) -> list[str]:
        codes = []
        for name in filter(None, (part.strip() for part in value.split(","))):
            code = self.languages.get(name.lower())
            if code is None:
                raise ValidationError(_("Unknown language “%(value)s”.") % {"value": name})
            if code not in codes:
                codes.append(code)
        return codes


def _text(max_length: int | None):
    def parse(value, lookups):
        value = str(value)
        if max_length and len(value) > max_length:
            raise ValidationError(_("At most %(count)d characters.") % {"count": max_length})
        return value

    return parse


def _email(value, lookups):
    value = str(value).lower()
    validate_email(value)
    return value


def _phone(value, lookups):
    return clean_phone(str(value))


def _date(value, lookups):
    if isinstance(value, datetime.date):
        parsed = value
    else:
        for date_format in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(str(value), date_format).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(_("Write the date as YYYY-MM-DD or D.M.YYYY."))
    if parsed > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return parsed


def _experience(value, lookups):
    try:
        return EXPERIENCE_WORDS[str(value).lower()]
    except KeyError:
        raise ValidationError(
            _("Write own, close_one or both (oma, läheinen, molemmat).")
        ) from None


def _yes_no(value, lookups):
    word = str(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValidationError(_("Write kyllä or ei (yes or no)."))


def _field_length(name: str) -> int | None:
    return Expert._meta.get_field(name).max_length


PARSERS = {
    "first_name": _text(_field_length("first_name")),
    "last_name": _text(_field_length("last_name")),
    "email": _email,
    "phone": _phone,
    "home_municipality": lambda value, lookups: lookups.municipality(str(value)),
    "languages": lambda value, lookups: lookups.language_list(str(value)),
    "experience_kind": _experience,
    "themes": lambda value, lookups: lookups.theme_list(str(value)),
    "presentation_fi": _text(None),
    "presentation_sv": _text(None),
    "basic_training_date": _date,
    "continuing_training_date": _date,
    "online": _yes_no,
}
assert list(PARSERS) == COLUMN_NAMES


def _current(expert: Expert, name: str):
    if name == "themes":
        return {theme.pk for theme in expert.themes.all()}
    if name == "languages":
        return sorted(expert.languages)
    return getattr(expert, name)


def _comparable(name: str, value):
    if name == "themes":
        return {theme.pk for theme in value}
    if name == "languages":
        return sorted(value)
    return value


def _parse_row(number: int, cells: dict, lookups: Lookups) -> ImportRow:
    row = ImportRow(number=number, cells=cells)
    for name, value in cells.items():
        try:
            row.values[name] = PARSERS[name](value, lookups)
        except ValidationError as error:
            for message in error.messages:
                row.error(name, message)
    email = row.values.get("email")
    matches = lookups.experts.get(email, []) if email else []
    if len(matches) > 1:
        row.error("email", _("Several of your experts have this email address."))
    elif matches:
        row.expert = matches[0]
        row.changes = [
            name
            for name, value in row.values.items()
            if _comparable(name, value) != _current(row.expert, name)
        ]
    else:
        for name in REQUIRED_FOR_NEW:
            if name not in cells:
                row.error(name, _("Required for a new expert."))
    return row


def parse(*, filename: str, content: bytes, organisation: MemberOrganisation) -> ImportResult:
    """Read and check the file for `organisation`'s experts; write nothing."""
    result = ImportResult()
    try:
        header, table = read_table(filename, content)
    except ImportFileError as error:
        result.errors.append(str(error))
        return result
    named = [name for name in header if name]
    unknown = [name for name in named if name not in PARSERS]
    if unknown:
        result.errors.append(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMN_NAMES)}
        )
    duplicated = sorted({name for name in named if named.count(name) > 1})
    if duplicated:
        result.errors.append(
            _("These columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    if missing:
        result.errors.append(
            _("These columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if result.errors:
        return result
    if not table:
        result.errors.append(_("The file has no rows under the column names."))
        return result
    lookups = Lookups(organisation)
    seen: dict[str, int] = {}
    for number, cells in table:
        row = _parse_row(number, cells, lookups)
        email = row.values.get("email")
        if email in seen:
            row.error(
                "email", _("The same email address is on row %(row)d.") % {"row": seen[email]}
            )
        elif email:
            seen[email] = number
        result.rows.append(row)
    return result
