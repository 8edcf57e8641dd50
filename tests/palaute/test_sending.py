"""Celery beat sends the orderer and the expert their links once, and reminds once."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from kotove.models import OutboundEmail
from kotove.tasks import flush_outbox
from palaute import services, tasks
from palaute.models import FeedbackLink
from pankki.models import Task

from ..factories import UserFactory
from ..pankki.factories import ExpertFactory
from ..pankki.task_factories import in_days
from .factories import TaskFactory, answer


@pytest.fixture
def task(db):
    expert = ExpertFactory(email="kaisa.kokemus@example.fi", first_name="Kaisa")
    return TaskFactory(
        expert=expert, orderer_email="tilaaja@example.fi", orderer_name="Tiina Tilaaja"
    )


@pytest.fixture
def midday():
    """Noon today: the tests that put a task's end an hour or minutes from now would cross
    midnight near it, and the task would be of another day."""
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    with freeze_time(noon):
        yield


def sent_to():
    return sorted(message.to[0] for message in mail.outbox)


def test_due_task_sends_orderer_and_expert_their_links_once(task, on_commit):
    with on_commit():
        tasks.send_feedback_links()
    assert sent_to() == ["kaisa.kokemus@example.fi", "tilaaja@example.fi"]
    links = {link.kind: link for link in FeedbackLink.objects.filter(task=task)}
    orderer_mail = next(m for m in mail.outbox if m.to == ["tilaaja@example.fi"])
    expert_mail = next(m for m in mail.outbox if m.to == ["kaisa.kokemus@example.fi"])
    assert orderer_mail.subject.startswith("Palautteenne kokemustoimijan tehtävästä")
    assert f"/palaute/vastaa/{links['orderer'].token}/" in orderer_mail.body
    assert "Hei Tiina," in orderer_mail.body
    assert f"/palaute/vastaa/{links['self_evaluation'].token}/" in expert_mail.body
    assert f"/palaute/vastaa/{links['listener'].token}/" in expert_mail.body
    assert f"/palaute/vastaa/{links['listener'].token}/tuloste.pdf" in expert_mail.body
    assert f"/palaute/keikat/{task.pk}/" in expert_mail.body
    assert links["orderer"].emailed_at and links["self_evaluation"].emailed_at

    with on_commit():  # the next beat run
        tasks.send_feedback_links()
    assert len(mail.outbox) == 2
    assert OutboundEmail.objects.count() == 2


def test_a_crash_between_outbox_row_and_sending_sends_each_email_once(
    task, on_commit, django_capture_on_commit_callbacks
):
    # The worker dies after the transaction commits, before the queued send runs.
    with django_capture_on_commit_callbacks(execute=False):
        tasks.send_feedback_links()
    assert mail.outbox == []
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count() == 2
    with on_commit():  # beat runs again: the rows exist, nothing new is queued
        tasks.send_feedback_links()
    assert OutboundEmail.objects.count() == 2
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    flush_outbox()  # the outbox flush sends what was left waiting
    flush_outbox()
    assert sent_to() == ["kaisa.kokemus@example.fi", "tilaaja@example.fi"]


def test_emails_go_in_the_recipients_language(db, on_commit):
    orderer = UserFactory(email="bestallare@example.fi", language="sv", first_name="Björn")
    expert = ExpertFactory(email="expert@example.fi", user=UserFactory(language="sv"))
    TaskFactory(
        expert=expert,
        orderer_user=orderer,
        orderer_email=orderer.email,
        orderer_language="sv",
        orderer_name="Björn Beställare",
    )
    with on_commit():
        services.send_feedback_links()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["bestallare@example.fi"].startswith("Er respons på erfarenhetsaktörens uppdrag")
    assert subjects["expert@example.fi"].startswith("Responslänkarna för ditt uppdrag")


@pytest.mark.usefixtures("midday")
def test_tasks_not_due_cancelled_or_closed_send_nothing(db, on_commit, settings):
    now = timezone.localtime()
    TaskFactory(date=in_days(2))  # upcoming
    TaskFactory(date=now.date(), end_time=(now + timedelta(hours=1)).time())  # going on
    TaskFactory(status=Task.Status.CANCELLED, cancelled_at=now)
    TaskFactory(date=in_days(-settings.FEEDBACK_LINK_DAYS - 1))  # its links have closed
    with on_commit():
        assert services.send_feedback_links() == 0
    assert mail.outbox == []


@pytest.mark.usefixtures("midday")
def test_task_marked_done_today_is_due_at_once(db, on_commit):
    now = timezone.localtime()
    TaskFactory(
        date=now.date(),
        end_time=(now + timedelta(hours=1)).time(),
        status=Task.Status.DONE,
        done_at=now,
    )
    with on_commit():
        assert services.send_feedback_links() == 2
    assert len(mail.outbox) == 2


@pytest.mark.usefixtures("midday")
def test_task_is_due_once_its_end_time_has_passed(db, on_commit):
    now = timezone.localtime()
    TaskFactory(date=now.date(), end_time=(now - timedelta(minutes=5)).time())
    with on_commit():
        assert services.send_feedback_links() == 2


def test_one_reminder_after_a_week_to_whoever_has_not_answered(task, on_commit):
    with on_commit():
        services.send_feedback_links()
    links = services.ensure_links(task=task)
    answer(links["self_evaluation"], audience_count=1, preparation=5, success=4, wellbeing=4)
    mail.outbox.clear()
    six_days = timezone.now() + timedelta(days=6)
    with on_commit():
        assert services.send_feedback_reminders(now=six_days) == 0
    eight_days = timezone.now() + timedelta(days=8)
    with on_commit():
        services.send_feedback_reminders(now=eight_days)
        services.send_feedback_reminders(now=eight_days)
        tasks.send_feedback_reminders()
    assert sent_to() == ["tilaaja@example.fi"]
    assert mail.outbox[0].subject.startswith("Muistutus: palautteenne")
    assert "Tämä on ainoa muistutus." in mail.outbox[0].body
