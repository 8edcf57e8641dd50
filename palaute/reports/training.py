"""Training: newly qualified experts and recognitions on special grounds, from the register.

A qualification counts in the year of its date in the expert's record (the basic training's
completion, the national group's recognition decision, the continuing training's completion).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Least
from django.utils.translation import gettext as _

from pankki.models import Expert

from .data import TEXT, Column, Section, Table
from .scope import Context


def _in_year(field: str, ctx: Context) -> Q:
    return Q(**{f"{field}__gte": ctx.start, f"{field}__lt": ctx.end})


def section(ctx: Context) -> tuple[Section, bool]:
    experts = ctx.scope.experts(Expert.objects.all()).annotate(
        qualified_on=Least("basic_training_date", "recognition_decision_date")
    )
    figures = experts.aggregate(
        basic=Count("pk", filter=_in_year("basic_training_date", ctx)),
        recognised=Count("pk", filter=_in_year("recognition_decision_date", ctx)),
        qualified=Count("pk", filter=_in_year("qualified_on", ctx)),
        continuing=Count("pk", filter=_in_year("continuing_training_date", ctx)),
    )
    qualified = Table(
        "training_qualified",
        _("Newly qualified experts"),
        [Column(_("Figure"), TEXT), Column(_("Experts"))],
        rows=[
            [_("Completed the basic training"), figures["basic"]],
            [_("Recognised on special grounds"), figures["recognised"]],
            [_("Newly qualified (first qualification in the year)"), figures["qualified"]],
            [_("Completed the developer-influencer continuing training"), figures["continuing"]],
        ],
        note=_("From the experts' records: the year of the completion or decision date."),
    )
    has_data = any(figures.values())
    return Section("training", _("Training"), [qualified]), has_data
