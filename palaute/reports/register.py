"""The register: experts in it during the year, by area, organisation and theme; records not
confirmed for 12 months.

An expert is in the register during the year when they were qualified (basic training or
recognition) by its end and had not left before it began (records entered later count: the
register was kept on paper before). Pauses are not kept as
history, so a paused expert counts. Whether a record is confirmed is known only for today: that
figure is taken on the day the report is built.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pankki.models import Expert, Theme

from .data import TEXT, Column, Section, Table
from .scope import Context


def active_experts(ctx: Context):
    end = ctx.end
    qualified = Q(basic_training_date__lt=end) | Q(recognition_decision_date__lt=end)
    stayed = ~Q(status=Expert.Status.LEFT) | Q(left_on__gte=ctx.start)
    return ctx.scope.experts(Expert.objects.filter(qualified, stayed))


def stale_records(ctx: Context):
    """The scope's records (of experts who have not left) not confirmed for 12 months, today."""
    return ctx.scope.experts(Expert.objects.exclude(status=Expert.Status.LEFT).stale())


def _breakdown(grouped, key, labels, listed=()) -> list[list]:
    found = {row[key]: row["experts"] for row in grouped}
    rows = [[labels.get(k, "?"), n] for k, n in found.items()]
    rows += [[labels[k], 0] for k in listed if k not in found]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


INTRO = gettext_lazy(
    "An expert counts when qualified (by the basic training or on special grounds) by the end "
    "of the year and had not left before it began; paused experts count. Whether a record is "
    "confirmed is known only for the day the report was built."
)


def section(ctx: Context) -> tuple[Section, bool]:
    experts = active_experts(ctx)
    stale = stale_records(ctx)
    basic = Q(basic_training_date__lt=ctx.end)
    figures = experts.aggregate(total=Count("pk"), basic=Count("pk", filter=basic))
    total = figures["total"]
    stale_count = stale.count()
    today = formats.date_format(ctx.today, "SHORT_DATE_FORMAT")
    stale_title = _("Records not confirmed in 12 months (on %(date)s)") % {"date": today}
    tables = [
        Table(
            "register_summary",
            _("Key figures"),
            [Column(_("Figure"), TEXT), Column(_("Value"))],
            rows=[
                [_("Experts in the register during the year"), total],
                [_("Qualified by basic training"), figures["basic"]],
                [_("Recognised on special grounds"), total - figures["basic"]],
                [stale_title, stale_count],
            ],
        )
    ]
    if not total:
        tables[0].rows = tables[0].rows[-1:]
        tables[0].note = _("Nobody was in the register in %(year)s.") % {"year": ctx.year}
        return Section("register", _("The register"), tables, intro=str(INTRO)), False
    counts = {"experts": Count("pk")}
    if not ctx.scope.is_area:
        tables.append(
            Table(
                "register_by_area",
                _("Experts by home area"),
                [Column(_("Regional area"), TEXT), Column(_("Experts"))],
                _breakdown(
                    experts.annotate(area=ctx.area_column("home_municipality__region"))
                    .values("area")
                    .annotate(**counts),
                    "area",
                    ctx.area_names,
                    ctx.listed_areas,
                ),
                total=[_("Total"), total],
                chart=1,
            )
        )
    if not ctx.scope.is_organisation:
        tables.append(
            Table(
                "register_by_organisation",
                _("Experts by responsible organisation"),
                [Column(_("Member organisation"), TEXT), Column(_("Experts"))],
                _breakdown(
                    experts.values("responsible_organisation").annotate(**counts),
                    "responsible_organisation",
                    ctx.organisation_names,
                    ctx.listed_organisations,
                ),
                total=[_("Total"), total],
                chart=1,
            )
        )
    themes = {t.pk: str(t) for t in Theme.objects.all()}
    by_theme = (
        Expert.themes.through.objects.filter(expert__in=experts.values("pk"))
        .values("theme")
        .annotate(experts=Count("expert", distinct=True))
    )
    tables.append(
        Table(
            "register_by_theme",
            _("Experts by theme or diagnosis"),
            [Column(_("Theme or diagnosis"), TEXT), Column(_("Experts"))],
            _breakdown(by_theme, "theme", themes),
            note=_("An expert counts under each of their themes."),
            empty=_("No themes are recorded."),
        )
    )
    if not ctx.scope.is_organisation:
        tables.append(
            Table(
                "stale_by_organisation",
                stale_title,
                [Column(_("Member organisation"), TEXT), Column(_("Experts"))],
                _breakdown(
                    stale.values("responsible_organisation").annotate(**counts),
                    "responsible_organisation",
                    ctx.organisation_names,
                ),
                total=[_("Total"), stale_count],
                note=_(
                    "Records of experts who have not left, never confirmed or last confirmed "
                    "more than 12 months before the report was built."
                ),
                empty=_("Every record has been confirmed in the last 12 months."),
            )
        )
    return Section("register", _("The register"), tables, intro=str(INTRO)), True
