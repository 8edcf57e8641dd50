import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from kotove.models import Role
from tests.conftest import make_actor


@pytest.mark.parametrize(
    ("kind", "must_enrol"),
    [
        (Role.Kind.PLANNER, True),
        (Role.Kind.ORGANISATION_CONTACT, True),
        (Role.Kind.REGIONAL_SECRETARY, True),
        (Role.Kind.ORDERER, False),
        (Role.Kind.NATIONAL_GROUP, False),
        (Role.Kind.REGIONAL_CHAIR, False),
        (Role.Kind.EXPERT, False),
    ],
)
def test_roles_that_must_enrol_are_sent_to_enrolment(
    client, org_a, orderer_org, area_x, kind, must_enrol
):
    scope = {
        "member_organisation": {"member_organisation": org_a},
        "orderer_organisation": {"orderer_organisation": orderer_org},
        "area": {"area": area_x},
        None: {},
    }[Role.SCOPES.get(kind)]
    user = make_actor(kind, mfa=False, **scope)
    client.force_login(user)
    response = client.get(reverse("home"))
    if must_enrol:
        assert response.status_code == 302
        assert response.url.startswith(reverse("mfa_activate_totp"))
        # account pages stay reachable so the user can enrol (after confirming the password)
        page = client.get(reverse("mfa_activate_totp"), follow=True)
        assert page.status_code == 200
        assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    else:
        assert response.status_code == 200


def current_code(secret):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_real_enrolment_then_login_with_totp(client, org_a):
    user = make_actor(Role.Kind.ORGANISATION_CONTACT, mfa=False, member_organisation=org_a)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).url.startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password again before a second factor is added
    assert client.get(reverse("mfa_activate_totp")).url.startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200

    # A fresh sign-in now asks for the second factor before the session is authenticated.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct horse battery"}
    )
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated is False
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes(codes).get_unused_codes()[0]
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert re.search(r"Organisation contact|Järjestön yhteyshenkilö", home.content.decode())
