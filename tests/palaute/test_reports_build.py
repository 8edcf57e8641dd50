"""Asking for a report, its build by Celery, its outputs, failures, duplicates and the yearly
schedule. Every output renders the same figures."""

import csv
import datetime
import io
import threading
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kotove.models import OutboundEmail
from palaute import report_services
from palaute.models import Report
from palaute.reports.data import ReportData

from .report_factories import TYPE_1, YEAR, build_network


def pdf_text(report: Report) -> str:
    with report.pdf.open("rb") as file:
        return "\n".join(page.extract_text() for page in PdfReader(file).pages)


def ask(client, on_commit, **form):
    """Post the request form as the signed-in user and run the build Celery would run."""
    with on_commit():
        response = client.post(reverse("palaute:reports"), form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Report.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_the_planner_asks_for_a_report_and_every_output_has_the_same_figures(
    client, planner, on_commit
):
    network = build_network()
    client.force_login(planner)
    report = ask(client, on_commit, year=YEAR, covers="network", language="fi")
    report.refresh_from_db()
    assert (report.status, report.progress, report.attempts) == ("ready", 100, 1)
    assert (report.requested_by, report.for_planner, report.scope) == (planner, True, "network")
    data = ReportData.from_json(report.data)
    by_type = next(t for _s, t in data.tables if t.key == "tasks_by_type")
    type_1 = next(row for row in by_type.rows if row[0] == TYPE_1)
    assert type_1[1] == sum(t.type == TYPE_1 for t in network.held())

    text = pdf_text(report)
    for title in ("Vuosiraportti 2024", "Koko verkosto", "Sisällys", "Tehtävät", "Palaute"):
        assert title in text
    for title in ("Koulutus", "Ohjausryhmät", "Rekisteri", "Tehtävät tehtävätyypeittäin"):
        assert title in text
    for title in ("Kuulijapalaute", "Pidetyt koulutukset tyypeittäin", "Kehittämistuet"):
        assert title in text
    assert "Pylväskaavio" not in text  # the chart's alternative text is not printed text

    with report.xlsx.open("rb") as file:
        workbook = load_workbook(file, read_only=True)
        assert workbook.sheetnames == [
            "Raportti",
            "Tehtävät",
            "Palaute",
            "Koulutus",
            "Ohjausryhmät",
            "Rekisteri",
        ]
        rows = [list(r) for r in workbook["Tehtävät"].iter_rows(values_only=True)]
    assert [TYPE_1, *type_1[1:]] in [row[: len(type_1)] for row in rows]

    with report.csv.open("rb") as file, zipfile.ZipFile(file) as archive:
        names = archive.namelist()
        assert names[0] == "00-raportti.csv"
        name = next(n for n in names if n.endswith("tehtavat-tehtavatyypeittain.csv"))
        content = archive.read(name).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0] == ["Tehtävätyyppi", "Tehtävät", "Tavoitetut kuulijat", "Etätehtävät"]
    assert [TYPE_1, *map(str, type_1[1:])] in rows
    assert len(names) == 1 + len(data.tables)

    page = client.get(reverse("palaute:report", args=[report.pk])).content.decode()
    assert "<h1>Vuosiraportti 2024: Koko verkosto</h1>" in page
    assert f'<th scope="row">{TYPE_1}</th><td class="num">{type_1[1]}</td>' in page
    assert 'aria-labelledby="chart-tasks_by_type-title chart-tasks_by_type-desc"' in page
    assert (
        '<title id="chart-tasks_by_type-title">'
        "Pylväskaavio: Tehtävät tehtävätyypeittäin, Tehtävät</title>"
    ) in page
    assert reverse("palaute:report_idle", args=[report.pk]) in page
    download = client.get(reverse("palaute:report_file", args=[report.pk, "xlsx"]))
    assert download["Content-Disposition"] == (
        'attachment; filename="vuosiraportti-2024-koko-verkosto-fi.xlsx"'
    )


def test_every_table_of_the_pdf_stays_inside_the_page_margins(client, planner, on_commit):
    """The steering groups' activity table has 7 columns: its text must not run into the
    right margin (18 mm of A4, css/pdf.css)."""
    build_network()
    client.force_login(planner)
    report = ask(client, on_commit, year=YEAR, covers="network", language="fi")
    right_edge = (210 - 18) / 25.4 * 72  # points
    starts = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            starts.append((tm[4] * cm[0] + cm[4], text.strip()))

    with report.pdf.open("rb") as file:
        for page in PdfReader(file).pages:
            page.extract_text(visitor_text=visit)
    assert any(text == "Toteutuneet" for _x, text in starts)  # the 7-column table is there
    assert [(round(x), text) for x, text in starts if x > right_edge - 2] == []


def test_an_empty_year_gives_a_report_that_says_so(client, national_member, on_commit):
    client.force_login(national_member)
    report = ask(client, on_commit, year=2017, covers="network", language="sv")
    report.refresh_from_db()
    assert report.status == "ready" and report.for_planner is False
    message = "Det finns inga uppgifter för 2017"
    assert message in pdf_text(report)
    with report.xlsx.open("rb") as file:
        assert load_workbook(file, read_only=True).sheetnames == ["Rapport"]
    page = client.get(reverse("palaute:report", args=[report.pk])).content.decode()
    assert message in page


