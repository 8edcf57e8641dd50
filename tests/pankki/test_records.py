"""Organisation contacts keep their own organisation's expert records."""

import datetime
import io
import os

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kotove.models import AuditEvent, OutboundEmail, Role, User
from pankki.models import Consent, Expert, Theme
from pankki.validators import clean_phone

from .factories import ExpertFactory, give_consent, municipality

RECORDS = reverse("pankki:records")
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in the source language, so the assertions survive new translations."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def expert_a(org_a):
    return ExpertFactory(responsible_organisation=org_a, first_name="Aino", last_name="Aivonen")


@pytest.fixture
def expert_b(org_b):
    return ExpertFactory(responsible_organisation=org_b, first_name="Bertta", last_name="Syövänen")


@pytest.fixture
def client_a(client, contact_a):
    client.force_login(contact_a)
    return client


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
        assert expert.confirmed_at.date() == TODAY()
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


# Photo ----------------------------------------------------------------------------------------


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Salainen Kamera"  # Make
    exif[0x0132] = "2025:06:01 12:00:00"  # DateTime
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show upright
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_photo_is_reencoded_without_exif(client_a, expert_a, org_a):
    upload = SimpleUploadedFile("mokki-2025.jpg", jpeg_with_exif(), content_type="image/jpeg")
    with Image.open(upload) as original:
        assert original.getexif()[0x010F] == "Salainen Kamera"
    upload.seek(0)
    response = client_a.post(
        reverse("pankki:record_edit", args=[expert_a.pk]),
        {**valid_data(org_a, email=expert_a.email), "photo": upload},
    )
    assert response.status_code == 302
    expert_a.refresh_from_db()
    assert "mokki" not in expert_a.photo.name
    with Image.open(expert_a.photo.path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert stored.size == (30, 40)  # turned upright before the metadata went
    assert b"Salainen" not in expert_a.photo.read()
    page = client_a.get(reverse("pankki:record_edit", args=[expert_a.pk])).content.decode()
    assert f'alt="Photo of {expert_a.full_name}"' in page


def noise_png(side: int) -> bytes:
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def noise_jpeg(side: int) -> bytes:
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("iso.png", lambda: noise_png(1400), "The photo is larger than 5 MB."),
        ("kuva.jpg", lambda: b"%PDF-1.4 not an image", "Upload a valid image."),
        ("katkennut.jpg", lambda: noise_jpeg(400)[:20_000], "Upload a valid image."),
        ("kuva.gif", lambda: gif(), "Use a JPEG, PNG or WebP image."),
    ],
)
def test_oversize_and_non_image_photos_are_rejected(
    client_a, expert_a, org_a, name, content, message
):
    data = content()
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    before = snapshot(expert_a)
    response = client_a.post(
        reverse("pankki:record_edit", args=[expert_a.pk]),
        {**valid_data(org_a, email=expert_a.email), "photo": upload},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_photo_error"' in html
    assert message in html
    assert snapshot(expert_a) == before
    assert not Expert.objects.get(pk=expert_a.pk).photo
