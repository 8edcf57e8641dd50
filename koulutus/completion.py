"""Completion of a course, computed from its type's rules: contact hours and days attended
(of sessions that have started), required assignments done, an accepted practice lecture. A
read: nothing is written here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    Application,
    Assignment,
    AssignmentCompletion,
    Attendance,
    Course,
    CourseType,
    PracticeLectureEvaluation,
)


def hours_text(minutes: int, rounding=ROUND_FLOOR) -> str:
    """Hours with at most one decimal, the way people write them in the page's language: 25,
    24,5 (24.5 in English). Attended hours round down and missing ones up, so that a minute
    short never reads as done."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=rounding)
    if hours == hours.to_integral_value():
        hours = hours.quantize(Decimal(1))
    return number_format(hours)


@dataclass
class Completion:
    course_type: CourseType
    minutes: int = 0
    days: int = 0
    missing_assignments: list[Assignment] = field(default_factory=list)
    practice_lecture: PracticeLectureEvaluation | None = None

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)

    @property
    def required_minutes(self) -> int:
        return int(self.course_type.min_contact_hours * 60)

    @property
    def practice_lecture_missing(self) -> bool:
        return self.course_type.requires_practice_lecture and not (
            self.practice_lecture and self.practice_lecture.accepted
        )

    @property
    def missing(self) -> list[str]:
        """What the participant still lacks, in words."""
        rules = self.course_type
        missing = []
        if self.minutes < self.required_minutes:
            missing.append(
                _("%(short)s h of contact teaching (%(done)s h of %(needed)s h attended)")
                % {
                    "short": hours_text(self.required_minutes - self.minutes, ROUND_CEILING),
                    "done": self.hours,
                    "needed": hours_text(self.required_minutes),
                }
            )
        if self.days < rules.min_contact_days:
            missing.append(
                ngettext(
                    "%(short)d contact teaching day (%(done)d of %(needed)d attended)",
                    "%(short)d contact teaching days (%(done)d of %(needed)d attended)",
                    rules.min_contact_days - self.days,
                )
                % {
                    "short": rules.min_contact_days - self.days,
                    "done": self.days,
                    "needed": rules.min_contact_days,
                }
            )
        for assignment in self.missing_assignments:
            missing.append(_("Assignment: %(title)s") % {"title": assignment.title})
        if self.practice_lecture_missing:
            missing.append(
                _("An accepted practice lecture")
                if self.practice_lecture is None
                else _("An accepted practice lecture (the one given was not accepted)")
            )
        return missing

    @property
    def met(self) -> bool:
        return not self.missing


def for_applications(course: Course, applications) -> dict[int, Completion]:
    """Each application's completion, in four queries whatever the number of participants."""
    applications = list(applications)
    ids = [application.pk for application in applications]
    rules = course.course_type
    # Attendance marked ahead of a session is no attendance: only sessions begun count.
    now = timezone.now()
    sessions = {
        session.pk: session for session in course.sessions.all() if session.has_started(now)
    }
    result = {pk: Completion(course_type=rules) for pk in ids}
    dates: dict[int, set] = defaultdict(set)
    for attendance in Attendance.objects.filter(application__in=ids).exclude(
        status=Attendance.Status.ABSENT
    ):
        session = sessions.get(attendance.session_id)
        if session is None:
            continue
        attendance.session = session
        result[attendance.application_id].minutes += attendance.attended_minutes
        dates[attendance.application_id].add(session.date)
    for pk, days in dates.items():
        result[pk].days = len(days)
    if rules.requires_assignments:
        required = list(
            course.assignments.filter(required=True).exclude(kind=Assignment.Kind.PRACTICE_LECTURE)
        )
        done = set(
            AssignmentCompletion.objects.filter(application__in=ids).values_list(
                "application_id", "assignment_id"
            )
        )
        for pk in ids:
            result[pk].missing_assignments = [a for a in required if (pk, a.pk) not in done]
    for evaluation in PracticeLectureEvaluation.objects.filter(application__in=ids):
        result[evaluation.application_id].practice_lecture = evaluation
    return result


def for_application(application: Application) -> Completion:
    return for_applications(application.course, [application])[application.pk]
