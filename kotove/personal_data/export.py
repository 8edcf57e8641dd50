"""The export of a person's data: one section per model, one dict per row, and the readable
form the PDF shows."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .finding import Plan


def _value(obj, f, *, readable: bool):
    if f.many_to_many:
        return [str(item) for item in getattr(obj, f.name).all()]
    value = getattr(obj, f.name)
    if f.is_relation:
        return str(value) if value is not None else None
    if isinstance(f, models.FileField):
        return value.name or None
    if readable and f.choices and not isinstance(value, list):
        return str(dict(f.flatchoices).get(value, value))
    if readable and isinstance(value, list) and f.base_field.choices:
        labels = dict(f.base_field.flatchoices)
        return [str(labels.get(item, item)) for item in value]
    return value


def export_row(obj, exclude=(), *, readable=False) -> dict:
    """Every concrete and many-to-many field of the row, but `exclude`: foreign keys by their
    text, files by their name; with `readable`, choices by their label."""
    fields = [*obj._meta.concrete_fields, *obj._meta.many_to_many]
    return {
        f.name: _value(obj, f, readable=readable)
        for f in fields
        if f.name not in exclude and not f.name.endswith("_ptr")
    }


def labels(model) -> dict[str, str]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return {f.name: str(f.verbose_name) for f in fields}


def export_data(the_plan: Plan, *, readable: bool = False) -> dict:
    """The export: one section per model, one dict per row."""
    sections = []
    for section in the_plan.sections:
        entry = section.entry
        if entry.export is False:
            continue
        rows = []
        for obj in section.queryset():
            if callable(entry.export):
                row = entry.export(obj, the_plan.person)
            else:
                row = export_row(obj, entry.export_exclude, readable=readable)
            if row is not None:
                rows.append(row)
        if rows:
            sections.append(
                {
                    "model": entry.label,
                    "title": section.title,
                    "labels": {**labels(entry.model), **entry.export_labels},
                    "rows": rows,
                }
            )
    return {"exported_at": timezone.now(), "person": str(the_plan.person), "sections": sections}


# Labels of the keys that exporters write beside model fields (the audit log's rows).
EXTRA_LABELS = {
    "time": gettext_lazy("time"),
    "by": gettext_lazy("by"),
    "object": gettext_lazy("object"),
    "object_type": gettext_lazy("object type"),
}


def _display(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_display(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_display(item)}" for key, item in value.items())
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def readable_sections(data: dict) -> list[dict]:
    """The export as the PDF shows it: per section, per row, (label, text) without the empty."""
    sections = []
    for section in data["sections"]:
        labels = {**EXTRA_LABELS, **section["labels"]}
        rows = [
            [
                (str(labels.get(key, key)), _display(value))
                for key, value in row.items()
                if value not in (None, "", [], {})
            ]
            for row in section["rows"]
        ]
        sections.append({"title": section["title"], "rows": rows})
    return sections
