"""Security headers on responses, and the policy itself. Every URL of the site is checked by
tests/site/test_headers.py; these are the basics and the checker's own test."""

import pytest
from django.conf import settings
from django.http import HttpResponse

from tests.site.headers import check_headers


@pytest.fixture
def production_cookies(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True


def test_policy_forbids_inline_script_and_framing():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_checker_finds_a_weak_response():
    response = HttpResponse()
    response["Content-Security-Policy"] = "script-src 'self' 'unsafe-inline'"
    response.set_cookie("sessionid", "x")
    problems = check_headers(response, secure=True)
    assert "script-src allows too much: [\"'self'\", \"'unsafe-inline'\"]" in problems
    assert "cookie sessionid is not Secure" in problems
    assert any(p.startswith("Strict-Transport-Security") for p in problems)


def test_headers_on_pages_errors_and_admin(client, planner, production_cookies):
    for path, status in (("/", 200), ("/ei-ole/", 404), ("/healthz", 200), ("/admin/", 302)):
        response = client.get(path, secure=True)
        assert response.status_code == status
        assert check_headers(response, secure=True) == [], path
    client.force_login(planner)
    assert check_headers(client.get("/admin/kotove/user/", secure=True), secure=True) == []


def test_language_cookie_is_secure(client, production_cookies):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/"}, secure=True)
    assert response.cookies["django_language"]["secure"]
    assert check_headers(response, secure=True) == []


def test_a_nul_byte_in_the_address_is_a_bad_request(client, planner, production_cookies):
    client.force_login(planner)
    for url in ("/pankki/?q=%00", "/admin/kotove/auditevent/?shows=kotove.user:%00", "/x%00/"):
        response = client.get(url, secure=True)
        assert response.status_code == 400
        assert '<a class="skip-link" href="#main">' in response.content.decode()  # our page
        assert check_headers(response, secure=True) == []
