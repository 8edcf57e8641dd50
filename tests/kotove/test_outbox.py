from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kotove import services, tasks
from kotove.emails import queue_email
from kotove.models import OutboundEmail

CONTEXT = {"access_request": {"name": "Vera", "decision_note": ""}}


def queue(key="k1", language="fi"):
    return queue_email(
        key=key,
        to="vera@example.fi",
        template="kotove/email/access_request_declined",
        context=CONTEXT,
        language=language,
    )


def test_same_key_is_stored_and_sent_once(db, on_commit):
    with on_commit():
        first = queue()
        second = queue()
    assert first.pk == second.pk
    services.send_outbound_email(email_id=first.pk)  # a rerun of the task
    tasks.flush_outbox()
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert (first.status, first.attempts) == (OutboundEmail.Status.SENT, 1)


def test_email_is_rendered_in_the_recipients_language(db):
    assert queue(key="fi", language="fi").body.startswith("Hei Vera")
    assert queue(key="sv", language="sv").body.startswith("Hej Vera")


def test_failed_send_stays_waiting_and_gives_up_after_five_attempts(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    email = queue()
    for attempt in range(1, 6):
        services.send_outbound_email(email_id=email.pk)
        email.refresh_from_db()
        assert email.attempts == attempt
        assert email.last_error
    assert email.status == OutboundEmail.Status.FAILED


@pytest.mark.parametrize(("age_minutes", "sent"), [(1, 0), (10, 1)])
def test_beat_sends_what_a_lost_task_left_waiting(db, age_minutes, sent):
    email = queue()  # queued without on_commit running: the task never ran
    OutboundEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - timedelta(minutes=age_minutes)
    )
    tasks.flush_outbox()
    assert len(mail.outbox) == sent


def test_subject_and_body_are_plain_text_not_escaped_html(db):
    """Titles and names go into emails as written: "Joulu & glögi", not "Joulu &amp; glögi"."""
    email = queue_email(
        key="plain",
        to="vera@example.fi",
        template="kotove/email/access_request_new",
        context={
            "access_request": {
                "organisation_name": "Hoiva & Hyvä 'Oy' <b>",
                "name": "Vera O'Brien",
                "email": "vera@example.fi",
            },
            "admin_url": "https://example.fi/admin/",
        },
        language="fi",
    )
    assert "Hoiva & Hyvä 'Oy' <b>" in email.subject
    assert "&amp;" not in email.subject + email.body and "&#x27;" not in email.subject
