"""Hostile input to every form and every GET parameter of every page the crawl found, for each
role: no server error, nothing stored from a refused request, no script reflected unescaped.

Forms and parameters are found at run time (tests/site/crawler.py parses every page's forms; the
parameters of the project's filtersets are added to pages whose GET forms use them), so pages
that land later are fuzzed without editing this file. Hypothesis draws the values with a fixed
seed; FUZZ_EXAMPLES (default 2) sets the examples per form and page, e.g. FUZZ_EXAMPLES=50 for a
long local run.
"""

import os
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import django_filters
import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from kotove.models import AuditEvent

from .conftest import SITE
from .crawler import url_name

pytestmark = SITE

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOADS = [
    f'"><{SCRIPT[1:]}\x00',  # the first example: markup, a quote and NUL
    f"'{IMG}",
    "'; DROP TABLE kotove_user; --",
    "' OR '1'='1",
    "\x00",
    "\x01\x1b[2J\x7f\u2028\u202e\ufeff",
    "A" * 100_000,
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "2026-02-30",
    "99999-12-31",
    "{{ request.user }}{% debug %}",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "😀" * 50,
    " ",
    "",
]
VALUE = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=300),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.binary(min_size=1, max_size=12),  # bytes that are not UTF-8
)
# Values for one field: usually one, sometimes several (a list where one value is expected).
VALUES = st.one_of(VALUE.map(lambda v: [v]), st.lists(VALUE, min_size=2, max_size=3))


# A NUL anywhere in a query answers 400 before any view runs (kotove.middleware, tested in
# tests/kotove/test_security_headers.py): GET values leave it out to reach the views.
def _without_nul(values):
    return [
        v.replace(b"\x00", b"") if isinstance(v, bytes) else v.replace("\x00", "") for v in values
    ]


