"""Meetings: invitations with calendar files, answers, reminders, minutes, attachments."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alueet.models import Attachment, Invitation, Meeting, Membership, Minutes
from alueet.services import meetings as services
from kotove.models import OutboundEmail, Role
from tests.factories import UserFactory

from .factories import MeetingFactory, MembershipFactory, TermFactory


@pytest.fixture
def term(pirkanmaa):
    term = TermFactory(group=pirkanmaa)
    MembershipFactory(term=term, first_name="Aino", email="aino@example.fi")
    MembershipFactory(term=term, first_name="Bertta", email="bertta@example.fi", language="sv")
    MembershipFactory(term=term, first_name="Poissa", email="poissa@example.fi",
                      ended_on=timezone.localdate() - datetime.timedelta(days=30))  # fmt: skip
    return term


def meeting_data(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "title": "Kevään kokous",
        "date": day.isoformat(),
        "starts": "13:00",
        "ends": "15:00",
        "place": "Tampereen pääkirjasto Metso",
        "online_link": "",
        "agenda": "Kokouksen avaus\n\nVirkistyspäivän suunnittelu\n  Muut asiat  ",
        "description": "",
        "send": "on",
    }
    data.update(overrides)
    return data


def calendar_of(email: OutboundEmail) -> Calendar:
    (attachment,) = email.attachments
    assert attachment["filename"] == "invite.ics"
    return Calendar.from_ical(attachment["content"])


def test_secretary_schedules_a_meeting_and_members_get_calendar_invitations(
    client, secretary_x, term, on_commit
):
    client.force_login(secretary_x)
    with on_commit():
        response = client.post(
            reverse("alueet:meeting_create", args=[term.group.pk]), meeting_data()
        )
    meeting = Meeting.objects.get()
    assert response.url == reverse("alueet:meeting_detail", args=[meeting.pk])
    assert [i.title for i in meeting.agenda_items.all()] == [
        "Kokouksen avaus",
        "Virkistyspäivän suunnittelu",
        "Muut asiat",
    ]
    emails = {e.to: e for e in OutboundEmail.objects.all()}
    assert set(emails) == {"aino@example.fi", "bertta@example.fi"}  # not the one who left
    assert len(mail.outbox) == 2
    aino = emails["aino@example.fi"]
    invitation = Invitation.objects.get(membership__email="aino@example.fi")
    assert reverse("alueet:rsvp", args=[invitation.token]) in aino.body
    assert "2. Virkistyspäivän suunnittelu" in aino.body
    assert emails["bertta@example.fi"].subject.startswith("Inbjudan")
    calendar = calendar_of(aino)
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert str(event["SUMMARY"]) == "Kevään kokous – Pirkanmaa"
    assert str(event["LOCATION"]) == "Tampereen pääkirjasto Metso"
    assert str(event["ATTENDEE"]) == "mailto:aino@example.fi"
    assert reverse("alueet:rsvp", args=[invitation.token]) in str(event["DESCRIPTION"])
    sent = mail.outbox[0]
    assert sent.attachments[0].mimetype == "text/calendar; method=REQUEST"


def test_invitations_are_idempotent(client, secretary_x, term, on_commit):
    meeting = MeetingFactory(group=term.group, invited_at=timezone.now())
    with on_commit():
        assert services.email_invitations(meeting_id=meeting.pk) == 2
        assert services.email_invitations(meeting_id=meeting.pk) == 2  # a rerun or retry
        services.send_invitations(meeting=meeting, by=secretary_x)
    assert OutboundEmail.objects.count() == 2
    assert len(mail.outbox) == 2
    assert Invitation.objects.count() == 2
    # a member added later gets the invitation on the next run, the others nothing new
    MembershipFactory(term=term, email="uusi@example.fi")
    with on_commit():
        services.send_invitations(meeting=meeting, by=secretary_x)
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "aino@example.fi",
        "bertta@example.fi",
        "uusi@example.fi",
    ]


def test_changes_and_cancellation_update_the_calendars(client, secretary_x, term, on_commit):
    client.force_login(secretary_x)
    with on_commit():
        client.post(reverse("alueet:meeting_create", args=[term.group.pk]), meeting_data())
    meeting = Meeting.objects.get()
    invitation = Invitation.objects.get(membership__email="aino@example.fi")
    services.answer_invitation(token=invitation.token, response="yes")
    # a new place: an update with SEQUENCE 1, answers kept
    with on_commit():
        client.post(reverse("alueet:meeting_edit", args=[meeting.pk]),
                    meeting_data(place="Tampere-talo", send=""))  # fmt: skip
    update = OutboundEmail.objects.get(to="aino@example.fi", subject__startswith="Muuttunut")
    (event,) = calendar_of(update).walk("VEVENT")
    assert (event["SEQUENCE"], str(event["LOCATION"])) == (1, "Tampere-talo")
    invitation.refresh_from_db()
    assert invitation.response == "yes"
    # a new time: SEQUENCE 2 and everyone answers again with a new link
    old_token = invitation.token
    with on_commit():
        client.post(reverse("alueet:meeting_edit", args=[meeting.pk]),
                    meeting_data(place="Tampere-talo", starts="14:00", ends="16:00"))  # fmt: skip
    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at) == ("", None)
    assert invitation.token != old_token
    latest = OutboundEmail.objects.filter(to="aino@example.fi").order_by("-pk").first()
    assert invitation.token in latest.body
    (event,) = calendar_of(latest).walk("VEVENT")
    assert event["SEQUENCE"] == 2
    # cancelled: METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE 3, same UID
    with on_commit():
        client.post(
            reverse("alueet:meeting_cancel", args=[meeting.pk]), {"reason": "Sairastumisia"}
        )
    cancellation = OutboundEmail.objects.get(to="aino@example.fi", subject__startswith="Peruttu")
    calendar = calendar_of(cancellation)
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL"
    assert (str(event["STATUS"]), event["SEQUENCE"], str(event["UID"])) == (
        "CANCELLED",
        3,
        meeting.uid,
    )
    assert "Sairastumisia" in cancellation.body
    assert OutboundEmail.objects.filter(to="aino@example.fi").count() == 4
    assert mail.outbox[-1].attachments[0].mimetype == "text/calendar; method=CANCEL"


def test_a_member_answers_once_without_logging_in(client, term):
    meeting = MeetingFactory(group=term.group, invited_at=timezone.now())
    services.email_invitations(meeting_id=meeting.pk)
    invitation = Invitation.objects.get(membership__email="aino@example.fi")
    url = reverse("alueet:rsvp", args=[invitation.token])
    page = client.get(url).content.decode()
    assert "Tampereen pääkirjasto Metso" in page and "Aino" in page
    response = client.post(url, {"note": "Myöhästyn"})
    assert "Choose your answer." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.responded_at is None
    response = client.post(url, {"response": "maybe", "note": "Myöhästyn"}, follow=True)
    assert "Thank you, your answer was recorded." in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.response, invitation.note) == ("maybe", "Myöhästyn")
    # the used link says so and changes nothing
    response = client.post(url, {"response": "no"})
    assert response.status_code == 409
    assert "This answer link has been used already" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == "maybe"
    # an unknown link
    response = client.post(reverse("alueet:rsvp", args=["tuntematon"]), {"response": "yes"})
    assert response.status_code == 404
    assert "This answer link is not valid" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"


def test_reminder_two_days_before_to_those_who_have_not_answered(term, on_commit):
    now = timezone.now()
    soon = MeetingFactory(group=term.group, invited_at=now,
                          starts_at=now + datetime.timedelta(hours=40),
                          ends_at=now + datetime.timedelta(hours=42))  # fmt: skip
    later = MeetingFactory(group=term.group, invited_at=now,
                           starts_at=now + datetime.timedelta(days=5),
                           ends_at=now + datetime.timedelta(days=5, hours=2))  # fmt: skip
    services.email_invitations(meeting_id=soon.pk)
    services.email_invitations(meeting_id=later.pk)
    answered = Invitation.objects.get(meeting=soon, membership__email="aino@example.fi")
    services.answer_invitation(token=answered.token, response="yes")
    OutboundEmail.objects.all().delete()
    with on_commit():
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0  # the next hour's run
    (reminder,) = OutboundEmail.objects.all()
    assert (reminder.to, reminder.language) == ("bertta@example.fi", "sv")
    pending = Invitation.objects.get(meeting=soon, membership__email="bertta@example.fi")
    assert pending.token in reminder.body


def test_minutes_are_published_to_the_members(client, secretary_x, term, on_commit):
    member = Membership.objects.get(email="aino@example.fi")
    member.user = UserFactory(email="aino@example.fi")
    member.save()
    Role.objects.create(user=member.user, kind=Role.Kind.REGIONAL_MEMBER, area=term.group.area)
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = MeetingFactory(group=term.group, starts_at=start,
                             ends_at=start + datetime.timedelta(hours=2))  # fmt: skip
    client.force_login(secretary_x)
    url = reverse("alueet:minutes_edit", args=[meeting.pk])
    client.post(url, {"present": [member.pk], "other_attendees": "Vieras Vierailija",
                      "decisions": "1. Päätettiin virkistyspäivästä."})  # fmt: skip
    minutes = Minutes.objects.get()
    assert [m.email for m in minutes.present.all()] == ["aino@example.fi"]
    reader = client.__class__()
    reader.force_login(member.user)
    detail = reverse("alueet:meeting_detail", args=[meeting.pk])
    assert "Päätettiin virkistyspäivästä" not in reader.get(detail).content.decode()
    with on_commit():
        client.post(reverse("alueet:minutes_publish", args=[meeting.pk]))
    assert "Päätettiin virkistyspäivästä" in reader.get(detail).content.decode()
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "aino@example.fi",
        "bertta@example.fi",
    ]
    # published minutes are not changed
    response = client.post(url, {"decisions": "Muutettu"})
    assert response.status_code == 404
    minutes.refresh_from_db()
    assert minutes.decisions == "1. Päätettiin virkistyspäivästä."


def test_attachments_are_checked_and_served_only_to_those_allowed(
    client, secretary_x, secretary_y, term
):
    meeting = MeetingFactory(group=term.group)
    client.force_login(secretary_x)
    url = reverse("alueet:attachment_add", args=[meeting.pk])
    fake = SimpleUploadedFile("lasku.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"file": fake})
    assert "The file&#x27;s content does not match its type." in response.content.decode()
    script = SimpleUploadedFile("ohje.html", b"<script>", content_type="text/html")
    assert "Use a PDF, Word" in client.post(url, {"file": script}).content.decode()
    big = SimpleUploadedFile("iso.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert "larger than 10" in client.post(url, {"file": big}).content.decode()
    assert not Attachment.objects.exists()
    pdf = SimpleUploadedFile("Asialista.pdf", b"%PDF-1.7 asialista")
    client.post(url, {"file": pdf})
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type) == ("Asialista.pdf", "application/pdf")
    assert attachment.file.name != "Asialista.pdf"
    download = reverse("alueet:attachment_download", args=[attachment.pk])
    response = client.get(download)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 asialista"
    assert 'filename="Asialista.pdf"' in response["Content-Disposition"]
    other = client.__class__()
    other.force_login(secretary_y)
    assert other.get(download).status_code == 404
    assert other.post(reverse("alueet:attachment_delete", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.count() == 1


def test_year_view_counts_held_meetings_against_the_target(
    client, secretary_x, term, django_assert_max_num_queries
):
    now = timezone.now()
    year = timezone.localdate().year
    for days in (-60, -30, 30):
        start = now + datetime.timedelta(days=days)
        if start.year == year:
            MeetingFactory(group=term.group, starts_at=start,
                           ends_at=start + datetime.timedelta(hours=2))  # fmt: skip
    meetings = Meeting.objects.filter(starts_at__year=year)
    held = sum(1 for m in meetings if m.ends_at < now)
    client.force_login(secretary_x)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("alueet:meeting_year", args=[term.group.pk]))
    page = response.content.decode()
    assert f"{held} meeting" in page
    assert "The guide's target is 4–5 meetings a year." in page
    assert "Fewer meetings than the target" in page
