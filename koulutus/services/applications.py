"""Writes of applications: submitting and confirming the email address, the organisation's
interview and decision, places confirmed by the coordinator, the waiting list and its offers,
withdrawal and cancellation."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kotove.models import User
from kotove.services import audit
from pankki.models import Expert

from .. import emails
from ..models import (
    Application,
    Course,
    InitialInterview,
    contact_organisation_ids,
)

UNVERIFIED_DAYS = 7
Status = Application.Status


def _set_status(application: Application, status: str, **fields) -> None:
    application.status = status
    application.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["status", "status_changed_at", *fields])


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("course__course_type")
        .get(pk=application.pk)
    )


def first_session_start(course: Course) -> datetime | None:
    first = course.sessions.order_by("date", "starts_at").first()
    return first.starts() if first else None


def free_places(course: Course) -> int:
    return max(course.capacity - course.applications.holding_places().count(), 0)


@transaction.atomic
def submit_application(*, application: Application, user: User | None = None) -> Application | None:
    """Store a new application. From a signed-in user applying with their own (verified)
    address it is received at once; otherwise the applicant first confirms the address from
    the link emailed to them, so that nothing reaches an organisation from a mistyped or
    someone else's address.

    A second open application of the same address to the course is not stored, and None is
    returned: the page answers it as it answers a new one, since telling who has applied to
    training for people with an illness or disability would give away health data. The
    address is emailed instead that it has applied already, with the link to its application
    (once a day at most).
    Side effects: the application, an audit row, emails (see receive_application); for a
    second application only the email."""
    if user is not None and user.is_authenticated:
        application.user = user
        application.expert = Expert.objects.filter(user=user).first()
    application.email = application.email.strip().lower()
    existing = (
        Application.objects.filter(course=application.course, email__iexact=application.email)
        .exclude(status__in=Application.CLOSED)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        emails.to_applicant(existing, "already_applied", occasion=timezone.localdate().isoformat())
        return None
    application.full_clean()
    application.save()
    audit(actor=user, action="application.submit", obj=application)
    if application.user and application.user.email == application.email:
        receive_application(application=application)
    else:
        emails.to_applicant(application, "verify", once=True)
    return application


@transaction.atomic
def verify_application(*, application: Application) -> Application:
    """The applicant confirmed the email address: receive the application (idempotent).
    Side effects: as receive_application."""
    application = _lock(application)
    if application.status == Status.UNVERIFIED:
        application.verified_at = timezone.now()
        application.save(update_fields=["verified_at"])
        receive_application(application=application)
    return application


def area_expert(application: Application) -> Expert | None:
    """The applicant's qualified, current record in the bank, living in the course's area."""
    course = application.course
    return (
        Expert.objects.qualified()
        .exclude(status=Expert.Status.LEFT)
        .filter(
            email__iexact=application.email,
            home_municipality__region__areas=course.area_id,
        )
        .order_by("pk")
        .first()
    )


def receive_application(*, application: Application) -> Application:
    """Route a (confirmed) application by the course type's rules.

    - Training open only to the trained experts of an area: someone else is not selected.
    - Selection by the organisation: the application waits for its decision and the
      organisation's contacts are told.
    - Otherwise a free place is confirmed at once, or the applicant goes on the waiting list.
    Side effects: the application's status, emails to the applicant and contacts."""
    rules = application.course.course_type
    if rules.only_trained_experts_of_area:
        expert = area_expert(application)
        if expert is None:
            _set_status(
                application,
                Status.NOT_SELECTED,
                decided_at=timezone.now(),
                decision_note=_("Not a trained experience expert of the course's area."),
            )
            emails.to_applicant(application, "not_eligible")
            return application
        application.expert = expert
        application.save(update_fields=["expert"])
    if rules.selection_by_organisation:
        _set_status(application, Status.SUBMITTED)
        emails.to_applicant(application, "received")
        emails.to_users(
            emails.contacts_of(application.organisation),
            key=f"koulutus:application:{application.pk}:new",
            template="koulutus/email/application_new",
            path=reverse("koulutus:application", args=[application.pk]),
            application=application,
            course=application.course,
        )
        return application
    Course.objects.select_for_update().filter(pk=application.course_id).first()
    if free_places(application.course) > 0:
        _set_status(application, Status.CONFIRMED, confirmed_at=timezone.now())
        emails.to_applicant(application, "confirmed")
    else:
        _set_status(application, Status.WAITING_LIST, decided_at=timezone.now())
        emails.to_applicant(application, "decision")
    return application


