"""Organisation contacts keep their own organisation's expert records."""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kotove.models import AuditEvent, OutboundEmail, User
from pankki.models import Consent, Expert, Theme
from pankki.validators import clean_phone

from .factories import ExpertFactory, give_consent, municipality

RECORDS = reverse("pankki:records")
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in the source language, so the assertions survive new translations."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def valid_data(organisation, **overrides):
    data = {
        "first_name": "Kaisa",
        "last_name": "Kokemus",
        "email": "Kaisa.Kokemus@Example.fi",
        "phone": "+358 40 123 4567",
        "contact_visibility": Expert.ContactVisibility.VIA_ORGANISATION,
        "home_municipality": municipality("Tampere").pk,
        "travel_regions": [municipality("Tampere").region_id],
        "online": "on",
        "languages": ["fi", "sv"],
        "presentation_fi": "Kerron aivoverenkiertohäiriöstä toipumisesta.",
        "experience_kind": Expert.ExperienceKind.BOTH,
        "themes": [Theme.objects.get(name_fi="Afasia").pk],
        "responsible_organisation": organisation.pk,
        "basic_training_date": "2023-04-20",
        "basic_training_course": "Pirkanmaan peruskoulutus 2023",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def snapshot(expert):
    """Everything a refused write could have changed."""
    expert = Expert.objects.get(pk=expert.pk)
    return (
        model_to_dict(expert, exclude=["photo"]),
        expert.confirmed_at,
        list(Consent.objects.filter(expert=expert).values()),
        AuditEvent.objects.count(),
        User.objects.count(),
        OutboundEmail.objects.count(),
    )


# Listing --------------------------------------------------------------------------------------


def test_contact_lists_only_own_organisation_experts(client_a, expert_a, expert_b):
    response = client_a.get(RECORDS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aivonen" in html
    assert "Syövänen" not in html
    assert reverse("pankki:record_edit", args=[expert_a.pk]) in html
    assert [e.pk for e in response.context["page"].object_list] == [expert_a.pk]


def test_planner_lists_every_organisation(client, planner, expert_a, expert_b):
    client.force_login(planner)
    html = client.get(RECORDS).content.decode()
    assert "Aivonen" in html and "Syövänen" in html


def test_name_filter(client_a, org_a):
    ExpertFactory(responsible_organisation=org_a, first_name="Matti", last_name="Meikäläinen")
    ExpertFactory(responsible_organisation=org_a, first_name="Liisa", last_name="Virtanen")
    response = client_a.get(RECORDS, {"q": "meikä"})
    assert [e.last_name for e in response.context["page"].object_list] == ["Meikäläinen"]


def test_stale_filter_flags_rows(client_a, org_a):
    old = timezone.now() - datetime.timedelta(days=400)
    ExpertFactory(responsible_organisation=org_a, last_name="Vanhanen", confirmed_at=old)
    ExpertFactory(responsible_organisation=org_a, last_name="Eivahvistettu", confirmed_at=None)
    ExpertFactory(responsible_organisation=org_a, last_name="Tuore")
    html = client_a.get(RECORDS).content.decode()
    assert html.count("Not confirmed for 12 months") == 2  # flagged in the full list too
    response = client_a.get(RECORDS, {"stale": "1"})
    names = [e.last_name for e in response.context["page"].object_list]
    assert names == ["Eivahvistettu", "Vanhanen"]
    assert response.content.decode().count("Not confirmed for 12 months") == 2


def test_list_is_paginated_by_50(client_a, org_a):
    ExpertFactory.create_batch(51, responsible_organisation=org_a)
    response = client_a.get(RECORDS)
    assert len(response.context["page"].object_list) == 50
    assert "page=2" in response.content.decode()
    assert len(client_a.get(RECORDS, {"page": 2}).context["page"].object_list) == 1


@pytest.mark.parametrize("actor", ["contact_a", "planner"])
def test_list_queries_do_not_grow_with_rows(
    actor_client, actor, org_a, org_b, django_assert_max_num_queries
):
    client = actor_client(actor)
    for organisation in (org_a, org_b):
        ExpertFactory.create_batch(
            5, responsible_organisation=organisation, consent=True, other_organisations=[org_b]
        )
    client.get(RECORDS)  # the session settles
    with CaptureQueriesContext(connection) as five:
        assert client.get(RECORDS).status_code == 200
    for organisation in (org_a, org_b):
        ExpertFactory.create_batch(25, responsible_organisation=organisation, consent=True)
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(RECORDS)
    assert len(response.context["page"].object_list) == (30 if actor == "contact_a" else 50)
    assert len(five.captured_queries) <= 10


# Another organisation's expert --------------------------------------------------------------


REFUSED_POSTS = {
    "record_edit": lambda org: valid_data(org, first_name="Hakkeri"),
    "record_status": lambda org: {"status": "left"},
    "record_consent": lambda org: {"action": "give", "method": "paper"},
    "record_invite": lambda org: {},
}


@pytest.mark.parametrize("name", sorted(REFUSED_POSTS))
def test_other_organisations_expert_is_404_and_unchanged(actor_client, expert_a, org_b, name):
    client = actor_client("contact_b")
    url = reverse(f"pankki:{name}", args=[expert_a.pk])
    before = snapshot(expert_a)
    response = client.post(url, REFUSED_POSTS[name](org_b))
    assert response.status_code == 404
    assert snapshot(expert_a) == before
    if name == "record_edit":
        assert client.get(url).status_code == 404


def test_withdraw_of_other_organisations_consent_is_404(actor_client, expert_a):
    give_consent(expert_a)
    client = actor_client("contact_b")
    before = snapshot(expert_a)
    response = client.post(
        reverse("pankki:record_consent", args=[expert_a.pk]), {"action": "withdraw"}
    )
    assert response.status_code == 404
    assert snapshot(expert_a) == before


# Create and edit ------------------------------------------------------------------------------


def test_create_saves_fields_and_audits(client_a, contact_a, org_a):
    response = client_a.post(reverse("pankki:record_create"), valid_data(org_a))
    expert = Expert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pankki:record_edit", args=[expert.pk])
    assert (expert.first_name, expert.last_name, expert.email) == (
        "Kaisa",
        "Kokemus",
        "kaisa.kokemus@example.fi",
    )
    assert expert.phone == "+358 40 123 4567"
    assert expert.languages == ["fi", "sv"]
    assert expert.home_municipality.name_fi == "Tampere"
    assert expert.responsible_organisation == org_a
    assert expert.experience_kind == Expert.ExperienceKind.BOTH
    assert expert.basic_training_date == datetime.date(2023, 4, 20)
    assert expert.online is True and expert.travels_all_finland is False
    assert [t.name_fi for t in expert.themes.all()] == ["Afasia"]
    assert expert.travel_regions.count() == 1
    assert expert.status == Expert.Status.ACTIVE
    assert not hasattr(expert, "search_entry")  # listed in search once a consent is given
    assert expert.confirmed_by == contact_a  # a record just entered counts as checked
    assert not Expert.objects.stale().exists()
    event = AuditEvent.objects.for_object(expert).get()
    assert (event.action, event.actor) == ("expert.create", contact_a)


def test_edit_saves_and_audits(client_a, contact_a, expert_a, org_a):
    url = reverse("pankki:record_edit", args=[expert_a.pk])
    page = client_a.get(url)
    assert page.status_code == 200
    assert 'id="id_themes"' in page.content.decode()
    response = client_a.post(
        url, valid_data(org_a, first_name="Aino", last_name="Uusinimi", phone="040-765 4321")
    )
    assert response.status_code == 302
    expert_a.refresh_from_db()
    assert (expert_a.last_name, expert_a.phone) == ("Uusinimi", "040-765 4321")
    assert [e.action for e in AuditEvent.objects.for_object(expert_a).order_by("pk")] == [
        "expert.record_view",
        "expert.update",
    ]


def test_contact_cannot_give_expert_to_another_organisation(client_a, org_b):
    response = client_a.post(reverse("pankki:record_create"), valid_data(org_b))
    assert response.status_code == 200
    assert 'id="id_responsible_organisation_error"' in response.content.decode()
    assert not Expert.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("phone", "12345"),
        ("phone", "040 12"),
        ("phone", "+358 40 123 4567 8901 23"),
        ("phone", "puh. 040 123 4567"),
        ("email", "not-an-email"),
        ("first_name", ""),
        ("home_municipality", ""),
        ("basic_training_date", "2999-01-01"),
    ],
)
def test_bad_values_give_errors_on_the_field_and_save_nothing(client_a, org_a, field, value):
    response = client_a.post(reverse("pankki:record_create"), valid_data(org_a, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert not Expert.objects.exists()
    assert not AuditEvent.objects.exists()


def test_email_must_be_unique_within_the_organisation(client_a, expert_a, org_a):
    response = client_a.post(
        reverse("pankki:record_create"), valid_data(org_a, email=expert_a.email.upper())
    )
    assert 'id="id_email_error"' in response.content.decode()
    assert Expert.objects.count() == 1


@pytest.mark.parametrize(
    "value, expected",
    [
        ("040 123 4567", "040 123 4567"),
        ("+358 40 123 4567", "+358 40 123 4567"),
        ("+358-40-1234567", "+358-40-1234567"),
        ("09  123  456", "09 123 456"),
        ("", ""),
    ],
)
def test_valid_phone_numbers(value, expected):
    assert clean_phone(value) == expected
