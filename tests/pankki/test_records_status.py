"""Organisation contacts pause, reactivate and archive their experts, confirm records up to
date, record consents and invite experts to log in."""

import datetime

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from kotove.models import AuditEvent, Role, User
from pankki.models import Consent, Expert
from pankki.services import CONSENT_VERSION

from .factories import ExpertFactory, give_consent
from .test_records import RECORDS, TODAY, snapshot


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in the source language, so the assertions survive new translations."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


# Status ---------------------------------------------------------------------------------------


def status_url(expert):
    return reverse("pankki:record_status", args=[expert.pk])


@pytest.mark.parametrize("until", ["", "past", "today"])
def test_pause_requires_a_future_date(client_a, expert_a, until):
    date = {"": "", "past": TODAY() - datetime.timedelta(days=1), "today": TODAY()}[until]
    response = client_a.post(status_url(expert_a), {"status": "paused", "paused_until": date})
    assert response.status_code == 200
    assert 'id="id_paused_until_error"' in response.content.decode()
    expert_a.refresh_from_db()
    assert (expert_a.status, expert_a.paused_until) == (Expert.Status.ACTIVE, None)
    assert not AuditEvent.objects.exists()


def test_pause_and_reactivate(client_a, contact_a, expert_a):
    until = TODAY() + datetime.timedelta(days=60)
    response = client_a.post(status_url(expert_a), {"status": "paused", "paused_until": until})
    assert response.status_code == 302
    expert_a.refresh_from_db()
    assert (expert_a.status, expert_a.paused_until) == (Expert.Status.PAUSED, until)
    client_a.post(status_url(expert_a), {"status": "active", "paused_until": until})
    expert_a.refresh_from_db()
    assert (expert_a.status, expert_a.paused_until) == (Expert.Status.ACTIVE, None)
    actions = set(AuditEvent.objects.for_object(expert_a).values_list("action", flat=True))
    assert actions == {"expert.status.paused", "expert.status.active"}


def test_archive(client_a, expert_a):
    response = client_a.post(status_url(expert_a), {"status": "left"})
    assert response.status_code == 302
    expert_a.refresh_from_db()
    assert (expert_a.status, expert_a.left_on) == (Expert.Status.LEFT, TODAY())
    assert not Expert.objects.searchable().filter(pk=expert_a.pk).exists()


# Confirming up to date ------------------------------------------------------------------------


