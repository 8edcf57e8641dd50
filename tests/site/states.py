"""Objects in the states the demo data lacks, and the pages that show them in that state.

The crawl visits each URL name a bounded number of times per role (tests/site/crawler.py), so
a page whose links and forms depend on its object's state (a draft to send, a lot to draw, an
application to decide) is visited here once per state: these pages are visited as every role
besides what the links lead to. Emails queued here (invitations, announcements, mailings)
bring the pages reached only by their links (answering without logging in, unsubscribing).
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from kotove.models import Role, User


def pankki(users: dict[str, User | None]) -> list[str]:
    """A saved search, photos, a pending request (it can be withdrawn) and a task today (it can
    be marked done) between the demo orderer and expert."""
    from pankki.models import Expert, SavedSearch
    from tests.kotove.test_personal_data import jpeg
    from tests.pankki.task_factories import TaskFactory, TaskRequestFactory, in_days

    orderer, expert_user = users[Role.Kind.ORDERER], users[Role.Kind.EXPERT]
    expert = Expert.objects.get(user=expert_user)
    organisation = orderer.roles.get(kind=Role.Kind.ORDERER).orderer_organisation
    if not SavedSearch.objects.exists():
        SavedSearch.objects.create(user=orderer, name="Haku", query="language=sv")
    photo = jpeg().read()
    for each in Expert.objects.filter(photo=""):
        each.photo.save("kuva.jpg", ContentFile(photo))
    request = TaskRequestFactory(
        orderer_organisation=organisation, created_by=orderer, experts=[expert]
    )
    task = TaskFactory(
        expert=expert, orderer_user=orderer, orderer_organisation=organisation, date=in_days(0)
    )
    return [
        reverse("pankki:request_detail", args=[request.pk]),
        reverse("pankki:task_detail", args=[task.pk]),
    ]


def alueet(users: dict[str, User | None]) -> list[str]:
    """In Pirkanmaa (the demo secretary's and chair's group): a held meeting with draft minutes
    and an attachment, an organising meeting with its seats decided, one with its lists frozen
    and one lot of two drawn, a draft and a granted development grant, and an event the demo
    expert can register for. The upcoming meeting's invitations and the open organising
    meeting's announcement (nomination links, unsubscribe links) are emailed."""
    from alueet.models import (
        Attachment,
        GrantApplication,
        Meeting,
        Minutes,
        OrganisingMeeting,
        RegionalEvent,
        SeatCategory,
    )
    from alueet.services import meetings, organising
    from pankki.models import Expert
    from tests.alueet.factories import (
        EventFactory,
        MeetingFactory,
        NominationFactory,
        OrganisingMeetingFactory,
        group,
    )

    planner = users[Role.Kind.PLANNER]
    pirkanmaa = group("Pirkanmaa")
    now = timezone.now()
    held = MeetingFactory(
        group=pirkanmaa,
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3, hours=-2),
        invited_at=now - datetime.timedelta(days=20),
    )
    Minutes.objects.create(meeting=held, decisions="1. Hyväksyttiin esityslista.")
    Attachment.objects.create(
        meeting=held,
        file=ContentFile(b"%PDF-1.4 asialista", name="asialista.pdf"),
        name="asialista.pdf",
        size=18,
        content_type="application/pdf",
    )

    def organising_meeting(*, draw: bool) -> OrganisingMeeting:
        meeting = OrganisingMeetingFactory(
            group=pirkanmaa, announced=True, nominations_closed_at=now
        )
        for category, count in ((SeatCategory.ORGANISATION, 3), (SeatCategory.UNIT, 2)):
            for _ in range(count):
                NominationFactory(organising_meeting=meeting, category=category)
        seats = {SeatCategory.ORGANISATION: 2, SeatCategory.UNIT: 1, SeatCategory.EXPERT: 0}
        organising.record_seats(organising_meeting=meeting, seats=seats, by=planner)
        if draw:
            organising.freeze_candidate_lists(organising_meeting=meeting, by=planner)
            organising.record_draw(
                organising_meeting=meeting,
                category=SeatCategory.ORGANISATION,
                drawn_at=now,
                witnesses=[("Maija Meikäläinen", "3 5 1"), ("Pekka Virtanen", "6 2 4")],
                by=planner,
            )
        return meeting

    seated, drawn = organising_meeting(draw=False), organising_meeting(draw=True)
    grants = [
        GrantApplication.objects.create(
            group=pirkanmaa, year=now.year, purpose="Virkistyspäivä", amount=300
        ),
        GrantApplication.objects.create(
            group=pirkanmaa,
            year=now.year,
            purpose="Täydentävä koulutus",
            amount=500,
            status=GrantApplication.Status.GRANTED,
            granted_amount=500,
            decided_at=now,
        ),
    ]
    expert = Expert.objects.get(user=users[Role.Kind.EXPERT])
    own_group = RegionalEvent.objects.for_expert(expert).first().group
    event = EventFactory(group=own_group, title="Kevään virkistyspäivä", capacity=20)
    # And the demo's own: the upcoming meeting, the open organising meeting, the grant waiting
    # for the decision and the event the demo expert has registered for.
    upcoming = Meeting.objects.filter(group=pirkanmaa, starts_at__gt=now).first()
    meetings.email_invitations(meeting_id=upcoming.pk)
    announced = OrganisingMeeting.objects.get(group=pirkanmaa, nominations_closed_at=None)
    organising.email_announcement(organising_meeting_id=announced.pk)
    grants.append(GrantApplication.objects.get(status=GrantApplication.Status.SUBMITTED))
    registered = RegionalEvent.objects.filter(registrations__expert=expert).first()
    return [
        *(reverse("alueet:meeting_detail", args=[m.pk]) for m in (held, upcoming)),
        *(reverse("alueet:organising_detail", args=[m.pk]) for m in (announced, seated, drawn)),
        *(reverse("alueet:grant_detail", args=[grant.pk]) for grant in grants),
        *(reverse("alueet:event_detail", args=[e.pk]) for e in (event, registered)),
    ]