def _require_contact(application: Application, user: User) -> None:
    if application.organisation_id not in contact_organisation_ids(user):
        raise ValidationError(
            _("Only a contact of the applicant's own organisation handles the application.")
        )


@transaction.atomic
def record_interview(
    *, application: Application, by: User, request=None, **fields
) -> InitialInterview:
    """Record (or correct) the initial interview (alkuhaastattelu) of an applicant by a
    contact of their organisation. Its date is from the day the application was sent to
    today; refused (ValidationError on `held_on`) otherwise.

    Side effects: the interview row, an audit row (without its content: health data)."""
    _require_contact(application, by)
    held_on = fields.get("held_on")
    sent_on = timezone.localdate(application.created_at)
    if held_on is not None and held_on < sent_on:
        raise ValidationError(
            {
                "held_on": _("The interview cannot be before the application was sent (%(date)s).")
                % {"date": formats.date_format(sent_on, "SHORT_DATE_FORMAT")}
            }
        )
    if held_on is not None and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date cannot be in the future.")})
    interview, created = InitialInterview.objects.update_or_create(
        application=application,
        defaults={**fields, "interviewer": by, "recorded_at": timezone.now()},
    )
    audit(
        actor=by,
        action="application.interview" if created else "application.interview.update",
        obj=application,
        request=request,
    )
    return interview


DECISIONS = (Status.SELECTED, Status.NOT_SELECTED, Status.WAITING_LIST)


@transaction.atomic
def decide_application(
    *, application: Application, status: str, note: str = "", by: User, request=None
) -> Application:
    """The organisation's decision: selected, not selected or waiting list, with a note. A
    decision can be changed until the applicant is offered or given a place.

    Side effects: the application, an audit row, an email to the applicant."""
    _require_contact(application, by)
    application = _lock(application)
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose the decision.")})
    if application.status not in Application.DECIDABLE:
        raise ValidationError(
            _("The application is %(status)s: the organisation no longer decides it.")
            % {"status": application.get_status_display().lower()}
        )
    _set_status(application, status, decided_at=timezone.now(), decided_by=by, decision_note=note)
    audit(
        actor=by,
        action=f"application.decide.{status}",
        obj=application,
        request=request,
        data={"note": note},
    )
    emails.to_applicant(application, "decision")
    return application