def test_a_failed_build_shows_the_error_and_can_be_retried(
    client, contact_a, org_a, on_commit, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "a-file"
    settings.MEDIA_ROOT.write_text("not a folder")  # nothing can be saved under it
    client.force_login(contact_a)
    report = ask(client, on_commit, year=2017, covers=f"organisation-{org_a.pk}", language="fi")
    report.refresh_from_db()
    assert report.status == "failed" and "NotADirectoryError" in report.error
    assert not report.pdf and report.data is None
    page = client.get(reverse("palaute:report", args=[report.pk])).content.decode()
    assert "Raportin koostaminen epäonnistui" in page and "NotADirectoryError" in page
    assert reverse("palaute:report_retry", args=[report.pk]) in page

    settings.MEDIA_ROOT = tmp_path / "media"
    with on_commit():
        response = client.post(reverse("palaute:report_retry", args=[report.pk]))
    assert response["Location"] == reverse("palaute:report", args=[report.pk])
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == ("ready", 2, "")
    assert report.pdf and report.xlsx and report.csv


def test_a_file_lost_from_storage_is_not_offered_and_answers_404(
    client, national_member, on_commit
):
    client.force_login(national_member)
    report = ask(client, on_commit, year=2017, covers="network", language="fi")
    report.refresh_from_db()
    report.pdf.storage.delete(report.pdf.name)  # e.g. a database restored without its media
    page = client.get(reverse("palaute:report", args=[report.pk])).content.decode()
    assert reverse("palaute:report_file", args=[report.pk, "pdf"]) not in page
    assert reverse("palaute:report_file", args=[report.pk, "xlsx"]) in page
    response = client.get(reverse("palaute:report_file", args=[report.pk, "pdf"]))
    assert response.status_code == 404


def test_a_report_being_built_shows_its_progress_without_javascript(client, planner):
    client.force_login(planner)
    response = client.post(
        reverse("palaute:reports"), {"year": 2023, "covers": "network", "language": "fi"}
    )  # the build is queued after the commit; this test's transaction never commits
    report = Report.objects.get()
    assert response["Location"] == reverse("palaute:report", args=[report.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="report-progress" max="100" value="0">' in page
    assert f'<a href="{reverse("palaute:report", args=[report.pk])}">Päivitä tilanne</a>' in page
    assert "palaute/report.js" in page and "<script>" not in page
    Report.objects.filter(pk=report.pk).update(status="building", progress=30, step="pdf")
    state = client.get(reverse("palaute:report_status", args=[report.pk])).json()
    assert state == {
        "status": "building",
        "label": "Koostetaan",
        "progress": 30,
        "step": "Kirjoitetaan PDF-tiedostoa",
        "done": False,
    }


def test_asking_again_while_it_is_built_follows_the_same_build(client, planner):
    client.force_login(planner)
    form = {"year": 2023, "covers": "network", "language": "fi"}
    first = client.post(reverse("palaute:reports"), form)
    second = client.post(reverse("palaute:reports"), form, follow=True)
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "Tätä raporttia koostetaan jo" in second.content.decode()
    assert Report.objects.count() == 1
    form["language"] = "sv"
    client.post(reverse("palaute:reports"), form)
    assert Report.objects.count() == 2


def test_a_contact_cannot_ask_for_another_organisations_report(client, contact_a, org_b):
    client.force_login(contact_a)
    response = client.post(
        reverse("palaute:reports"),
        {"year": 2024, "covers": f"organisation-{org_b.pk}", "language": "fi"},
    )
    assert response.status_code == 200
    assert 'id="id_covers_error"' in response.content.decode()
    assert not Report.objects.exists()
    with pytest.raises(PermissionDenied):
        report_services.request_report(
            by=contact_a, year=2024, scope="organisation", organisation=org_b
        )
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_build_the_report_once(planner):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def ask_for_it():
        try:
            barrier.wait(timeout=10)
            results.append(report_services.request_report(by=planner, year=2016, scope="network"))
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask_for_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Report.objects.count() == 1
    report = Report.objects.get()
    assert sorted(created for _r, created in results) == [False, True]
    assert {r.pk for r, _c in results} == {report.pk}
    assert (report.status, report.attempts) == ("ready", 1)


def test_the_yearly_schedule_builds_last_years_network_report_and_emails_planners(
    planner, national_member, on_commit
):
    # A year without data keeps the build short; the figures are tested above.
    assert settings.CELERY_BEAT_SCHEDULE["annual-report"]["task"] == "palaute.build_annual_reports"
    schedule = settings.CELERY_BEAT_SCHEDULE["annual-report"]["schedule"]
    assert (schedule.month_of_year, schedule.day_of_month) == ({1}, {15})
    with on_commit():
        created = report_services.schedule_annual_reports(today=datetime.date(2018, 1, 15))
    report = Report.objects.get()
    assert [r.pk for r in created] == [report.pk]
    assert (report.year, report.scope, report.scheduled, report.for_planner) == (
        2017,
        "network",
        True,
        True,
    )
    assert report.requested_by is None and report.status == "ready"
    email = OutboundEmail.objects.get()
    assert email.to == planner.email
    assert email.subject == "Verkoston vuosiraportti 2017 on valmis"
    assert reverse("palaute:report", args=[report.pk]) in email.body
    with on_commit():
        assert report_services.schedule_annual_reports(today=datetime.date(2018, 1, 15)) == []
    assert Report.objects.count() == 1 and OutboundEmail.objects.count() == 1


def test_lists_take_a_fixed_number_of_queries(
    client, planner, django_assert_max_num_queries, org_a
):
    build_network()
    Report.objects.bulk_create(
        Report(year=2000 + n, scope="organisation", organisation=org_a, status="ready")
        for n in range(30)
    )
    report = Report.objects.create(year=YEAR, scope="network", for_planner=True, status="ready")
    client.force_login(planner)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("palaute:reports")).content.decode()
    assert page.count("<tr>") == 1 + 25  # the header and the first page
    with django_assert_max_num_queries(14):
        page = client.get(reverse("palaute:report_idle", args=[report.pk])).content.decode()
    # Who was in the register during the year but had no task in it.
    assert ", E4</a>" in page and ", E1</a>" not in page and ", E5</a>" not in page