def koulutus(users: dict[str, User | None]) -> list[str]:
    """An open course (to apply to), an application the demo contact decides, the secret-link
    page of a completed one (its certificate) and a recognition waiting for the decision with
    an attachment."""
    from koulutus.models import Application, Course, RecognitionApplication, RecognitionAttachment

    contact = users[Role.Kind.ORGANISATION_CONTACT]
    organisation = contact.roles.get(kind=Role.Kind.ORGANISATION_CONTACT).member_organisation
    open_course = next(c for c in Course.objects.published().order_by("pk") if c.is_open())
    submitted = Application.objects.filter(
        organisation=organisation, status=Application.Status.SUBMITTED
    ).first()
    completed = Application.objects.filter(completed_on__isnull=False).first()
    recognition = RecognitionApplication.objects.filter(
        organisation=organisation, status=RecognitionApplication.Status.SUBMITTED
    ).first()
    RecognitionAttachment.objects.create(
        application=recognition,
        file=ContentFile(b"%PDF-1.4 todistus", name="todistus.pdf"),
        original_name="todistus.pdf",
        content_type="application/pdf",
        size=17,
    )
    return [
        reverse("koulutus:course", args=[open_course.pk]),
        reverse("koulutus:application", args=[submitted.pk]),
        reverse("koulutus:application_status", args=[completed.token]),
        reverse("koulutus:recognition", args=[recognition.pk]),
    ]


def palaute(users: dict[str, User | None]) -> list[str]:
    """A built network report (its files, status and the planner's list of experts without a
    task) and one whose build failed (it can be started again). The year has no data, so the
    build is quick."""
    from palaute import report_services
    from palaute.models import Report

    planner = users[Role.Kind.PLANNER]
    built, _created = report_services.request_report(
        by=planner, year=2016, scope=Report.Scope.NETWORK
    )
    report_services.build_report(report_id=built.pk)
    failed = Report.objects.create(
        year=2015,
        scope=Report.Scope.NETWORK,
        for_planner=True,
        requested_by=planner,
        status=Report.Status.FAILED,
        attempts=1,
        error="OSError: [Errno 28] No space left on device",
    )
    return [
        reverse("palaute:report", args=[built.pk]),
        reverse("palaute:report_status", args=[built.pk]),
        reverse("palaute:report", args=[failed.pk]),
    ]