@transaction.atomic
def confirm_places(
    *, course: Course, applications: list[Application], by: User, request=None
) -> int:
    """The coordinator confirms places for applicants their organisations selected, up to the
    course's places: all of them or none.

    Side effects: the applications, an audit row each, an email to each applicant."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    chosen = list(
        Application.objects.select_for_update().filter(
            pk__in=[a.pk for a in applications], course=course
        )
    )
    if len(chosen) != len(applications) or any(a.status != Status.SELECTED for a in chosen):
        raise ValidationError(_("Choose applicants their organisations have selected."))
    free = free_places(course)
    if len(chosen) > free:
        raise ValidationError(
            _("You chose %(chosen)d, but only %(free)d places are free.")
            % {"chosen": len(chosen), "free": free}
        )
    for application in chosen:
        _set_status(application, Status.CONFIRMED, confirmed_at=timezone.now())
        audit(actor=by, action="application.confirm", obj=application, request=request)
        emails.to_applicant(application, "confirmed")
    return len(chosen)


@transaction.atomic
def offer_free_places(*, course: Course, by: User | None = None, now=None) -> list[Application]:
    """Offer each free place to the next on the waiting list (in the order the organisations
    put them there) by email, with a deadline to accept. No offers once the course has begun.

    Side effects: the applications (offered, with the deadline), audit rows, emails."""
    now = now or timezone.now()
    course = Course.objects.select_for_update().select_related("course_type").get(pk=course.pk)
    start = first_session_start(course)
    if start is not None and start <= now:
        return []
    deadline = now + timedelta(days=course.course_type.offer_days)
    if start is not None:
        deadline = min(deadline, start)
    offered = []
    for application in course.applications.waiting_list().select_for_update()[
        : free_places(course)
    ]:
        _set_status(application, Status.OFFERED, offer_expires_at=deadline)
        audit(actor=by, action="application.offer", obj=application)
        emails.to_applicant(application, "offered")
        offered.append(application)
    return offered


@transaction.atomic
def respond_to_offer(*, application: Application, accept: bool) -> Application:
    """The applicant accepts or declines an offered place before its deadline. A declined
    place is offered to the next one waiting.

    Side effects: the application, an audit row, emails."""
    application = _lock(application)
    if application.status != Status.OFFERED:
        raise ValidationError(_("There is no open offer of a place on this application."))
    if not application.offer_open:
        raise ValidationError(_("The offer has expired."))
    if accept:
        _set_status(application, Status.CONFIRMED, confirmed_at=timezone.now())
        emails.to_applicant(application, "confirmed")
    else:
        _set_status(application, Status.DECLINED)
        emails.to_applicant(application, "declined")
    audit(
        actor=None,
        action="application.offer." + ("accept" if accept else "decline"),
        obj=application,
    )
    if not accept:
        offer_free_places(course=application.course)
    return application


def expire_offers(*, now=None) -> int:
    """Expire the offers nobody accepted in time and offer those places to the next ones
    waiting. Runs from Celery beat; a second run finds nothing more to do.

    Side effects: applications expired and offered, audit rows, emails."""
    now = now or timezone.now()
    expired = 0
    for pk in Application.objects.filter(
        status=Status.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            if application.status != Status.OFFERED or application.offer_expires_at > now:
                continue
            _set_status(application, Status.EXPIRED)
            audit(actor=None, action="application.offer.expire", obj=application)
            emails.to_applicant(application, "expired")
            offer_free_places(course=application.course, now=now)
            expired += 1
    return expired


@transaction.atomic
def withdraw_application(*, application: Application, by: User | None = None) -> Application:
    """The applicant withdraws (from their own page). A place they held is offered to the
    next one waiting.

    Side effects: the application, an audit row, an email, offers."""
    application = _lock(application)
    if application.status not in Application.WITHDRAWABLE or application.completed_on:
        raise ValidationError(_("This application can no longer be withdrawn."))
    held_place = application.status in Application.HOLDS_PLACE
    _set_status(application, Status.WITHDRAWN)
    audit(actor=by, action="application.withdraw", obj=application)
    emails.to_applicant(application, "withdrawn")
    if held_place:
        offer_free_places(course=application.course)
    return application


@transaction.atomic
def cancel_participation(
    *, application: Application, by: User, note: str = "", request=None
) -> Application:
    """The coordinator cancels a participant's place (they told they cannot come); the place
    is offered to the next one waiting.

    Side effects: the application, an audit row, an email, offers."""
    application = _lock(application)
    if application.status not in Application.HOLDS_PLACE or application.completed_on:
        raise ValidationError(_("Only a place not yet completed can be cancelled."))
    _set_status(application, Status.WITHDRAWN, decision_note=note)
    audit(actor=by, action="application.cancel", obj=application, request=request)
    emails.to_applicant(application, "cancelled", note=note)
    offer_free_places(course=application.course, by=by)
    return application


def purge_unverified(*, now=None) -> int:
    """Delete applications whose address was not confirmed in a week: nobody saw them, and
    personal data is not kept without purpose. Side effects: rows deleted."""
    limit = (now or timezone.now()) - timedelta(days=UNVERIFIED_DAYS)
    count, _details = Application.objects.filter(
        status=Status.UNVERIFIED, created_at__lt=limit
    ).delete()
    return count
