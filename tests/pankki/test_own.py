"""Experts keep their own profile, availability and consent; contacts get monthly reminders."""

import datetime
import json

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape

from kotove.models import AuditEvent
from pankki import services
from pankki.models import Consent, Expert, LifeSituation, Theme
from tests.factories import UserFactory

from .factories import ExpertFactory, give_consent, municipality
from .task_factories import TaskFactory, TaskRequestFactory

PROFILE = reverse("pankki:own_profile")
CONSENT = reverse("pankki:own_consent")
DATA = reverse("pankki:own_data")


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def own(expert_user, org_a, org_b):
    return ExpertFactory(
        user=expert_user,
        responsible_organisation=org_a,
        other_organisations=[org_b],
        first_name="Kaisa",
        last_name="Kokemus",
        themes=[Theme.objects.get(name_fi="Afasia")],
        life_situations=[LifeSituation.objects.get(name_fi="Opiskelu")],
    )


@pytest.fixture
def expert_client(client, expert_user, own):
    client.force_login(expert_user)
    return client


def profile_data(**overrides):
    data = {
        "presentation_fi": "Uusi esittely.",
        "presentation_sv": "Ny presentation.",
        "phone": "+358 50 765 4321",
        "contact_visibility": Expert.ContactVisibility.DIRECT,
        "online": "on",
        "travel_municipalities": [municipality("Tampere").pk, municipality("Helsinki").pk],
        "languages": ["fi", "en"],
        "other_languages": "viro",
        "show_health_data": "on",
    }
    data.update(overrides)
    return data


