"""The planner exports and erases everything held about a person from admin."""

import io
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from kotove import services
from kotove.models import AccessRequest, AuditEvent, OutboundEmail, Role, User
from kotove.personal_data import ERASED, ERASED_DOMAIN, export
from pankki import services as pankki_services
from pankki.models import Consent, Expert, LifeSituation, SavedSearch, SearchEntry, Theme
from tests.pankki.factories import ExpertFactory, give_consent


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def jpeg() -> ContentFile:
    output = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(output, format="JPEG")
    return ContentFile(output.getvalue(), name="kuva.jpg")


@pytest.fixture
def person(expert_user, org_a, orderer, rf):
    """An expert with an account, a consent, health data, a photo, an old access request,
    emails and audit rows: one orderer viewed the record, the expert exported their data."""
    expert_user.first_name, expert_user.last_name = "Kaisa", "Kokemus"
    expert_user.save()
    expert = ExpertFactory(
        user=expert_user,
        email=expert_user.email.upper(),  # the same address in another case
        first_name="Kaisa",
        last_name="Kokemus",
        responsible_organisation=org_a,
        presentation_fi="Kerron afasiasta.",
        themes=[Theme.objects.get(name_fi="Afasia")],
        life_situations=[LifeSituation.objects.get(name_fi="Opiskelu")],
        show_health_data=True,
    )
    expert.photo.save("kuva.jpg", jpeg())
    give_consent(expert)
    AccessRequest.objects.create(
        name="Kaisa Kokemus",
        email=expert_user.email,
        organisation_name="Yritys",
        reason="Testi",
        status=AccessRequest.Status.DECLINED,
    )
    SavedSearch.objects.create(user=expert_user, name="Oma haku", query="q=x")
    request = rf.get(f"/pankki/kokemustoimija/{expert.pk}/")
    request.user = orderer
    services.audit_view(request=request, action="expert.view", shown=[expert])
    services.audit(actor=expert_user, action="expert.export", obj=expert)
    OutboundEmail.objects.create(
        idempotency_key="k1", to=expert_user.email, language="fi", subject="Hei", body="Hei Kaisa"
    )
    OutboundEmail.objects.create(
        idempotency_key="k2",
        to="yhteys@example.fi",
        language="fi",
        subject="Muistutus",
        body="Tarkista: Kaisa Kokemus, Matti Meikäläinen",
    )
    return expert


@pytest.fixture
def other(org_a):
    return ExpertFactory(
        first_name="Matti", last_name="Meikäläinen", responsible_organisation=org_a
    )