GET_VALUES = VALUES.map(_without_nul)
HOSTILE_FILES = [
    ("kuva.jpg", b"<html><script>alert(1)</script></html>"),
    ("kuva.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("tyhja.png", b""),
    ("skripti.php", b"<?php system($_GET['c']); ?>"),
]
# Tables that requests write to by design (the audit log of views, sessions) are not counted.
NOT_COUNTED = {"kotove_auditevent", "django_session", "django_admin_log"}
# Forms that end the session or act on the crawl's own state are not fuzzed.
SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/")


def table_counts() -> tuple:
    tables = sorted(
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table not in NOT_COUNTED
    )
    sql = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def changed(before, after) -> list[str]:
    return [f"{t}: {a} → {b}" for (t, a), (_t, b) in zip(before, after, strict=True) if a != b]


def reflected(response) -> bool:
    if "html" not in response.get("Content-Type", ""):
        return False
    body = response.content.decode("utf-8", "replace")
    return SCRIPT in body or IMG in body


def short(values) -> str:
    return repr({k: (v[:60] if isinstance(v, str | bytes) else v) for k, v in values})[:400]


class Fuzzer:
    def __init__(self, clients):
        self.clients = clients
        self.problems: list[str] = []
        self.requests = 0

    def send(self, role, method, path, pairs, files=None):
        """One request in a savepoint (a database error in the view must not break the next)."""
        client = self.clients[role]
        self.requests += 1
        before = table_counts()
        label = f"{role} {method.upper()} {path} {short(pairs)}"
        try:
            with transaction.atomic():
                if method == "get":
                    query = urlencode(pairs, doseq=False)
                    response = client.get(f"{path}?{query}", secure=True)
                elif files:
                    data = {}
                    for name, value in pairs:
                        text = value.decode("latin-1") if isinstance(value, bytes) else value
                        data.setdefault(name, []).append(text)
                    data.update(files)
                    response = client.post(path, data, secure=True)
                else:
                    response = client.post(
                        path,
                        urlencode(pairs),
                        content_type="application/x-www-form-urlencoded",
                        secure=True,
                    )
        except Exception as exc:  # the test client re-raises what the view raised
            self.problems.append(f"{label}: raised {exc.__class__.__name__}: {exc}"[:800])
            return
        if response.status_code >= 500:
            self.problems.append(f"{label}: {response.status_code}")
            return
        if reflected(response):
            self.problems.append(f"{label}: the script came back unescaped")
        accepted = response.status_code in (301, 302, 303)
        if accepted and method == "post":
            page = client.get(response["Location"], secure=True)  # where the user lands
            if reflected(page):
                self.problems.append(f"{label}: the script is shown unescaped after saving")
            accepted = b"message-error" not in page.content
        if (not accepted or method == "get") and (difference := changed(before, table_counts())):
            self.problems.append(
                f"{label}: refused ({response.status_code}) but stored " + ", ".join(difference)
            )

    def fuzz(self, role, method, path, fields, *, examples, files=False):
        """`fields`: [(name, default)]; each example gives every field hostile values."""

        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def run(data):
            pairs = []
            strategy = GET_VALUES if method == "get" else VALUES
            for name, default in fields:
                keep = name == "csrfmiddlewaretoken"
                values = [default] if keep else data.draw(strategy, label=name)
                pairs += [(name, value) for value in values]
            upload = {}
            if files:
                filename, content = data.draw(st.sampled_from(HOSTILE_FILES), label="file")
                upload = {name: _file(filename, content) for name in files}
            self.send(role, method, path, pairs, upload)

        run()


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def filterset_params() -> dict[frozenset, set[str]]:
    """The GET parameters of the project's filtersets, keyed by their field names."""
    result = {}
    stack = list(django_filters.FilterSet.__subclasses__())
    while stack:
        filterset = stack.pop()
        stack += filterset.__subclasses__()
        if filterset.__module__.split(".")[0] in {
            "kotove",
            "pankki",
            "alueet",
            "koulutus",
            "palaute",
        }:
            names = set()
            for name, flt in filterset.base_filters.items():
                widget = flt.field_class.widget
                suffixes = getattr(widget, "suffixes", None)
                names |= {f"{name}_{s}" if s else name for s in suffixes} if suffixes else {name}
            result[frozenset(filterset.base_filters)] = names
    return result


def get_params(site, visit) -> set[str]:
    """A page's GET parameters: its GET forms' fields, the filtersets they belong to, and the
    ones every list takes."""
    names = {"page", "next", "q"}
    path = visit.url.split("?")[0]
    for other in site.visits:  # the parameters of links to the page (list filters, pages)
        if other.url.split("?")[0] == path:
            names |= {key for key, _value in parse_qsl(urlsplit(other.url).query)}
    for form in site.forms.get(visit.role, []):
        if form.method == "get" and form.page.split("?")[0] == visit.url.split("?")[0]:
            names |= {f.name for f in form.fields}
    for fields, params in filterset_params().items():
        if fields & names:
            names |= params
    return names


def test_hostile_input_to_every_form_and_parameter(site):
    started = time.monotonic()
    fuzzer = Fuzzer(site.clients)
    done = set()
    # Forms: each distinct form fully, as the first role that has it; once as every other role.
    for role, forms in site.forms.items():
        for form in forms:
            path = urlsplit(form.action).path
            if form.method != "post" or path.startswith(SKIPPED_ACTIONS):
                continue
            fields = [(f.name, f.value) for f in form.fields if f.kind != "file"]
            files = [f.name for f in form.fields if f.kind == "file"]
            key = (url_name(path), tuple(sorted(name for name, _v in fields)))
            examples = 1 if key in done else EXAMPLES
            done.add(key)
            fuzzer.fuzz(role, "post", path, fields, examples=examples, files=files)
    # GET parameters: each page (by URL name) as the first role that reached it.
    pages = {}
    for visit in site.visits:
        if visit.status == 200 and "html" in visit.response.get("Content-Type", ""):
            pages.setdefault(visit.name, visit)
    for visit in pages.values():
        params = [(name, "") for name in sorted(get_params(site, visit))]
        path = visit.url.split("?")[0]
        examples = 1 if visit.name.startswith("admin:") else EXAMPLES
        fuzzer.fuzz(visit.role, "get", path, params, examples=examples)
    elapsed = time.monotonic() - started
    print(f"fuzz: {fuzzer.requests} requests in {elapsed:.0f} s")
    assert not fuzzer.problems, "\n".join(fuzzer.problems)
    assert AuditEvent.objects.exists()  # the crawl's views were audited: the database is live


@override_settings(ROOT_URLCONF="tests.site.broken_urls")
def test_the_fuzzer_finds_a_crash_a_reflection_and_a_refused_write(client):
    fuzzer = Fuzzer({"anonymous": client})
    fuzzer.send("anonymous", "get", "/crash/", [("q", "NaN")])
    fuzzer.send("anonymous", "get", "/echo/", [("q", PAYLOADS[1])])
    fuzzer.send("anonymous", "post", "/store/", [("name", "x")])
    crash, reflection, write = fuzzer.problems
    assert crash.startswith("anonymous GET /crash/") and "raised ValueError" in crash
    assert reflection.endswith("the script came back unescaped")
    assert "refused (200) but stored kotove_memberorganisation: " in write


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # a 100 kB repr
def test_the_values_include_the_hostile_kinds():
    assert "\x00" in find(VALUE, lambda v: isinstance(v, str) and "\x00" in v)
    assert len(find(VALUE, lambda v: isinstance(v, str) and len(v) > 50_000)) == 100_000
    assert find(VALUE, lambda v: isinstance(v, bytes) and b"\xff" in v)
    assert len(find(VALUES, lambda values: len(values) > 1)) == 2
