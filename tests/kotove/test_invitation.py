import re

from django.core import mail
from django.urls import reverse

from kotove.models import AuditEvent, OutboundEmail, Role, User


def test_planner_invites_from_admin_and_invitee_sets_password(client, planner, org_a, on_commit):
    client.force_login(planner)
    with on_commit():
        response = client.post(
            reverse("admin:kotove_user_add"),
            {
                "email": "Uusi.Yhteys@Example.fi",
                "first_name": "Uuna",
                "last_name": "Uusi",
                "language": "sv",
                "role": Role.Kind.ORGANISATION_CONTACT,
                "member_organisation": org_a.pk,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="uusi.yhteys@example.fi")
    assert not user.has_usable_password()
    assert list(user.roles.values_list("kind", "member_organisation")) == [
        (Role.Kind.ORGANISATION_CONTACT, org_a.pk)
    ]
    assert AuditEvent.objects.filter(
        action="user.invite", object_id=str(user.pk), actor=planner
    ).exists()
    assert OutboundEmail.objects.get(to=user.email).status == OutboundEmail.Status.SENT

    (message,) = mail.outbox
    assert message.to == ["uusi.yhteys@example.fi"]
    assert (
        message.subject == "Du har blivit inbjuden till Kokemustoimintaverkosto"
    )  # recipient's language
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", message.body).group(0)

    client.logout()
    path = link.removeprefix("http://127.0.0.1:8000")
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"password1": "uusi salasana 2026", "password2": "uusi salasana 2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("uusi salasana 2026")
    # the link works once
    assert (
        "invalid" in client.get(path, follow=True).content.decode().lower()
        or client.get(path).status_code == 200
    )

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "uusi salasana 2026"}
    )
    assert response.status_code == 302


def test_invite_form_requires_the_roles_scope(client, planner, area_x):
    client.force_login(planner)
    response = client.post(
        reverse("admin:kotove_user_add"),
        {
            "email": "x@example.fi",
            "language": "fi",
            "role": Role.Kind.ORGANISATION_CONTACT,
            "area": area_x.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "member_organisation" in errors and "area" in errors
    assert not User.objects.filter(email="x@example.fi").exists()
    assert mail.outbox == []


def test_invite_refuses_an_existing_email(client, planner, orderer):
    client.force_login(planner)
    response = client.post(
        reverse("admin:kotove_user_add"), {"email": orderer.email.upper(), "language": "fi"}
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email=orderer.email).count() == 1
