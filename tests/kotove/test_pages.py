import re

import pytest
from django.urls import reverse
from django.utils import translation


def h1_count(html):
    return len(re.findall(r"<h1[ >]", html))


@pytest.mark.parametrize(
    "name", ["home", "access_request", "accessibility", "privacy", "account_login"]
)
def test_page_has_layout_landmarks_and_one_h1(client, db, name):
    html = client.get(reverse(name)).content.decode()
    assert h1_count(html) == 1
    for landmark in (
        '<a class="skip-link" href="#main">',
        '<main id="main"',
        "<header",
        "<footer",
        "<nav",
    ):
        assert landmark in html
    assert '<html lang="fi">' in html
    assert 'href="/saavutettavuus/"' in html and 'href="/tietosuoja/"' in html


def test_language_switch_to_swedish(client, db):
    response = client.post(
        reverse("set_language"), {"language": "sv", "next": reverse("privacy")}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Dataskyddsbeskrivning</h1>" in html


def test_english_is_available(client, db):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accessibility")).content.decode()
    assert "<h1>Accessibility statement</h1>" in html


def test_header_shows_who_and_in_which_roles(client, contact_a):
    client.force_login(contact_a)
    html = client.get(reverse("home")).content.decode()
    assert str(contact_a) in html
    assert "Aivoliitto" in html


def test_only_visitors_are_offered_an_orderer_account(client, contact_a):
    link = f'href="{reverse("access_request")}"'
    assert link in client.get(reverse("privacy")).content.decode()
    client.force_login(contact_a)
    assert link not in client.get(reverse("privacy")).content.decode()


def test_front_page_lists_planner_actions(client, planner):
    client.force_login(planner)
    html = client.get(reverse("home")).content.decode()
    assert reverse("admin:kotove_user_add") in html
    assert reverse("admin:kotove_auditevent_changelist") in html


def test_unknown_page_is_404_in_site_layout(client, db):
    response = client.get("/ei-ole-olemassa/")
    assert response.status_code == 404
    html = response.content.decode()
    assert h1_count(html) == 1 and '<main id="main"' in html


@pytest.mark.parametrize(
    "language, word, expected",
    [
        ("fi", "Save", "Tallenna"),  # Django admin's catalog has "Tallenna ja poistu"
        ("fi", "Time:", "Aika:"),  # … and "Klo:"
        ("sv", "Note", "Meddelande"),  # … and "Information"
    ],
)
def test_our_words_win_over_django_and_allauth_catalogs(language, word, expected):
    with translation.override(language):
        assert translation.gettext(word) == expected
