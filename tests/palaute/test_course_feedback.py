"""Course feedback: Celery beat emails each participant who attended an ended course their link
once, in their language, reminds once; the coordinator sees the answers combined."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kotove.models import AuditEvent, OutboundEmail
from koulutus.models import Application, Attendance
from palaute import course_services, tasks
from palaute.models import FeedbackForm, FeedbackLink, FormKind, Response

from ..factories import UserFactory
from ..koulutus.factories import (
    ApplicationFactory,
    CourseFactory,
    add_sessions,
    attend,
    days_from_today,
    participant,
)
from .factories import answer


@pytest.fixture
def coordinator(db):
    return UserFactory(first_name="Kaija", last_name="Koordinaattori")


@pytest.fixture
def course(coordinator):
    """A course whose last session was yesterday: three who attended (one of them Swedish,
    one with no attendance recorded), one absent throughout, one never confirmed."""
    course = CourseFactory(name="Peruskoulutus Tampere", coordinator=coordinator)
    first, last = add_sessions(
        course, [(days_from_today(-8), "9:00", "16:00"), (days_from_today(-1), "9:00", "16:00")]
    )
    anna = participant(course, first_name="Anna", email="anna@example.fi")
    britt = participant(course, first_name="Britt", email="britt@example.fi", language="sv")
    participant(course, first_name="Carl", email="carl@example.fi")  # nothing recorded
    absent = participant(course, first_name="Dan", email="dan@example.fi")
    attend(anna, first)
    attend(britt, first, status=Attendance.Status.ABSENT)
    attend(britt, last, status=Attendance.Status.PARTLY, minutes=60)
    attend(absent, first, status=Attendance.Status.ABSENT)
    attend(absent, last, status=Attendance.Status.ABSENT)
    ApplicationFactory(course=course, email="eeva@example.fi")  # waiting for a decision
    return course


def course_links(course):
    return {
        link.participant.email: link
        for link in FeedbackLink.objects.filter(
            participant__course=course, kind=FormKind.COURSE
        ).select_related("participant")
    }


def test_participants_who_attended_get_their_link_once_in_their_language(course, on_commit):
    with on_commit():
        tasks.send_course_feedback()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@example.fi",
        "britt@example.fi",
        "carl@example.fi",
    ]
    links = course_links(course)
    assert set(links) == {"anna@example.fi", "britt@example.fi", "carl@example.fi"}
    assert all(link.emailed_at and link.held_on == days_from_today(-1) for link in links.values())
    finnish = next(m for m in mail.outbox if m.to == ["anna@example.fi"])
    swedish = next(m for m in mail.outbox if m.to == ["britt@example.fi"])
    assert finnish.subject == "Palautteesi koulutuksesta Peruskoulutus Tampere"
    assert "Hei Anna," in finnish.body
    assert f"/palaute/vastaa/{links['anna@example.fi'].token}/" in finnish.body
    closes = (days_from_today(-1) + timedelta(days=30)).strftime("%-d.%-m.%Y")
    assert closes in finnish.body
    assert swedish.subject == "Din respons på utbildningen Peruskoulutus Tampere"
    assert "Hej Britt," in swedish.body
    assert OutboundEmail.objects.get(to="britt@example.fi").language == "sv"

    with on_commit():  # the next beat run
        tasks.send_course_feedback()
    assert len(mail.outbox) == 3
    assert OutboundEmail.objects.count() == 3


def test_nothing_is_sent_before_the_last_session_nor_after_the_links_close(course, settings):
    course.sessions.filter(date=days_from_today(-1)).update(date=days_from_today(0))
    assert course_services.send_course_feedback() == 0
    course.sessions.filter(date=days_from_today(0)).update(date=days_from_today(-31))
    course.sessions.filter(date=days_from_today(-8)).update(date=days_from_today(-40))
    assert course_services.send_course_feedback() == 0
    settings.FEEDBACK_LINK_DAYS = 31
    assert course_services.send_course_feedback() == 3
    assert not OutboundEmail.objects.filter(to="dan@example.fi").exists()


def test_a_cancelled_place_gets_no_link(course):
    Application.objects.filter(email="carl@example.fi").update(status=Application.Status.WITHDRAWN)
    assert course_services.send_course_feedback() == 2


def test_unanswered_links_are_reminded_once_after_seven_days(course, on_commit):
    course_services.send_course_feedback()
    links = course_links(course)
    answer(links["anna@example.fi"], overall=5, content=4, readiness=4, safety=5, arrangements=3)
    later = timezone.now() + timedelta(days=6)
    assert course_services.send_course_feedback_reminders(now=later) == 0
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=8)
    with on_commit():
        assert course_services.send_course_feedback_reminders(now=later) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["britt@example.fi", "carl@example.fi"]
    reminder = next(m for m in mail.outbox if m.to == ["carl@example.fi"])
    assert reminder.subject == "Muistutus: palautteesi koulutuksesta Peruskoulutus Tampere"
    assert f"/palaute/vastaa/{links['carl@example.fi'].token}/" in reminder.body
    assert course_services.send_course_feedback_reminders(now=later) == 0
    assert FeedbackLink.objects.filter(reminded_at__isnull=False).count() == 2


def test_participant_answers_once_without_signing_in(client, course):
    course_services.send_course_feedback()
    link = course_links(course)["anna@example.fi"]
    url = reverse("palaute:answer", args=[link.token])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Koulutuspalaute</h1>" in page
    assert "Peruskoulutus Tampere" in page
    form = FeedbackForm.objects.current_of(FormKind.COURSE)
    values = {f"q{q.pk}": "4" for q in form.questions.filter(kind="scale")}
    response = client.post(url, {"version": form.pk, **values})
    assert response.status_code == 302
    saved = Response.objects.get(link=link)
    assert saved.form == form
    assert sorted(saved.answers.values_list("number", flat=True)) == [4] * len(values)
    client.cookies.clear()  # another browser: the link takes one answer
    page = client.get(url).content.decode()
    assert "Lomakkeeseen on jo vastattu" in page
    assert Response.objects.filter(link=link).count() == 1


def test_closed_link_answers_410(client, course, settings):
    course_services.send_course_feedback()
    link = course_links(course)["anna@example.fi"]
    settings.FEEDBACK_LINK_DAYS = 0
    response = client.get(reverse("palaute:answer", args=[link.token]))
    assert response.status_code == 410
    assert "Peruskoulutus Tampere" in response.content.decode()


def _answers(course, count):
    course_services.send_course_feedback()
    extra = [participant(course, email=f"p{n}@example.fi") for n in range(max(0, count - 3))]
    links = list(course_links(course).values())
    for application in extra:
        links.append(
            FeedbackLink.objects.create(
                participant=application, kind=FormKind.COURSE, held_on=days_from_today(-1)
            )
        )
    for n, link in enumerate(links[:count]):
        answer(
            link,
            overall=5 - n % 2,
            content=4,
            readiness=4,
            safety=5,
            arrangements=3,
            most_useful=f"Vertaisten tarinat {n}",
        )


def test_coordinator_sees_only_the_count_below_five_answers(client, course, coordinator):
    _answers(course, 3)
    client.force_login(coordinator)
    page = client.get(reverse("palaute:course", args=[course.pk])).content.decode()
    assert "3 vastausta." in page
    assert "Luvut näytetään, kun vähintään 5 on vastannut." in page
    assert "/ 5" not in page
    assert "Vertaisten tarinat" not in page
    assert AuditEvent.objects.filter(action="feedback.view_course", actor=coordinator).count() == 1


def test_coordinator_sees_averages_and_comments_from_five_answers(
    client, course, coordinator, django_assert_max_num_queries
):
    _answers(course, 6)
    assert Response.objects.filter(link__participant__course=course).count() == 6
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("palaute:course", args=[course.pk])).content.decode()
    assert '<span class="figure">4,5</span> / 5' in page
    assert "Vertaisten tarinat 5" in page
    assert "6 vastausta" in page


def test_course_page_links_its_feedback_for_the_coordinator_only(client, course, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("koulutus:course_manage", args=[course.pk])).content.decode()
    assert f'href="{reverse("palaute:course", args=[course.pk])}"' in page
    trainer = UserFactory()
    course.trainers.add(trainer)
    client.force_login(trainer)
    page = client.get(reverse("koulutus:course_manage", args=[course.pk])).content.decode()
    assert reverse("palaute:course", args=[course.pk]) not in page
