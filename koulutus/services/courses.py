"""Writes of courses and of running them: sessions and assignments, attendance, assignments
done, practice lectures, completion and the qualification it gives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kotove.models import User
from kotove.services import audit
from pankki import services as pankki_services

from .. import completion, emails
from ..models import (
    Application,
    Assignment,
    AssignmentCompletion,
    Attendance,
    Course,
    CourseType,
    PracticeLectureEvaluation,
    Session,
    find_overlaps,
)


def overlap_error(first: Session, second: Session) -> str:
    return _("The sessions %(first)s and %(second)s overlap.") % {
        "first": first,
        "second": second,
    }


@transaction.atomic
def save_course(
    *,
    course: Course,
    by: User,
    organisations: Iterable,
    trainers: Iterable[User],
    sessions: Iterable[Session] = (),
    deleted_sessions: Iterable[Session] = (),
    assignments: Iterable[Assignment] = (),
    deleted_assignments: Iterable[Assignment] = (),
    request=None,
) -> Course:
    """Create or update a course with its sessions and assignments: all or nothing.

    Checked again inside the transaction, with the course row locked: every session ends
    after it starts and none overlap, the places hold everyone who has one, no session with
    attendance recorded is removed. Raises ValidationError otherwise.
    Side effects: an audit row."""
    created = course.pk is None
    if not created:
        Course.objects.select_for_update().filter(pk=course.pk).first()
        holding = course.applications.holding_places().count()
        if course.capacity is not None and course.capacity < holding:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(count)d people already have a place: the course cannot have fewer "
                        "places."
                    )
                    % {"count": holding}
                }
            )
    course.full_clean()
    course.save()
    course.organisations.set(organisations)
    course.trainers.set(trainers)

    for session in deleted_sessions:
        if session.pk and session.attendances.exists():
            raise ValidationError(
                _("Attendance has been recorded for %(session)s: it cannot be removed.")
                % {"session": session}
            )
        if session.pk:
            session.delete()
    final = {s.pk: s for s in Session.objects.filter(course=course)}
    new_sessions = []
    for session in sessions:
        session.course = course
        session.full_clean()
        if session.pk:
            final[session.pk] = session
        else:
            new_sessions.append(session)
    overlaps = find_overlaps([*final.values(), *new_sessions])
    if overlaps:
        raise ValidationError([overlap_error(*pair) for pair in overlaps])
    for session in sessions:
        session.save()

    for assignment in deleted_assignments:
        if assignment.pk:
            assignment.delete()
    for assignment in assignments:
        assignment.course = course
        assignment.full_clean()
        assignment.save()
    audit(
        actor=by,
        action="course.create" if created else "course.update",
        obj=course,
        request=request,
    )
    return course


def attendance_not_yet(session: Session) -> str:
    return _(
        "Attendance of this session can be recorded once it starts, on %(date)s at %(time)s."
    ) % {
        "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
        "time": formats.time_format(session.starts_at, "TIME_FORMAT"),
    }


def _require_participant(application: Application) -> None:
    if application.status != Application.Status.CONFIRMED:
        raise ValidationError(_("%(name)s has no confirmed place.") % {"name": application})


@transaction.atomic
def record_attendance(
    *,
    session: Session,
    marks: dict[Application, tuple[str, int | None]],
    by: User,
    request=None,
) -> int:
    """Record each participant's attendance of one session: present, partly (with the minutes
    present) or absent. `marks` maps a participant to (status, minutes). Refused before the
    session starts.

    Side effects: attendance rows created or updated, an audit row."""
    if not session.has_started():
        raise ValidationError(attendance_not_yet(session))
    for application, (status, minutes) in marks.items():
        if application.course_id != session.course_id:
            raise ValidationError(_("%(name)s is not on this course.") % {"name": application})
        _require_participant(application)
        if status == Attendance.Status.PARTLY:
            if not minutes or not 0 < minutes <= session.minutes:
                raise ValidationError(
                    _("Give the minutes %(name)s was present, from 1 to %(max)d.")
                    % {"name": application.full_name, "max": session.minutes}
                )
        else:
            minutes = None
        Attendance.objects.update_or_create(
            application=application,
            session=session,
            defaults={
                "status": status,
                "minutes": minutes,
                "recorded_by": by,
                "recorded_at": timezone.now(),
            },
        )
    audit(
        actor=by,
        action="course.attendance",
        obj=session.course,
        request=request,
        data={"session": session.pk, "marks": len(marks)},
    )
    return len(marks)


@transaction.atomic
def record_assignments(
    *, course: Course, done: set[tuple[int, int]], by: User, request=None
) -> tuple[int, int]:
    """Set which assignments the participants have done. `done` holds (application id,
    assignment id) pairs; the course's other pairs are marked not done. Practice lectures
    are recorded by their evaluation instead.

    Side effects: rows added and removed, an audit row. Returns (added, removed)."""
    participants = set(course.applications.participants().values_list("pk", flat=True))
    assignments = set(
        course.assignments.exclude(kind=Assignment.Kind.PRACTICE_LECTURE).values_list(
            "pk", flat=True
        )
    )
    if any(a not in participants or b not in assignments for a, b in done):
        raise ValidationError(_("Choose assignments of this course's participants."))
    existing = set(
        AssignmentCompletion.objects.filter(
            application__in=participants, assignment__in=assignments
        ).values_list("application_id", "assignment_id")
    )
    added, removed = done - existing, existing - done
    AssignmentCompletion.objects.bulk_create(
        AssignmentCompletion(application_id=a, assignment_id=b, marked_by=by) for a, b in added
    )
    for application_id, assignment_id in removed:
        AssignmentCompletion.objects.filter(
            application_id=application_id, assignment_id=assignment_id
        ).delete()
    audit(
        actor=by,
        action="course.assignments",
        obj=course,
        request=request,
        data={"added": len(added), "removed": len(removed)},
    )
    return len(added), len(removed)


@transaction.atomic
def record_practice_lecture_evaluation(
    *,
    application: Application,
    evaluated_on: date,
    evaluators: Sequence[str],
    accepted: bool,
    note: str = "",
    by: User | None = None,
    source: str = PracticeLectureEvaluation.Source.COURSE_PAGE,
    request=None,
) -> PracticeLectureEvaluation:
    """Record the outcome of a participant's practice lecture, evaluated by the named
    evaluators. A later evaluation (a lecture given again) replaces the earlier one.

    This is the hook of palaute's practice-lecture evaluation form (source=FEEDBACK_FORM);
    the coordinator records it on the course page (source=COURSE_PAGE). The lecture is given
    from the course's first day to today; refused (ValidationError on `evaluated_on`)
    otherwise.
    Side effects: the evaluation row, an audit row."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_participant(application)
    if application.completed_on:
        raise ValidationError(_("The completion has been confirmed already."))
    names = [name.strip() for name in evaluators if name and name.strip()]
    if not names:
        raise ValidationError({"evaluators": _("Name at least one evaluator.")})
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": _("The date cannot be in the future.")})
    starts_on = application.course.sessions.order_by("date").values_list("date", flat=True).first()
    if starts_on and evaluated_on < starts_on:
        raise ValidationError(
            {
                "evaluated_on": _(
                    "The practice lecture cannot be before the course starts (%(date)s)."
                )
                % {"date": formats.date_format(starts_on, "SHORT_DATE_FORMAT")}
            }
        )
    evaluation, _created = PracticeLectureEvaluation.objects.update_or_create(
        application=application,
        defaults={
            "evaluated_on": evaluated_on,
            "evaluators": names,
            "accepted": accepted,
            "note": note,
            "source": source,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    audit(
        actor=by,
        action="course.practice_lecture",
        obj=application,
        request=request,
        data={"accepted": accepted, "evaluators": names, "source": source},
    )
    return evaluation


def completion_date(course: Course) -> date:
    """The day the course ended (its last session), or today if it has not ended yet."""
    today = timezone.localdate()
    last = course.sessions.order_by("-date").values_list("date", flat=True).first()
    return min(last, today) if last else today


@transaction.atomic
def confirm_completion(
    *,
    application: Application,
    by: User,
    override_reason: str = "",
    completed_on: date | None = None,
    request=None,
) -> Application:
    """Confirm that a participant completed the course. Refused (ValidationError listing what
    is missing) where the course type's rules are not met, unless `override_reason` says why
    it is confirmed anyway.

    A basic course makes the person a qualified expert in the bank (their record is linked or
    created, without consent, through pankki.services.record_qualification); continuing
    training sets the continuing-training date.
    Side effects: the application, an audit row (with the override and its reason), the
    expert record, emails to the participant and, for basic and continuing training, to the
    contacts of their organisation."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_participant(application)
    if application.completed_on:
        raise ValidationError(_("The completion has been confirmed already."))
    status = completion.for_application(application)
    override_reason = override_reason.strip()
    if not status.met and not override_reason:
        raise ValidationError(
            [_("The rules of the course are not met. Missing:"), *status.missing],
            code="rules_not_met",
        )
    course = application.course
    application.completed_on = completed_on or completion_date(course)
    application.completion_confirmed_by = by
    application.completion_override_reason = "" if status.met else override_reason
    application.save(
        update_fields=["completed_on", "completion_confirmed_by", "completion_override_reason"]
    )
    audit(
        actor=by,
        action="application.complete",
        obj=application,
        request=request,
        data={
            "override": not status.met,
            "reason": application.completion_override_reason,
            "missing": status.missing,
        },
    )
    kind = course.course_type.kind
    if kind in (CourseType.Kind.BASIC, CourseType.Kind.CONTINUING):
        dates = (
            {"basic_training_date": application.completed_on, "basic_training_course": course.name}
            if kind == CourseType.Kind.BASIC
            else {"continuing_training_date": application.completed_on}
        )
        expert = pankki_services.record_qualification(
            by=by,
            organisation=application.organisation,
            first_name=application.first_name,
            last_name=application.last_name,
            email=application.email,
            phone=application.phone,
            home_municipality=application.home_municipality,
            experience_kind=application.experience_kind,
            user=application.user,
            languages=[application.language],
            request=request,
            **dates,
        )
        application.expert = expert
        application.save(update_fields=["expert"])
        emails.to_users(
            emails.contacts_of(application.organisation),
            key=f"koulutus:application:{application.pk}:qualified",
            template="koulutus/email/qualified_contact",
            path=reverse("pankki:record_edit", args=[expert.pk]),
            application=application,
            course=course,
            expert=expert,
            basic=kind == CourseType.Kind.BASIC,
        )
    emails.to_applicant(application, "completed", once=True)
    return application
