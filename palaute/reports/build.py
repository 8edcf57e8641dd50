"""Compute a report's figures once, section by section, into a ReportData."""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ..aggregates import MIN_ANSWERS
from ..models import Report
from . import feedback, register, steering, tasks, training
from .data import NOT_SHOWN, ReportData
from .scope import Context, Scope

SECTIONS = [tasks.section, feedback.section, training.section, steering.section, register.section]


def compute(report: Report, *, now=None) -> ReportData:
    """Every figure of `report`, in its language. Aggregation happens in SQL: a few dozen
    queries whatever the number of tasks and answers."""
    now = now or timezone.now()
    with translation.override(report.language):
        ctx = Context(
            year=report.year,
            scope=Scope.of(report),
            for_planner=report.for_planner,
            today=timezone.localdate(now),
        )
        sections, has_data = [], False
        for build in SECTIONS:
            section, found = build(ctx)
            sections.append(section)
            has_data |= found
        notes = [
            _(
                "“%(dash)s” marks a figure that is not shown: an average of fewer than "
                "%(min)s feedback answers."
            )
            % {"dash": NOT_SHOWN, "min": MIN_ANSWERS},
        ]
        if report.for_planner:
            notes.append(_("The planner's version: it also counts the experts who had no task."))
        if not has_data:
            notes.insert(
                0,
                _(
                    "There is no data for %(year)s: no tasks, feedback, training, steering "
                    "group activity or experts in the register."
                )
                % {"year": report.year},
            )
            sections = []
        return ReportData(
            title=_("Annual report %(year)s") % {"year": report.year},
            scope=report.scope_name,
            year=report.year,
            language=report.language,
            built_at=formats.date_format(timezone.localtime(now), "SHORT_DATETIME_FORMAT"),
            has_data=has_data,
            sections=sections,
            notes=notes,
        )
