"""Retention jobs, run with a frozen clock: what has passed its time is erased, once."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from freezegun import freeze_time

from kotove import services, tasks
from kotove.models import AccessRequest, AuditEvent, OutboundEmail
from kotove.personal_data import ERASED, ERASED_DOMAIN, registry
from pankki.models import Consent, Expert
from tests.pankki.factories import ExpertFactory, give_consent

START = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)


def at(days: int) -> datetime.datetime:
    return START + datetime.timedelta(days=days)


def test_defaults_are_the_documented_ones():
    assert (
        settings.RETENTION_LEFT_EXPERT_DAYS,
        settings.RETENTION_DECLINED_ACCESS_REQUEST_DAYS,
        settings.RETENTION_UNSELECTED_APPLICATION_DAYS,
        settings.RETENTION_FEEDBACK_TEXT_DAYS,
        settings.RETENTION_AUDIT_LOG_DAYS,
        settings.RETENTION_OUTBOX_DAYS,
    ) == (730, 365, 365, 1826, 1826, 180)
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == "kotove.apply_retention"
    assert {"left_experts", "declined_access_requests"} <= {r.name for r in registry().retention}


@pytest.fixture
def left(db, planner):
    """Two experts who left on START and one still active, with consents and audit rows."""
    with freeze_time(START):
        gone, recent, active = (
            ExpertFactory(first_name="Kaisa", last_name="Lähtenyt", status=Expert.Status.LEFT),
            ExpertFactory(first_name="Liisa", last_name="Lähtenyt", status=Expert.Status.LEFT),
            ExpertFactory(first_name="Aktiivi", last_name="Aktiivinen"),
        )
        Expert.objects.filter(pk=gone.pk).update(left_on=START.date())
        Expert.objects.filter(pk=recent.pk).update(left_on=(START + datetime.timedelta(2)).date())
        for expert in (gone, recent, active):
            give_consent(expert)
            services.audit(actor=planner, action="expert.update", obj=expert)
    return gone, recent, active


def test_experts_who_left_two_years_ago_are_anonymised_once(left):
    gone, recent, active = left
    with freeze_time(at(730)):
        assert tasks.apply_retention.delay() is not None  # runs eagerly in tests
    gone.refresh_from_db()
    assert (gone.first_name, gone.last_name) == (ERASED, "")
    assert gone.email.endswith(ERASED_DOMAIN)
    assert not Consent.objects.filter(expert=gone).exists()
    for expert in (recent, active):  # not yet two years; still active
        expert.refresh_from_db()
        assert expert.first_name in ("Liisa", "Aktiivi")
        assert Consent.objects.filter(expert=expert).exists()
    assert AuditEvent.objects.get(object_id=str(gone.pk)).object_repr == ERASED
    assert AuditEvent.objects.get(object_id=str(recent.pk)).object_repr == "Liisa Lähtenyt"
    run = AuditEvent.objects.get(action="retention.left_experts")
    assert (run.actor, run.data) == (None, {"count": 1, "days": 730})

    with freeze_time(at(731)):  # the next night: the first is not anonymised again
        assert services.personal_data.apply_retention()["left_experts"] == 0
    with freeze_time(at(732)):  # two years after the second left
        assert services.personal_data.apply_retention()["left_experts"] == 1
    assert AuditEvent.objects.filter(action="retention.left_experts").count() == 2


def test_retention_time_comes_from_settings(left, settings):
    settings.RETENTION_LEFT_EXPERT_DAYS = 30
    with freeze_time(at(31)):
        counts = services.personal_data.apply_retention()
    assert counts["left_experts"] == 1


@pytest.fixture
def requests_(db, planner):
    with freeze_time(START):
        rows = {
            status: AccessRequest.objects.create(
                name=f"Pyytäjä {status}",
                email=f"{status}@example.fi",
                organisation_name="Yritys",
                reason="Testi",
            )
            for status in ("declined", "approved", "pending")
        }
        services.decline_access_request(access_request=rows["declined"], by=planner)
        AccessRequest.objects.filter(pk=rows["approved"].pk).update(
            status=AccessRequest.Status.APPROVED, decided_at=timezone.now()
        )
    return rows


def test_declined_access_requests_are_deleted_after_a_year(requests_):
    with freeze_time(at(364)):
        assert services.personal_data.apply_retention()["declined_access_requests"] == 0
    with freeze_time(at(366)):
        assert services.personal_data.apply_retention()["declined_access_requests"] == 1
    assert sorted(AccessRequest.objects.values_list("status", flat=True)) == [
        "approved",
        "pending",
    ]
    decline = AuditEvent.objects.get(action="access_request.declined")
    assert decline.object_repr == ERASED


def test_sent_emails_and_old_audit_rows_expire(db, planner):
    with freeze_time(START):
        sent = OutboundEmail.objects.create(
            idempotency_key="a", to="x@example.fi", language="fi", subject="s", body="b"
        )
        OutboundEmail.objects.filter(pk=sent.pk).update(status=OutboundEmail.Status.SENT)
        OutboundEmail.objects.create(
            idempotency_key="b", to="y@example.fi", language="fi", subject="s", body="b"
        )  # still waiting: kept
        services.audit(actor=planner, action="old.event")
    with freeze_time(at(181)):
        services.personal_data.apply_retention()
    assert list(OutboundEmail.objects.values_list("idempotency_key", flat=True)) == ["b"]
    assert AuditEvent.objects.filter(action="old.event").exists()
    with freeze_time(at(1827)):
        services.personal_data.apply_retention()
    assert not AuditEvent.objects.filter(action="old.event").exists()
