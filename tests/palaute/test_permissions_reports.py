"""Who gets what from the annual report URLs (GET), and refused writes change nothing.

The report in the matrix is organisation A's shared version; the list of experts with no task
belongs to the planner's version. Anonymous users are sent to the login (302); whoever may not
see a report gets 404 (also by URL).
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from kotove.models import Area
from palaute.models import Report
from tests.conftest import ACTORS

OPEN_TO_REPORTERS = dict.fromkeys(ACTORS, 200) | {
    "anonymous": 302,
    "orderer": 404,
    "expert_user": 404,
}
NOBODY = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}
ORGANISATION_A = NOBODY | {"planner": 200, "national_member": 200, "contact_a": 200}

MATRIX = {
    "reports": OPEN_TO_REPORTERS,
    "report": ORGANISATION_A,
    "report_status": ORGANISATION_A,
    "report_file": ORGANISATION_A,
    "report_retry": dict.fromkeys(ACTORS, 405) | {"anonymous": 302},  # POST only
    "report_idle": NOBODY | {"planner": 200},
}


def ready_report(**fields) -> Report:
    report = Report.objects.create(
        year=2024, status=Report.Status.READY, progress=100, data=None, **fields
    )
    report.pdf.save("raportti.pdf", ContentFile(b"%PDF-1.7 test"))
    return report


@pytest.fixture
def reports(org_a):
    return {
        "shared": ready_report(scope=Report.Scope.ORGANISATION, organisation=org_a),
        "planner": ready_report(scope=Report.Scope.NETWORK, for_planner=True),
    }


def test_matrix_covers_every_actor():
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


def url(name, reports):
    report = reports["planner" if name == "report_idle" else "shared"]
    if name == "reports":
        return reverse("palaute:reports")
    if name == "report_file":
        return reverse("palaute:report_file", args=[report.pk, "pdf"])
    return reverse(f"palaute:{name}", args=[report.pk])


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_actor(actor_client, reports, actor, name):
    response = actor_client(actor).get(url(name, reports))
    assert response.status_code == MATRIX[name][actor]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if name == "report_file" and response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.7 test"


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        ("network", {"planner", "national_member"}),
        ("area_x", {"planner", "national_member", "secretary_x"}),
        ("organisation_b", {"planner", "national_member", "contact_b"}),
        ("planner_version", {"planner"}),
    ],
)
def test_each_scope_is_seen_by_its_own_roles_only(actor_client, org_b, scope, allowed):
    fields = {
        "network": {"scope": "network"},
        "area_x": {"scope": "area", "area": Area.objects.get(name_fi="Pirkanmaa")},
        "organisation_b": {"scope": "organisation", "organisation": org_b},
        "planner_version": {"scope": "network", "for_planner": True},
    }[scope]
    report = ready_report(**fields)
    for actor in ACTORS[1:]:
        client = actor_client(actor)
        for path in (
            reverse("palaute:report", args=[report.pk]),
            reverse("palaute:report_file", args=[report.pk, "pdf"]),
        ):
            expected = 200 if actor in allowed else 404
            assert client.get(path).status_code == expected, (actor, path)
        listed = client.get(reverse("palaute:reports"))
        if listed.status_code == 200:
            shown = reverse("palaute:report", args=[report.pk]) in listed.content.decode()
            assert shown == (actor in allowed), actor
        client.logout()


@pytest.mark.parametrize("actor", ACTORS)
def test_refused_writes_change_nothing(actor_client, reports, org_b, actor):
    failed = Report.objects.create(
        year=2023, scope="organisation", organisation=org_b, status=Report.Status.FAILED
    )
    client = actor_client(actor)
    before = list(Report.objects.order_by("pk").values_list("pk", "status", "attempts"))
    response = client.post(reverse("palaute:report_retry", args=[failed.pk]))
    if actor in ("planner", "national_member", "contact_b"):
        assert response.status_code == 302  # allowed: tested in test_reports_build
        return
    assert response.status_code in (302, 404)
    if actor == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    response = client.post(
        reverse("palaute:reports"),
        {"year": 2024, "covers": f"organisation-{org_b.pk}", "language": "fi"},
    )
    assert response.status_code in (200, 302, 404)
    if response.status_code == 200:  # the form, with the choice refused on its field
        assert 'id="id_covers_error"' in response.content.decode()
    assert list(Report.objects.order_by("pk").values_list("pk", "status", "attempts")) == before
