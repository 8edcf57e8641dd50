"""Importing expert records from CSV and XLSX: a dry run first, then all rows or nothing."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kotove.models import AuditEvent, Role
from pankki import importer, services
from pankki.models import Expert
from pankki.views.records import IMPORT_SESSION_KEY

from .factories import ExpertFactory

IMPORT = reverse("pankki:record_import")

NEW_ROW = {
    "first_name": "Kaisa",
    "last_name": "Kokemus",
    "email": "kaisa.kokemus@example.fi",
    "phone": "040 123 4567",
    "home_municipality": "Tampere",
    "languages": "fi, ruotsi",
    "experience_kind": "molemmat",
    "themes": "Afasia; Aivoverenkiertohäiriö",
    "presentation_fi": "Kerron afasiasta.",
    "presentation_sv": "",
    "basic_training_date": "20.4.2023",
    "continuing_training_date": "",
    "online": "ei",
}


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def client_a(client, contact_a):
    client.force_login(contact_a)
    return client


@pytest.fixture
def existing(org_a):
    return ExpertFactory(
        responsible_organisation=org_a,
        first_name="Eero",
        last_name="Entinen",
        email="eero.entinen@example.fi",
        phone="040 111 2222",
    )


def csv_upload(rows, name="kokemustoimijat.csv", delimiter=";", encoding="utf-8-sig"):
    columns = list(dict.fromkeys(column for row in rows for column in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, name="kokemustoimijat.xlsx"):
    columns = list(dict.fromkeys(column for row in rows for column in row))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def written():
    """What an import could have written."""
    return (
        list(Expert.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def dry_run(client, upload, **data):
    response = client.post(IMPORT, {"file": upload, **data})
    assert response.status_code == 200
    return response


def test_import_page_lists_the_columns(client_a):
    html = client_a.get(IMPORT).content.decode()
    for column in importer.COLUMN_NAMES:
        assert f"<code>{column}</code>" in html
    assert 'name="organisation"' not in html  # a contact of one organisation is not asked


def test_dry_run_shows_created_and_changed_rows_and_writes_nothing(client_a, existing):
    before = written()
    rows = [
        NEW_ROW,
        {
            "first_name": "Eero",
            "last_name": "Entinen",
            "email": "Eero.Entinen@example.fi",
            "phone": "050 999 8888",
        },
        {"first_name": "Eero", "last_name": "Entinen", "email": "eero.entinen@example.fi"},
    ]
    # The third row repeats an email: an error. Check the first two alone first.
    response = dry_run(client_a, csv_upload(rows[:2]))
    html = response.content.decode()
    result = response.context["result"]
    assert [row.action for row in result.rows] == ["create", "update"]
    assert result.rows[1].changes == ["phone"]
    assert "Will be created" in html
    assert "Will be changed: phone" in html
    assert 'name="digest"' in html
    assert written() == before
    existing.refresh_from_db()
    assert existing.phone == "040 111 2222"

    response = dry_run(client_a, csv_upload(rows))
    assert "Row 4, column email: The same email address is on row 3." in response.content.decode()


def test_unchanged_rows_are_reported(client_a, existing):
    response = dry_run(
        client_a,
        csv_upload(
            [
                {
                    "first_name": "Eero",
                    "last_name": "Entinen",
                    "email": existing.email,
                    "phone": "040 111 2222",
                }
            ]
        ),
    )
    assert [row.action for row in response.context["result"].rows] == ["unchanged"]
    assert "No changes" in response.content.decode()


def test_errors_name_row_and_column_and_nothing_is_written(client_a, existing):
    before = written()
    rows = [
        NEW_ROW,
        {**NEW_ROW, "email": "ei-sahkopostia", "home_municipality": "Atlantis"},
        {
            **NEW_ROW,
            "email": "toinen@example.fi",
            "basic_training_date": "2023/04/20",
            "online": "ehkä",
        },
        {
            **NEW_ROW,
            "email": "kolmas@example.fi",
            "experience_kind": "",
            "themes": "Afasia; Tuntematon",
        },
        {**NEW_ROW, "email": "neljas@example.fi", "phone": "123", "languages": "klingon"},
    ]
    response = dry_run(client_a, csv_upload(rows))
    html = response.content.decode()
    for row, column in [
        (3, "email"),
        (3, "home_municipality"),
        (4, "basic_training_date"),
        (4, "online"),
        (5, "experience_kind"),
        (5, "themes"),
        (6, "phone"),
        (6, "languages"),
    ]:
        assert f"Row {row}, column {column}:" in html, (row, column)
    assert "Unknown municipality “Atlantis”." in html
    assert "Unknown theme “Tuntematon”." in html
    assert 'name="digest"' not in html  # no way to confirm
    assert IMPORT_SESSION_KEY not in client_a.session
    assert written() == before


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"first_name": "A", "last_name": "B"}], "These columns are missing: email."),
        ([{**NEW_ROW, "shoe_size": "42"}], "Unknown columns: shoe_size."),
    ],
)
def test_file_level_errors(client_a, rows, message):
    before = written()
    response = dry_run(client_a, csv_upload(rows))
    assert message in response.content.decode()
    assert written() == before


@pytest.mark.parametrize(
    "upload, field_error",
    [
        (
            SimpleUploadedFile("experts.txt", b"first_name;last_name;email\n"),
            "Choose a .csv or .xlsx file.",
        ),
        (
            SimpleUploadedFile("experts.csv", b"x" * (2 * 1024 * 1024 + 1)),
            "The file is larger than 2 MB.",
        ),
    ],
)
def test_file_type_and_size_are_checked(client_a, upload, field_error):
    response = client_a.post(IMPORT, {"file": upload})
    html = response.content.decode()
    assert 'id="id_file_error"' in html and field_error in html


def test_broken_xlsx_is_an_error(client_a):
    response = dry_run(client_a, SimpleUploadedFile("rikki.xlsx", b"not a zip file"))
    assert "The file could not be read as an Excel (.xlsx) workbook." in response.content.decode()


def test_valid_csv_is_applied_on_confirm(client_a, contact_a, org_a, existing):
    rows = [
        NEW_ROW,
        {
            "first_name": "Eero",
            "last_name": "Entinen",
            "email": existing.email,
            "phone": "050 999 8888",
            "online": "kyllä",
        },
    ]
    preview = dry_run(client_a, csv_upload(rows, delimiter=",", encoding="cp1252"))
    digest = preview.context["digest"]
    assert written()[0] == list(Expert.objects.order_by("pk").values())
    assert Expert.objects.count() == 1

    response = client_a.post(IMPORT, {"digest": digest})
    assert response.status_code == 302 and response["Location"] == reverse("pankki:records")
    kaisa = Expert.objects.get(email="kaisa.kokemus@example.fi")
    assert (kaisa.first_name, kaisa.last_name, kaisa.phone) == ("Kaisa", "Kokemus", "040 123 4567")
    assert kaisa.responsible_organisation == org_a
    assert kaisa.home_municipality.name_fi == "Tampere"
    assert kaisa.languages == ["fi", "sv"]
    assert kaisa.experience_kind == Expert.ExperienceKind.BOTH
    assert sorted(t.name_fi for t in kaisa.themes.all()) == ["Afasia", "Aivoverenkiertohäiriö"]
    assert kaisa.basic_training_date == datetime.date(2023, 4, 20)
    assert kaisa.online is False
    assert kaisa.presentation_fi == "Kerron afasiasta."
    assert kaisa.confirmed_by == contact_a
    existing.refresh_from_db()
    assert existing.phone == "050 999 8888"
    assert existing.first_name == "Eero" and existing.basic_training_date  # blanks keep values
    assert AuditEvent.objects.filter(action="expert.create", actor=contact_a).count() == 1
    assert AuditEvent.objects.filter(action="expert.update", actor=contact_a).count() == 1
    event = AuditEvent.objects.get(action="expert.import")
    assert event.data == {"file": "kokemustoimijat.csv", "created": 1, "updated": 1, "unchanged": 0}
    assert IMPORT_SESSION_KEY not in client_a.session

    # The same confirmation again finds nothing to apply.
    assert client_a.post(IMPORT, {"digest": digest})["Location"] == IMPORT
    assert Expert.objects.count() == 2


def test_valid_xlsx_is_applied_on_confirm(client_a, org_a):
    rows = [
        {
            **NEW_ROW,
            "home_municipality": 837,  # Tampere's code as a number cell
            "basic_training_date": datetime.datetime(2022, 11, 3),
            "continuing_training_date": "2024-02-01",
            "online": "yes",
            "experience_kind": "own",
            "languages": "Finnish, sv, fse",
        },
        {
            **NEW_ROW,
            "email": "ville.vaara@example.fi",
            "first_name": "Ville",
            "home_municipality": "Tammerfors",
        },
    ]
    preview = dry_run(client_a, xlsx_upload(rows))
    assert [row.action for row in preview.context["result"].rows] == ["create", "create"]
    assert Expert.objects.count() == 0
    response = client_a.post(IMPORT, {"digest": preview.context["digest"]})
    assert response.status_code == 302
    kaisa = Expert.objects.get(email="kaisa.kokemus@example.fi")
    assert kaisa.home_municipality.name_fi == "Tampere"
    assert kaisa.basic_training_date == datetime.date(2022, 11, 3)
    assert kaisa.continuing_training_date == datetime.date(2024, 2, 1)
    assert kaisa.online is True
    assert kaisa.languages == ["fi", "sv", "fse"]
    assert Expert.objects.get(first_name="Ville").home_municipality.name_fi == "Tampere"


def test_xlsx_errors_name_row_and_column(client_a):
    response = dry_run(
        client_a,
        xlsx_upload([NEW_ROW, {**NEW_ROW, "email": "x@example.fi", "home_municipality": 999}]),
    )
    assert "Row 3, column home_municipality:" in response.content.decode()
    assert not Expert.objects.exists()


def test_all_or_nothing_when_a_row_fails_while_applying(contact_a, org_a, existing, monkeypatch):
    """A failure on the second row rolls back the first."""
    upload = csv_upload(
        [
            NEW_ROW,
            {
                "first_name": "Eero",
                "last_name": "Entinen",
                "email": existing.email,
                "phone": "050 999 8888",
            },
        ]
    )
    calls = []
    original = services.save_expert

    def failing_save(**kwargs):
        calls.append(kwargs["expert"])
        if len(calls) == 2:
            raise ValidationError("boom")
        return original(**kwargs)

    monkeypatch.setattr(services, "save_expert", failing_save)
    before = written()
    with pytest.raises(ValidationError):
        services.import_experts(
            filename=upload.name, content=upload.read(), organisation=org_a, by=contact_a
        )
    assert len(calls) == 2
    assert written() == before


def test_invalid_file_is_refused_by_the_service(contact_a, org_a):
    upload = csv_upload(
        [NEW_ROW, {**NEW_ROW, "email": "toinen@example.fi", "home_municipality": "Atlantis"}]
    )
    with pytest.raises(ValidationError):
        services.import_experts(
            filename=upload.name, content=upload.read(), organisation=org_a, by=contact_a
        )
    assert not Expert.objects.exists()


def test_confirm_rechecks_the_file_against_the_register(client_a, org_a):
    """A row valid in the dry run that became invalid before the confirmation stops all."""
    rows = [NEW_ROW, {**NEW_ROW, "email": "toinen@example.fi"}]
    preview = dry_run(client_a, csv_upload(rows))
    # Meanwhile two records with the second row's email appear: the match is ambiguous.
    ExpertFactory.create_batch(2, responsible_organisation=org_a, email="toinen@example.fi")
    response = client_a.post(IMPORT, {"digest": preview.context["digest"]})
    assert response.status_code == 200
    assert (
        "Row 3, column email: Several of your experts have this email address."
        in response.content.decode()
    )
    assert not Expert.objects.filter(email="kaisa.kokemus@example.fi").exists()


def test_forged_digest_writes_nothing(client_a):
    dry_run(client_a, csv_upload([NEW_ROW]))
    response = client_a.post(IMPORT, {"digest": "0" * 64})
    assert response["Location"] == IMPORT
    assert not Expert.objects.exists()


def test_other_organisations_experts_are_not_updated(actor_client, existing, org_b):
    """Contact B's file with A's expert's email creates B's own record; A's is untouched."""
    client = actor_client("contact_b")
    before = list(Expert.objects.filter(pk=existing.pk).values())
    row = {**NEW_ROW, "email": existing.email}
    preview = dry_run(client, csv_upload([row]))
    assert [r.action for r in preview.context["result"].rows] == ["create"]
    client.post(IMPORT, {"digest": preview.context["digest"]})
    assert list(Expert.objects.filter(pk=existing.pk).values()) == before
    assert Expert.objects.get(responsible_organisation=org_b).email == existing.email


def test_contact_of_several_organisations_chooses_one(client_a, contact_a, org_a, org_b):
    Role.objects.create(
        user=contact_a, kind=Role.Kind.ORGANISATION_CONTACT, member_organisation=org_b
    )
    contact_a.__dict__.pop("active_roles", None)
    response = client_a.post(IMPORT, {"file": csv_upload([NEW_ROW])})
    assert 'id="id_organisation_error"' in response.content.decode()
    preview = dry_run(client_a, csv_upload([NEW_ROW]), organisation=org_b.pk)
    client_a.post(IMPORT, {"digest": preview.context["digest"]})
    assert Expert.objects.get().responsible_organisation == org_b
