"""Tasks: how many were held, for whom, where, by whom, when; listeners reached; online.

A task counts in the year of its date when it is not cancelled and its day has come by the day
the report is built (agreed tasks over but not yet marked done were held). Cancelled tasks are
counted apart.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pankki.models import Audience, Task, TaskType

from .data import NUMBER, PERCENT, TEXT, Column, Section, Table, share
from .register import active_experts
from .scope import Context

HELD = ~Q(status=Task.Status.CANCELLED)


def held_filter(ctx: Context, *, since: date | None = None, task: str = "") -> Q:
    """Tasks held from `since` (the year's start) up to the day the report is built: not
    cancelled and their day has come. `task` is the path to the task from the rows filtered
    (feedback counts the answers of these tasks only)."""
    return ~Q(**{f"{task}status": Task.Status.CANCELLED}) & Q(
        **{f"{task}date__gte": since or ctx.start, f"{task}date__lt": ctx.until}
    )


def year_tasks(ctx: Context):
    """The scope's tasks dated in the year up to the day the report is built, any status."""
    return ctx.scope.tasks(Task.objects.filter(date__gte=ctx.start, date__lt=ctx.until))


def held_tasks(ctx: Context):
    return ctx.scope.tasks(Task.objects.filter(held_filter(ctx)))


def _metrics(experts: bool = False) -> dict:
    metrics = {
        "tasks": Count("pk"),
        "listeners": Coalesce(Sum("audience_size"), 0),
        "online": Count("pk", filter=Q(online=True)),
    }
    if experts:
        metrics["experts"] = Count("expert", distinct=True)
    return metrics


def _columns(first: str, experts: bool = False) -> list[Column]:
    columns = [
        Column(first, TEXT),
        Column(_("Tasks")),
        Column(_("Listeners reached")),
        Column(_("Online tasks")),
    ]
    if experts:
        columns.append(Column(_("Experts with a task")))
    return columns


def _rows(grouped, key: str, labels: dict, metrics: list[str], listed=()) -> list[list]:
    """Rows of `grouped` (dicts from a values().annotate() query) labelled by `labels`; the
    keys in `listed` get a row of zeros when they have none."""
    found = {row[key]: row for row in grouped}
    rows = [[labels.get(k, "?"), *(found[k][m] for m in metrics)] for k in found]
    rows += [[labels[k], *(0 for _m in metrics)] for k in listed if k not in found]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def summary(ctx: Context) -> dict:
    """The key figures in one query (conditional aggregation)."""
    return year_tasks(ctx).aggregate(
        tasks=Count("pk", filter=HELD),
        cancelled=Count("pk", filter=~HELD),
        listeners=Coalesce(Sum("audience_size", filter=HELD), 0),
        online=Count("pk", filter=HELD & Q(online=True)),
        experts=Count("expert", distinct=True, filter=HELD),
    )


def idle_experts(ctx: Context):
    """The scope's experts in the register during the year who had no task in it."""
    tasks = Task.objects.filter(
        HELD, expert=OuterRef("pk"), date__gte=ctx.start, date__lt=ctx.until
    )
    return active_experts(ctx).filter(~Exists(tasks))


def _intro(ctx: Context) -> str:
    return _(
        "A task counts in %(year)s when its date is in the year, it was not cancelled and its "
        "day had come by the day the report was built. Listeners reached is the audience size "
        "recorded for each task."
    ) % {"year": ctx.year}


def section(ctx: Context) -> tuple[Section, bool]:
    """The tasks section, and whether the year has any task in scope."""
    totals = summary(ctx)
    held = held_tasks(ctx)
    key_figures = Table(
        "tasks_summary",
        _("Key figures"),
        [Column(_("Figure"), TEXT), Column(_("Value"), NUMBER)],
        rows=[
            [_("Tasks held"), totals["tasks"]],
            [_("Listeners reached"), totals["listeners"]],
            [_("Share of tasks held online (%)"), share(totals["online"], totals["tasks"])],
            [_("Experts with at least one task"), totals["experts"]],
            [_("Cancelled tasks"), totals["cancelled"]],
        ],
    )
    if ctx.for_planner:
        key_figures.rows.append(
            [_("Experts in the register with no task"), idle_experts(ctx).count()]
        )
    total_row = [_("Total"), totals["tasks"], totals["listeners"], totals["online"]]
    tables = [key_figures]
    if not totals["tasks"] and not totals["cancelled"]:
        key_figures.rows = []
        key_figures.empty = _("No tasks were recorded for %(year)s.") % {"year": ctx.year}
        return Section("tasks", _("Tasks"), tables, intro=_intro(ctx)), False

    metrics = ["tasks", "listeners", "online"]
    names = {t.pk: str(t) for t in TaskType.objects.all()}
    tables.append(
        Table(
            "tasks_by_type",
            _("Tasks by task type"),
            _columns(_("Task type")),
            _rows(held.values("task_type").annotate(**_metrics()), "task_type", names, metrics),
            total=total_row,
            chart=1,
        )
    )
    names = {a.pk: str(a) for a in Audience.objects.all()}
    tables.append(
        Table(
            "tasks_by_audience",
            _("Tasks by audience"),
            _columns(_("Audience")),
            _rows(held.values("audience").annotate(**_metrics()), "audience", names, metrics),
            total=total_row,
            chart=1,
        )
    )
    with_experts = [*metrics, "experts"]
    expert_total = [*total_row, totals["experts"]]
    if not ctx.scope.is_area:
        grouped = (
            held.annotate(area=ctx.area_column("place_region"))
            .values("area")
            .annotate(**_metrics(experts=True))
        )
        tables.append(
            Table(
                "tasks_by_area",
                _("Tasks by regional area"),
                _columns(_("Regional area"), experts=True),
                _rows(grouped, "area", ctx.area_names, with_experts, ctx.listed_areas),
                total=expert_total,
                chart=1,
                note=_(
                    "A task counts in the area of its municipality; an online task without "
                    "one in the area of its expert's home municipality."
                ),
            )
        )
    if not ctx.scope.is_organisation:
        grouped = held.values("expert__responsible_organisation").annotate(**_metrics(experts=True))
        tables.append(
            Table(
                "tasks_by_organisation",
                _("Tasks by member organisation"),
                _columns(_("Member organisation"), experts=True),
                _rows(
                    grouped,
                    "expert__responsible_organisation",
                    ctx.organisation_names,
                    with_experts,
                    ctx.listed_organisations,
                ),
                total=expert_total,
                chart=1,
                note=_("A task counts for its expert's responsible organisation."),
            )
        )
    months = {
        row["month"].month: row
        for row in held.annotate(month=TruncMonth("date")).values("month").annotate(**_metrics())
    }
    tables.append(
        Table(
            "tasks_by_month",
            _("Tasks by month"),
            _columns(_("Month")),
            [
                [str(capfirst(MONTHS[m])), *(months[m][k] if m in months else 0 for k in metrics)]
                for m in range(1, 13)
            ],
            total=total_row,
            chart=1,
        )
    )
    if ctx.for_planner:
        tables += idle_tables(ctx)
    return Section("tasks", _("Tasks"), tables, intro=_intro(ctx)), True


def idle_tables(ctx: Context) -> list[Table]:
    """Planner only: the experts in the register who had no task, by area and organisation,
    to help spread demand."""
    busy = Exists(
        Task.objects.filter(HELD, expert=OuterRef("pk"), date__gte=ctx.start, date__lt=ctx.until)
    )
    experts = active_experts(ctx).annotate(busy=busy)
    counts = {"experts": Count("pk"), "idle": Count("pk", filter=Q(busy=False))}
    columns = [
        Column(_("Experts in the register")),
        Column(_("Experts with no task")),
        Column(_("Share with no task (%)"), PERCENT),
    ]

    def rows(grouped, key, labels):
        found = {row[key]: row for row in grouped}
        out = [
            [labels.get(k, "?"), r["experts"], r["idle"], share(r["idle"], r["experts"])]
            for k, r in found.items()
        ]
        return sorted(out, key=lambda row: (-row[2], row[0]))

    whole = experts.aggregate(**counts)
    total = [_("Total"), whole["experts"], whole["idle"], share(whole["idle"], whole["experts"])]
    note = _("Shown to the planner only, to help spread demand.")
    tables = [
        Table(
            "idle_by_area",
            _("Experts with no task in the year, by home area"),
            [Column(_("Regional area"), TEXT), *columns],
            rows(
                experts.annotate(area=ctx.area_column("home_municipality__region"))
                .values("area")
                .annotate(**counts),
                "area",
                ctx.area_names,
            ),
            total=total,
            note=note,
        )
    ]
    if not ctx.scope.is_organisation:
        tables.append(
            Table(
                "idle_by_organisation",
                _("Experts with no task in the year, by member organisation"),
                [Column(_("Member organisation"), TEXT), *columns],
                rows(
                    experts.values("responsible_organisation").annotate(**counts),
                    "responsible_organisation",
                    ctx.organisation_names,
                ),
                total=total,
                note=note,
            )
        )
    return tables