def test_bulk_confirm_only_confirms_own_experts(client_a, contact_a, org_a, expert_b):
    old = timezone.now() - datetime.timedelta(days=500)
    mine = ExpertFactory.create_batch(2, responsible_organisation=org_a, confirmed_at=old)
    expert_b.confirmed_at = old
    expert_b.save()
    response = client_a.post(
        reverse("pankki:record_confirm"),
        {"experts": [mine[0].pk, mine[1].pk, expert_b.pk], "next": RECORDS + "?stale=1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == RECORDS + "?stale=1"
    for expert in mine:
        expert.refresh_from_db()
        assert timezone.localdate(expert.confirmed_at) == TODAY()
        assert expert.confirmed_by == contact_a
    expert_b.refresh_from_db()
    assert expert_b.confirmed_at == old and expert_b.confirmed_by is None
    texts = [str(m) for m in response.context["messages"]]
    assert "2 records were confirmed up to date." in texts
    assert any(text.startswith("1 chosen record") for text in texts)
    assert AuditEvent.objects.filter(action="expert.confirm").count() == 2


def test_confirm_ignores_foreign_next_url(client_a, expert_a):
    response = client_a.post(
        reverse("pankki:record_confirm"),
        {"experts": [expert_a.pk], "next": "https://evil.example/"},
    )
    assert response["Location"] == RECORDS


def test_confirm_without_choice_changes_nothing(client_a, expert_a):
    before = snapshot(expert_a)
    response = client_a.post(reverse("pankki:record_confirm"), {"experts": ["x"]})
    assert response.status_code == 302
    assert snapshot(expert_a) == before


# Consent --------------------------------------------------------------------------------------


def consent_url(expert):
    return reverse("pankki:record_consent", args=[expert.pk])


def test_consent_give_withdraw_and_give_again_keeps_history(client_a, contact_a, expert_a):
    client_a.post(consent_url(expert_a), {"action": "give", "method": "paper"})
    first = Consent.objects.get()
    assert (first.method, first.recorded_by, first.withdrawn_at) == ("paper", contact_a, None)
    assert Expert.objects.searchable().filter(pk=expert_a.pk).exists()
    original = model_to_dict(first)

    client_a.post(consent_url(expert_a), {"action": "withdraw"})
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert {k: v for k, v in model_to_dict(first).items() if k != "withdrawn_at"} == {
        k: v for k, v in original.items() if k != "withdrawn_at"
    }
    assert not Expert.objects.searchable().filter(pk=expert_a.pk).exists()
    withdrawn = model_to_dict(first)

    client_a.post(consent_url(expert_a), {"action": "give", "method": "email"})
    first.refresh_from_db()
    assert model_to_dict(first) == withdrawn  # the history row is not edited
    assert Consent.objects.count() == 2
    assert Consent.objects.filter(withdrawn_at__isnull=True).get().method == "email"
    actions = list(
        AuditEvent.objects.for_object(expert_a)
        .order_by("created_at")
        .values_list("action", flat=True)
    )
    assert actions == ["consent.give", "consent.withdraw", "consent.give"]
    html = client_a.get(reverse("pankki:record_edit", args=[expert_a.pk])).content.decode()
    assert "Consent history" in html and '<th scope="col">' in html


@pytest.mark.parametrize(
    ("consents", "summary", "offers_record", "offers_withdraw"),
    [
        ([], "None: the expert is not shown in search", True, False),
        ([(CONSENT_VERSION, False)], "Valid", False, True),
        ([("2020-1", False)], "Valid", True, True),  # an older text: the new one can be given
        ([(CONSENT_VERSION, True), ("2020-1", True)], "None", True, False),
    ],
)
def test_the_record_page_offers_the_consent_actions_that_apply(
    client_a, expert_a, consents, summary, offers_record, offers_withdraw
):
    for version, withdrawn in consents:
        Consent.objects.create(
            expert=expert_a,
            text_version=version,
            method=Consent.Method.PAPER,
            withdrawn_at=timezone.now() if withdrawn else None,
        )

    html = client_a.get(reverse("pankki:record_edit", args=[expert_a.pk])).content.decode()

    assert f"<dt>Consent</dt>\n  <dd>{summary}" in html
    assert ("<h3>Record a consent</h3>" in html) == offers_record
    assert ("<h3>Withdraw the consent</h3>" in html) == offers_withdraw
    assert html.count('<th scope="row">') == len(consents)


def test_consent_needs_a_method(client_a, expert_a):
    response = client_a.post(consent_url(expert_a), {"action": "give"})
    assert response.status_code == 200
    assert 'id="id_method_error"' in response.content.decode()
    assert not Consent.objects.exists()


def test_nothing_to_withdraw_or_already_given_changes_nothing(client_a, expert_a):
    before = snapshot(expert_a)
    response = client_a.post(consent_url(expert_a), {"action": "withdraw"})
    assert "There is no valid consent to withdraw." in response.content.decode()
    assert snapshot(expert_a) == before
    give_consent(expert_a)
    before = snapshot(expert_a)
    response = client_a.post(consent_url(expert_a), {"action": "give", "method": "paper"})
    assert "A valid consent has already been recorded." in response.content.decode()
    assert snapshot(expert_a) == before


# Invitation -----------------------------------------------------------------------------------


def test_invite_creates_expert_user_and_emails(client_a, expert_a, on_commit):
    url = reverse("pankki:record_invite", args=[expert_a.pk])
    with on_commit():
        response = client_a.post(url)
    assert response.status_code == 302
    expert_a.refresh_from_db()
    user = expert_a.user
    assert user.email == expert_a.email
    assert user.roles.get().kind == Role.Kind.EXPERT
    (message,) = mail.outbox
    assert message.to == [expert_a.email]
    assert "/accounts/password/reset/key/" in message.body

    with on_commit():
        response = client_a.post(url, follow=True)
    assert "This expert already has a login." in [str(m) for m in response.context["messages"]]
    assert len(mail.outbox) == 1
    assert User.objects.filter(email=expert_a.email).count() == 1
