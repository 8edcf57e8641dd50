import pytest
from django.core import mail
from django.urls import reverse

from kotove import services
from kotove.models import AccessRequest, Role, User

VALID = {
    "name": "Terhi Tilaaja",
    "email": "Terhi.Tilaaja@hyvinvointialue.fi",
    "organisation_name": "Pirkanmaan hyvinvointialue",
    "reason": "Tarvitsemme kokemustoimijoita sairaanhoitajaopiskelijoiden opetukseen.",
}


def test_request_is_stored_and_emailed(client, planner, on_commit):
    with on_commit():
        response = client.post(reverse("access_request"), VALID)
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert (request.email, request.status, request.language) == (
        "terhi.tilaaja@hyvinvointialue.fi",
        AccessRequest.Status.PENDING,
        "fi",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([request.email, planner.email])


def test_missing_and_bad_fields_get_errors_on_the_field(client, db):
    response = client.post(
        reverse("access_request"), {**VALID, "email": "not-an-email", "reason": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html and 'id="id_reason_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Terhi Tilaaja" in html  # what was typed is kept
    assert AccessRequest.objects.count() == 0


def test_form_is_rate_limited_per_ip(client, db):
    for _ in range(5):
        assert client.post(reverse("access_request"), VALID).status_code == 302
    response = client.post(reverse("access_request"), VALID)
    assert response.status_code == 429
    assert AccessRequest.objects.count() == 5
    # another address is not affected
    assert client.post(reverse("access_request"), VALID, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_planner_approves_in_admin_and_requester_gets_invitation(
    client, planner, orderer_org, on_commit
):
    access_request = services.request_access(**VALID, language="sv")
    mail.outbox.clear()
    client.force_login(planner)
    change_url = reverse("admin:kotove_accessrequest_change", args=[access_request.pk])
    client.post(change_url, {"organisation": orderer_org.pk, "decision_note": ""})
    with on_commit():
        response = client.post(
            reverse("admin:kotove_accessrequest_changelist"),
            {"action": "approve", "_selected_action": [access_request.pk]},
        )
    assert response.status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.APPROVED
    user = User.objects.get(email=VALID["email"].lower())
    assert user.roles.get().orderer_organisation == orderer_org
    (message,) = mail.outbox
    assert message.subject == "Din ansökan om beställarkonto har godkänts"
    assert "/accounts/password/reset/key/" in message.body


def test_approval_without_organisation_is_refused_and_changes_nothing(client, planner, on_commit):
    access_request = services.request_access(**VALID, language="fi")
    mail.outbox.clear()
    client.force_login(planner)
    with on_commit():
        client.post(
            reverse("admin:kotove_accessrequest_changelist"),
            {"action": "approve", "_selected_action": [access_request.pk]},
        )
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    assert not User.objects.filter(email=access_request.email).exists()
    assert mail.outbox == []


def test_planner_declines_and_requester_is_told(client, planner, on_commit):
    access_request = services.request_access(**VALID, language="fi")
    mail.outbox.clear()
    client.force_login(planner)
    client.post(
        reverse("admin:kotove_accessrequest_change", args=[access_request.pk]),
        {"decision_note": "Palvelu on tarkoitettu sote- ja koulutusorganisaatioille."},
    )
    with on_commit():
        client.post(
            reverse("admin:kotove_accessrequest_changelist"),
            {"action": "decline", "_selected_action": [access_request.pk]},
        )
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.DECLINED
    (message,) = mail.outbox
    assert message.to == [access_request.email]
    assert "Palvelu on tarkoitettu sote- ja koulutusorganisaatioille." in message.body
    assert not User.objects.filter(
        email=access_request.email, roles__kind=Role.Kind.ORDERER
    ).exists()


@pytest.mark.parametrize("actor", ["orderer", "contact_a", "expert_user"])
def test_non_planners_cannot_decide(actor_client, actor):
    access_request = services.request_access(**VALID, language="fi")
    response = actor_client(actor).post(
        reverse("admin:kotove_accessrequest_changelist"),
        {"action": "approve", "_selected_action": [access_request.pk]},
        follow=True,
    )
    assert response.status_code == 403
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
