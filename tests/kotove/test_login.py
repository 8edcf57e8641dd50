import time

import pytest
from django.urls import reverse

from kotove.middleware import SEEN, STARTED

PASSWORD = "correct horse battery"


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sixth_wrong_password_within_five_minutes_is_refused_even_if_right(client, expert_user):
    for _ in range(5):
        response = login(client, expert_user.email, "wrong password")
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated
    response = login(client, expert_user.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Liian monta virheellistä kirjautumisyritystä" in response.content.decode()


def test_right_password_signs_in_after_fewer_failures(client, expert_user):
    for _ in range(4):
        login(client, expert_user.email, "wrong password")
    response = login(client, expert_user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(expert_user.pk)


def test_wrong_password_shows_translated_error_on_the_form(client, expert_user):
    response = login(client, expert_user.email, "nope")
    assert "Annettu sähköposti tai salasana ei ole oikein." in response.content.decode()
    client.cookies["django_language"] = "sv"
    response = login(client, expert_user.email, "nope")
    html = response.content.decode()
    assert 'role="alert"' in html and '<html lang="sv">' in html
    assert "Annettu sähköposti" not in html


def test_no_open_signup(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "new@example.fi", "password1": "x" * 12}
    )
    from kotove.models import User

    assert not User.objects.filter(email="new@example.fi").exists()
    assert response.status_code == 200


def _age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = now - ago
    session.save()


@pytest.mark.parametrize(("user_fixture", "idle", "signed_in"), [
    ("planner", 29 * 60, True),
    ("planner", 31 * 60, False),
    ("orderer", 3 * 3600, True),
])  # fmt: skip
def test_idle_timeout_applies_to_planners(request, client, user_fixture, idle, signed_in):
    client.force_login(request.getfixturevalue(user_fixture))
    client.get(reverse("home"))
    _age_session(client, seen=idle, started=idle)
    response = client.get(reverse("home"))
    assert (response.status_code == 200) is signed_in
    if not signed_in:
        assert response.url.startswith(reverse("account_login"))


def test_session_ends_after_twelve_hours(client, orderer):
    client.force_login(orderer)
    client.get(reverse("home"))
    _age_session(client, started=12 * 3600 + 60, seen=10)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_page_offers_an_access_request_not_a_sign_up(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("access_request") in html
    assert reverse("account_signup") not in html


def test_site_opens_in_the_users_preferred_language_after_login(client, expert_user):
    expert_user.language = "sv"
    expert_user.save()
    response = login(client, expert_user.email, PASSWORD)
    assert response.cookies["django_language"].value == "sv"
    assert '<html lang="sv">' in client.get(reverse("home")).content.decode()


def test_switching_language_when_signed_in_changes_the_preferred_language(client, expert_user):
    client.force_login(expert_user)
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert response.status_code == 302
    expert_user.refresh_from_db()
    assert expert_user.language == "sv"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    expert_user.refresh_from_db()
    assert expert_user.language == "sv"


def test_switching_language_anonymously_sets_only_the_cookie(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies["django_language"].value == "en"