def url(name, obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{name}", args=[obj.pk])


def test_planner_sees_what_is_held_and_downloads_it_as_json(client, planner, person, orderer):
    client.force_login(planner)
    page = client.get(url("personal_data", person.user)).content.decode()
    for title in ("Experience experts", "Consents", "Access requests", "Audit log", "Users"):
        assert title in page
    assert AuditEvent.objects.filter(action="person.export").count() == 0  # looking is not export

    response = client.get(url("personal_data", person.user), {"format": "json"})
    assert response["Content-Disposition"].startswith('attachment; filename="henkilotiedot-')
    data = json.loads(response.content)
    sections = {section["model"]: section["rows"] for section in data["sections"]}
    [record] = sections["pankki.expert"]
    assert (record["first_name"], record["themes"], record["life_situations"]) == (
        "Kaisa",
        ["Afasia"],
        ["Opiskelu"],
    )
    assert [c["text_version"] for c in sections["pankki.consent"]] == [
        pankki_services.CONSENT_VERSION
    ]
    assert sections["kotove.accessrequest"][0]["organisation_name"] == "Yritys"
    assert sections["pankki.savedsearch"][0]["name"] == "Oma haku"
    [account] = sections["kotove.user"]
    assert "password" not in account and account["email"] == person.user.email
    # who saw the record: the orderer, by role and organisation, not by email
    views = [row for row in sections["kotove.auditevent"] if row["action"] == "expert.view"]
    assert "Testin hyvinvointialue" in views[0]["by"] and orderer.email not in json.dumps(views)
    # only emails sent to the person
    assert [e["subject"] for e in sections["kotove.outboundemail"]] == ["Hei"]
    event = AuditEvent.objects.get(action="person.export")
    assert (event.actor, event.data["shown"]) == (planner, [f"pankki.expert:{person.pk}"])


def test_export_as_a_readable_pdf_in_the_persons_language(client, planner, person):
    person.user.language = "sv"
    person.user.save()
    client.force_login(planner)
    response = client.get(url("personal_data", person), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    theme = Theme.objects.get(name_fi="Afasia")
    assert "Kaisa" in text and theme.name_sv in text and "Kerron afasiasta." in text
    assert "Samtycken" in text or "samtycken" in text.lower()  # Swedish section titles
    assert AuditEvent.objects.filter(action="person.export", data__format="pdf").count() == 1


def test_dry_run_changes_nothing(client, planner, person):
    client.force_login(planner)
    before = (Expert.objects.get(pk=person.pk).first_name, Consent.objects.count())
    page = client.get(url("erase", person.user)).content.decode()
    assert "Dry run" in page and "deleted" in page and "anonymised" in page
    assert (Expert.objects.get(pk=person.pk).first_name, Consent.objects.count()) == before


def test_erasure_removes_the_person_and_keeps_the_aggregates(
    client, planner, person, other, orderer, django_capture_on_commit_callbacks
):
    user = person.user
    photo = person.photo.path
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("erase", user))
    assert response.status_code == 302

    expert = Expert.objects.get(pk=person.pk)  # kept for counts, without the person
    assert (expert.first_name, expert.last_name, expert.phone, expert.presentation_fi) == (
        ERASED,
        "",
        "",
        "",
    )
    assert expert.email.endswith(ERASED_DOMAIN) and expert.user is None
    assert not expert.themes.exists() and not expert.life_situations.exists()
    assert (expert.status, expert.consented, expert.responsible_organisation_id) == (
        Expert.Status.LEFT,
        False,
        person.responsible_organisation_id,
    )
    assert expert.basic_training_date.timetuple()[1:3] == (1, 1)  # the year only
    assert not expert.photo and not __import__("os").path.exists(photo)
    assert not Consent.objects.filter(expert=expert).exists()
    assert not SearchEntry.objects.filter(expert=expert).exists()

    user.refresh_from_db()
    assert (user.first_name, user.is_active, user.has_usable_password()) == ("", False, False)
    assert user.email.endswith(ERASED_DOMAIN)
    for model in (Role, EmailAddress, Authenticator, SavedSearch):
        assert not model.objects.filter(user=user).exists(), model
    assert not AccessRequest.objects.filter(name="Kaisa Kokemus").exists()

    # the audit log keeps its rows, without the person's name and email
    view = AuditEvent.objects.get(action="expert.view")
    assert (view.actor, view.object_repr) == (orderer, ERASED)
    own = AuditEvent.objects.get(action="expert.export")
    assert (own.actor_id, own.actor_email) == (user.pk, "")
    assert "Kaisa" not in json.dumps(list(AuditEvent.objects.values()), default=str)
    erasure = AuditEvent.objects.get(action="person.erase")
    assert erasure.actor == planner and erasure.data["counts"]["pankki.expert"] == 1
    # emails: the person's are gone; the contact's list keeps the other name
    assert list(OutboundEmail.objects.values_list("body", flat=True)) == [
        f"Tarkista: {ERASED}, Matti Meikäläinen"
    ]
    # nobody else changed
    other.refresh_from_db()
    assert (other.first_name, other.email) == ("Matti", other.email)
    assert User.objects.filter(pk=orderer.pk, is_active=True).exists()


def test_erasure_is_one_transaction(client, planner, person, monkeypatch):
    """A failure half-way leaves everything as it was."""

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    client.force_login(planner)
    monkeypatch.setattr(User, "save", fail)  # the account is anonymised last
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(url("erase", person))
    person.refresh_from_db()
    assert person.first_name == "Kaisa" and Consent.objects.filter(expert=person).exists()
    assert not AuditEvent.objects.filter(action="person.erase").exists()


@pytest.mark.parametrize("actor", ["contact_a", "orderer", "expert_user"])
def test_only_planners_reach_the_tools(actor_client, actor, person):
    client = actor_client(actor)
    for name in ("personal_data", "erase"):
        response = (
            client.post(url(name, person)) if name == "erase" else client.get(url(name, person))
        )
        assert response.status_code in (302, 403)
    person.refresh_from_db()
    assert person.first_name == "Kaisa"


def test_planner_lists_who_has_seen_an_expert(client, planner, person, other, orderer, rf):
    request = rf.get("/pankki/")
    request.user = orderer
    services.audit_view(request=request, action="expert.search", shown=[person, other])
    services.audit_view(request=request, action="expert.view", shown=[other])
    client.force_login(planner)
    change = client.get(url("change", person)).content.decode()
    link = f"{reverse('admin:kotove_auditevent_changelist')}?shows=pankki.expert:{person.pk}"
    assert link.replace("&", "&amp;") in change
    rows = client.get(link).context["cl"].result_list
    assert sorted(event.action for event in rows) == sorted(
        ["expert.admin_view", "expert.export", "expert.search", "expert.view"]
    )


def test_tasks_stay_counted_when_either_side_is_erased(client, planner, person, orderer):
    from pankki.models import RequestAnswer, Task
    from tests.pankki.task_factories import TaskFactory, TaskRequestFactory

    request = TaskRequestFactory(created_by=orderer, experts=[person])
    RequestAnswer.objects.filter(request=request).update(message="Olen silloin sairaalassa.")
    ordered = TaskFactory(
        expert=person, orderer_user=orderer, orderer_name="Tiina Tilaaja", done=True
    )
    client.force_login(planner)
    client.post(url("erase", orderer))
    ordered.refresh_from_db()
    assert (ordered.orderer_name, ordered.orderer_user, ordered.expert_id) == (
        ERASED,
        None,
        person.pk,
    )
    assert RequestAnswer.objects.get().message == "Olen silloin sairaalassa."  # the expert's
    client.post(url("erase", person))
    assert RequestAnswer.objects.get().message == ""
    assert Task.objects.done().count() == 1 and request.answers.count() == 1


def test_the_readable_export_labels_the_audit_columns_in_the_readers_language():
    data = {"sections": [{"title": "x", "labels": {}, "rows": [{"by": "Vera", "time": "t"}]}]}
    for language, labels in (("fi", ["tekijä", "aika"]), ("sv", ["utförd av", "tid"])):
        with translation.override(language):
            [section] = export.readable_sections(data)
        assert [label for label, _text in section["rows"][0]] == labels
