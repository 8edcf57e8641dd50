"""Training: courses held by type with their applicants, selected and completed participants;
recognitions on special grounds; newly qualified experts.

- A course counts in the year of its first contact-teaching session, once that day has come;
  its applications count with it. Applicants: every application whose address was confirmed.
  Selected: chosen by their organisation and still holding or heading for a place (selected,
  offered a place or confirmed). Completed: completion confirmed by the coordinator.
- An area's report counts the courses of that area; an organisation's the courses it
  organised or co-organised, and only its own applicants.
- Recognitions count in the year of the national group's decision (by the applicant's home
  area, or the applying organisation).
- Newly qualified experts come from the register: the year of the expert's first
  qualification date (basic training or recognition).
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from koulutus.models import Application, Course, CourseType, RecognitionApplication, Session
from pankki.models import Expert

from .data import TEXT, Column, Section, Table
from .scope import Context

SELECTED = [
    Application.Status.SELECTED,
    Application.Status.OFFERED,
    Application.Status.CONFIRMED,
]
INTRO = gettext_lazy(
    "A course counts in the year of its first contact-teaching session, with its applications. "
    "Selected: chosen by their organisation and holding or heading for a place. Newly qualified "
    "experts are counted from the register, in the year of their first qualification."
)


def _in_year(field: str, ctx: Context) -> Q:
    return Q(**{f"{field}__gte": ctx.start, f"{field}__lt": ctx.end})


def year_courses(ctx: Context):
    first_session = Session.objects.filter(course=OuterRef("pk")).order_by("date").values("date")
    courses = Course.objects.annotate(first_date=Subquery(first_session[:1])).filter(
        first_date__gte=ctx.start, first_date__lt=ctx.until
    )
    if ctx.scope.is_area:
        return courses.filter(area=ctx.scope.area)
    if ctx.scope.is_organisation:
        return courses.filter(organisations=ctx.scope.organisation)
    return courses


def _courses_table(ctx: Context) -> Table:
    courses = year_courses(ctx)
    applications = Application.objects.filter(course__in=courses.values("pk"))
    if ctx.scope.is_organisation:
        applications = applications.filter(organisation=ctx.scope.organisation)
    held = {
        row["course_type"]: row
        for row in courses.values("course_type").annotate(
            courses=Count("pk"), places=Coalesce(Sum("capacity"), 0)
        )
    }
    applied = {
        row["course__course_type"]: row
        for row in applications.values("course__course_type").annotate(
            applicants=Count("pk", filter=~Q(status=Application.Status.UNVERIFIED)),
            selected=Count("pk", filter=Q(status__in=SELECTED)),
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
        )
    }
    rows = []
    for course_type in CourseType.objects.order_by("pk"):
        h = held.get(course_type.pk, {"courses": 0, "places": 0})
        a = applied.get(course_type.pk, {"applicants": 0, "selected": 0, "completed": 0})
        rows.append(
            [
                str(course_type),
                h["courses"],
                h["places"],
                a["applicants"],
                a["selected"],
                a["completed"],
            ]
        )
    total = [_("Total"), *(sum(row[i] for row in rows) for i in range(1, 6))]
    note = (
        _("The courses the organisation organised or co-organised; only its own applicants.")
        if ctx.scope.is_organisation
        else ""
    )
    return Table(
        "training_courses",
        _("Courses held by type"),
        [
            Column(_("Course type"), TEXT),
            Column(_("Courses")),
            Column(_("Places")),
            Column(_("Applicants")),
            Column(pgettext("people counted", "Selected")),
            Column(pgettext("people counted", "Completed")),
        ],
        rows,
        total=total,
        chart=1,
        note=note,
    )


def _recognitions(ctx: Context) -> tuple[int, int]:
    decided = RecognitionApplication.objects.filter(_in_year("decision_date", ctx))
    if ctx.scope.is_area:
        decided = decided.filter(home_municipality__region__in=ctx.scope.region_ids)
    elif ctx.scope.is_organisation:
        decided = decided.filter(organisation=ctx.scope.organisation)
    figures = decided.aggregate(
        approved=Count("pk", filter=Q(status=RecognitionApplication.Status.APPROVED)),
        rejected=Count("pk", filter=Q(status=RecognitionApplication.Status.REJECTED)),
    )
    return figures["approved"], figures["rejected"]


def section(ctx: Context) -> tuple[Section, bool]:
    courses = _courses_table(ctx)
    approved, rejected = _recognitions(ctx)
    experts = ctx.scope.experts(Expert.objects.all()).annotate(
        qualified_on=Least("basic_training_date", "recognition_decision_date")
    )
    figures = experts.aggregate(
        basic=Count("pk", filter=_in_year("basic_training_date", ctx)),
        qualified=Count("pk", filter=_in_year("qualified_on", ctx)),
        continuing=Count("pk", filter=_in_year("continuing_training_date", ctx)),
    )
    qualified = Table(
        "training_qualified",
        _("Newly qualified experts and recognitions"),
        [Column(_("Figure"), TEXT), Column(_("Experts"))],
        rows=[
            [_("Completed the basic training"), figures["basic"]],
            [_("Recognised on special grounds"), approved],
            [_("Applications for recognition not approved"), rejected],
            [_("Newly qualified (first qualification in the year)"), figures["qualified"]],
            [_("Completed the developer-influencer continuing training"), figures["continuing"]],
        ],
        note=_(
            "Training completed and first qualifications from the experts' records; "
            "recognitions from the national steering group's decisions in the year."
        ),
    )
    has_data = any(courses.total[1:]) or approved or rejected or any(figures.values())
    return Section("training", _("Training"), [courses, qualified], intro=str(INTRO)), has_data