def test_expert_edits_own_profile(expert_client, expert_user, own):
    page = expert_client.get(PROFILE)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert escape(services.CONSENT_TEXT["en"]) in html
    response = expert_client.post(PROFILE, profile_data(first_name="Hakkeri"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.presentation_fi == "Uusi esittely."
    assert own.phone == "+358 50 765 4321"
    assert own.contact_visibility == Expert.ContactVisibility.DIRECT
    assert own.languages == ["fi", "en"]
    assert own.show_health_data is True
    assert sorted(m.name_fi for m in own.travel_municipalities.all()) == ["Helsinki", "Tampere"]
    assert own.first_name == "Kaisa"  # not the expert's to change here
    assert [t.name_fi for t in own.themes.all()] == ["Afasia"]  # kept
    event = AuditEvent.objects.for_object(own).get()
    assert (event.action, event.actor) == ("expert.update", expert_user)


def test_the_profile_speaks_to_the_expert_in_swedish(expert_client):
    page = expert_client.get(reverse("pankki:own_profile"), HTTP_ACCEPT_LANGUAGE="sv")
    html = page.content.decode()
    assert "Landskap dit jag reser" in html and "Kommuner dit jag reser" in html
    assert "hen reser" not in html


def test_bad_phone_is_an_error_on_the_field(expert_client, own):
    response = expert_client.post(PROFILE, profile_data(phone="abc"))
    assert response.status_code == 200
    assert 'id="id_phone_error"' in response.content.decode()
    own.refresh_from_db()
    assert own.phone == "040 123 4567"


@pytest.mark.parametrize("actor", ["planner", "contact_a", "orderer", "national_member"])
def test_users_without_an_expert_record_get_404(actor_client, own, actor):
    client = actor_client(actor)
    before = model_to_dict(Expert.objects.get(pk=own.pk))
    assert client.get(PROFILE).status_code == 404
    assert client.post(PROFILE, profile_data()).status_code == 404
    assert client.post(CONSENT, {"action": "withdraw"}).status_code == 404
    assert client.get(DATA).status_code == 404
    assert model_to_dict(Expert.objects.get(pk=own.pk)) == before


def test_another_expert_sees_and_changes_only_their_own(client, own, org_a):
    other = ExpertFactory(responsible_organisation=org_a, first_name="Toinen", user=UserFactory())
    before = model_to_dict(Expert.objects.get(pk=own.pk))
    client.force_login(other.user)
    assert client.get(DATA).json()["record"]["first_name"] == "Toinen"
    client.post(PROFILE, profile_data(presentation_fi="Toisen esittely."))
    client.post(CONSENT, {"action": "give"})
    assert model_to_dict(Expert.objects.get(pk=own.pk)) == before
    assert not own.consents.exists()
    other.refresh_from_db()
    assert other.presentation_fi == "Toisen esittely."


def test_pause_and_reactivate_own_availability(expert_client, expert_user, own):
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = expert_client.post(
        PROFILE, {"form": "status", "status": "paused", "paused_until": past}
    )
    assert response.status_code == 200
    assert 'id="id_paused_until_error"' in response.content.decode()
    own.refresh_from_db()
    assert own.status == Expert.Status.ACTIVE

    until = timezone.localdate() + datetime.timedelta(days=30)
    expert_client.post(PROFILE, {"form": "status", "status": "paused", "paused_until": until})
    own.refresh_from_db()
    assert (own.status, own.paused_until) == (Expert.Status.PAUSED, until)
    expert_client.post(PROFILE, {"form": "status", "status": "active"})
    own.refresh_from_db()
    assert (own.status, own.paused_until) == (Expert.Status.ACTIVE, None)


def test_expert_cannot_archive_or_return_from_left(expert_client, own):
    expert_client.post(PROFILE, {"form": "status", "status": "left"})
    own.refresh_from_db()
    assert own.status == Expert.Status.ACTIVE
    own.status, own.left_on = Expert.Status.LEFT, timezone.localdate()
    own.save()
    expert_client.post(PROFILE, {"form": "status", "status": "active"})
    own.refresh_from_db()
    assert own.status == Expert.Status.LEFT


def test_consent_give_and_withdraw(expert_client, expert_user, own):
    expert_client.post(CONSENT, {"action": "give", "method": "paper"})
    consent = Consent.objects.get()
    assert (consent.method, consent.recorded_by, consent.text_version) == (
        Consent.Method.ONLINE,
        expert_user,
        services.CONSENT_VERSION,
    )
    assert Expert.objects.searchable().filter(pk=own.pk).exists()
    given = model_to_dict(consent)

    response = expert_client.post(CONSENT, {"action": "withdraw"}, follow=True)
    assert "Your consent was withdrawn." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    withdrawn = formats.date_format(
        timezone.localtime(consent.withdrawn_at), "SHORT_DATETIME_FORMAT"
    )
    assert f"<td>Withdrawn {withdrawn}</td>" in response.content.decode()
    assert {k: v for k, v in model_to_dict(consent).items() if k != "withdrawn_at"} == {
        k: v for k, v in given.items() if k != "withdrawn_at"
    }
    assert not Expert.objects.searchable().filter(pk=own.pk).exists()

    expert_client.post(CONSENT, {"action": "give"})
    assert Consent.objects.count() == 2
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1
    actions = list(
        AuditEvent.objects.for_object(own).order_by("created_at").values_list("action", flat=True)
    )
    assert actions == ["consent.give", "consent.withdraw", "consent.give"]


def test_consent_twice_or_nothing_to_withdraw_changes_nothing(expert_client, own):
    response = expert_client.post(CONSENT, {"action": "withdraw"}, follow=True)
    assert "There is no valid consent to withdraw." in response.content.decode()
    assert not AuditEvent.objects.exists()
    give_consent(own)
    expert_client.post(CONSENT, {"action": "give"})
    assert Consent.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_consent_text_is_shown_in_the_current_language(expert_client):
    html = expert_client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert escape(services.CONSENT_TEXT["sv"]) in html
    assert set(services.CONSENT_TEXT) == {"fi", "sv", "en"}


def test_data_export(expert_client, expert_user, own, org_a, org_b):
    give_consent(own, method=Consent.Method.PAPER)
    TaskFactory(expert=own, title="Luento hoitajille", done=True)
    TaskRequestFactory(title="Kysely sairaalasta", experts=[own])
    response = expert_client.get(DATA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    record = data["record"]
    assert (record["first_name"], record["last_name"], record["email"]) == (
        "Kaisa",
        "Kokemus",
        own.email,
    )
    assert record["home_municipality"] == {"name_fi": "Tampere", "name_sv": "Tammerfors"}
    assert record["themes"] == [{"name_fi": "Afasia", "name_sv": "Afasi"}]
    assert record["life_situations"] == [{"name_fi": "Opiskelu", "name_sv": "Studier"}]
    assert record["basic_training_date"] == "2024-05-01"
    assert record["languages"] == ["fi"]
    assert "search_document" not in record and "shuffle" not in record
    assert data["organisations"] == {
        "responsible": {"name_fi": org_a.name_fi, "name_sv": org_a.name_sv},
        "other": [{"name_fi": org_b.name_fi, "name_sv": org_b.name_sv}],
    }
    (consent,) = data["consents"]
    assert (consent["method"], consent["text_version"], consent["withdrawn_at"]) == (
        "paper",
        services.CONSENT_VERSION,
        None,
    )
    assert data["account"]["email"] == expert_user.email
    ((task,), (asked,)) = data["tasks"], data["requests"]
    assert (task["title"], task["status"]) == ("Luento hoitajille", "Done")
    assert (asked["title"], asked["answer"]["status"]) == (
        "Kysely sairaalasta",
        "Waiting for an answer",
    )
    event = AuditEvent.objects.get(action="expert.export")
    assert (event.actor, event.object_id) == (expert_user, str(own.pk))


# Monthly reminders to organisation contacts -----------------------------------------------------


def test_stale_reminder_once_per_month_per_contact(contact_a, contact_b, org_a, org_b, on_commit):
    old = timezone.now() - datetime.timedelta(days=400)
    ExpertFactory(
        responsible_organisation=org_a, first_name="Vanha", last_name="Aaltonen", confirmed_at=old
    )
    ExpertFactory(
        responsible_organisation=org_a, first_name="Uusi", last_name="Ahonen", confirmed_at=None
    )
    ExpertFactory(responsible_organisation=org_a, first_name="Tuore", last_name="Anttila")
    ExpertFactory(
        responsible_organisation=org_a,
        first_name="Lähtenyt",
        last_name="Aro",
        confirmed_at=old,
        status=Expert.Status.LEFT,
    )
    ExpertFactory(
        responsible_organisation=org_b, first_name="Vanha", last_name="Björk", confirmed_at=old
    )
    today = timezone.localdate()
    with on_commit():
        assert services.send_stale_reminders(today=today) == 2
    with on_commit():
        services.send_stale_reminders(today=today)  # the same month: nothing more
    assert sorted(m.to[0] for m in mail.outbox) == sorted([contact_a.email, contact_b.email])
    message_a = next(m for m in mail.outbox if m.to == [contact_a.email])
    assert "Vanha Aaltonen" in message_a.body and "Uusi Ahonen" in message_a.body
    assert "Tuore Anttila" not in message_a.body and "Aro" not in message_a.body
    assert "Björk" not in message_a.body
    assert old.astimezone(timezone.get_current_timezone()).strftime("%-d.%-m.%Y") in message_a.body
    assert reverse("pankki:records") + "?stale=1" in message_a.body
    assert org_a.name_fi in message_a.subject
    assert "&#x27;" not in message_a.body and "&amp;" not in message_a.body

    next_month = today.replace(day=1) + datetime.timedelta(days=32)
    with on_commit():
        assert services.send_stale_reminders(today=next_month) == 2
    assert len(mail.outbox) == 4
