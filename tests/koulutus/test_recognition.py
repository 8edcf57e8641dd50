"""Recognition on special grounds: an organisation contact applies with attachments (checked
by name and content, served only to those who see the application), the national steering
group decides, and approval recognises the person in the bank."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kotove.models import AuditEvent, Municipality, OutboundEmail
from koulutus import services
from koulutus.forms.recognition import MAX_ATTACHMENT_BYTES
from koulutus.models import RecognitionApplication, RecognitionAttachment
from pankki.models import Expert

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% todistus\n"


def recognition_post(org, *files, **overrides):
    data = {
        "organisation": str(org.pk),
        "first_name": "Riitta",
        "last_name": "Rinne",
        "email": "Riitta.Rinne@example.fi",
        "phone": "",
        "home_municipality": str(Municipality.objects.get(name_fi="Oulu").pk),
        "experience_kind": "close_one",
        "grounds": "Sairaalan kokemusasiantuntijakoulutus (60 h) 2019 ja viisi vuotta luennointia.",
        "attachments": list(files),
    }
    data.update(overrides)
    return data


def test_contact_applies_with_attachments_and_the_national_group_is_told(
    client, contact_a, org_a, national_member
):
    client.force_login(contact_a)
    response = client.post(
        reverse("koulutus:recognition_create"),
        recognition_post(
            org_a,
            SimpleUploadedFile("todistus.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile(
                "kuva.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png"
            ),
        ),
    )
    recognition = RecognitionApplication.objects.get()
    assert response["Location"] == reverse("koulutus:recognition", args=[recognition.pk])
    assert (recognition.submitted_by, recognition.email) == (contact_a, "riitta.rinne@example.fi")
    names = list(recognition.attachments.values_list("original_name", "content_type"))
    assert names == [("todistus.pdf", "application/pdf"), ("kuva.png", "image/png")]
    stored = recognition.attachments.first().file.name
    assert "todistus" not in stored and stored.endswith(".pdf")
    [email] = OutboundEmail.objects.filter(to=national_member.email)
    assert reverse("koulutus:recognition", args=[recognition.pk]) in email.body


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("ohjelma.exe", b"MZ\x90\x00"), "attach PDF, Word, OpenDocument"),
        (SimpleUploadedFile("todistus.pdf", b"<html>not a pdf"), "is not the kind of file"),
        (
            SimpleUploadedFile("iso.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES),
            "is larger than 10 MB",
        ),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_saved(
    client, contact_a, org_a, upload, message
):
    client.force_login(contact_a)
    response = client.post(reverse("koulutus:recognition_create"), recognition_post(org_a, upload))
    assert message in response.content.decode()
    assert RecognitionApplication.objects.count() == RecognitionAttachment.objects.count() == 0


def test_contact_applies_only_for_own_organisation(client, contact_a, org_b):
    client.force_login(contact_a)
    response = client.post(reverse("koulutus:recognition_create"), recognition_post(org_b))
    assert "organisation" in response.context["form"].errors
    assert RecognitionApplication.objects.count() == 0
    with pytest.raises(ValidationError):
        services.submit_recognition(
            recognition=RecognitionApplication(
                organisation=org_b,
                first_name="X",
                last_name="Y",
                email="x@example.fi",
                home_municipality=Municipality.objects.get(name_fi="Oulu"),
                experience_kind="own",
                grounds="z",
            ),
            attachments=[],
            by=contact_a,
        )
    assert RecognitionApplication.objects.count() == 0


@pytest.fixture
def recognition(client, contact_a, org_a):
    client.force_login(contact_a)
    client.post(
        reverse("koulutus:recognition_create"),
        recognition_post(org_a, SimpleUploadedFile("todistus.pdf", PDF)),
    )
    client.logout()
    return RecognitionApplication.objects.get()


def test_attachment_is_served_to_those_who_see_the_application_and_audited(
    client, recognition, contact_b, national_member
):
    attachment = recognition.attachments.get()
    url = reverse("koulutus:recognition_attachment", args=[recognition.pk, attachment.pk])
    client.force_login(contact_b)
    assert client.get(url).status_code == 404
    client.force_login(national_member)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="todistus.pdf"'
    assert AuditEvent.objects.filter(
        action="recognition.attachment", actor=national_member
    ).exists()


def test_national_group_approves_and_the_person_is_recognised(
    client, recognition, national_member, contact_a
):
    client.force_login(national_member)
    url = reverse("koulutus:recognition_decide", args=[recognition.pk])
    response = client.post(
        url,
        {
            "approve": "1",
            "decision_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "The date cannot be in the future." in response.content.decode()
    decided_on = timezone.localdate() - datetime.timedelta(days=2)
    client.post(
        url, {"approve": "1", "decision_date": decided_on.isoformat(), "note": "Puollettu."}
    )
    recognition.refresh_from_db()
    assert (recognition.status, recognition.decided_by) == ("approved", national_member)
    expert = Expert.objects.get(email="riitta.rinne@example.fi")
    assert expert.recognition_decision_date == decided_on
    assert expert.basic_training_date is None
    assert not Expert.objects.searchable().filter(pk=expert.pk).exists()  # no consent yet
    [email] = OutboundEmail.objects.filter(to=contact_a.email)
    assert "Puollettu." in email.body
    # decided once only
    with pytest.raises(ValidationError, match="decided already"):
        services.decide_recognition(
            recognition=recognition, approve=False, decision_date=decided_on, by=national_member
        )


def test_rejection_changes_nothing_in_the_bank(client, recognition, national_member):
    client.force_login(national_member)
    client.post(
        reverse("koulutus:recognition_decide", args=[recognition.pk]),
        {"approve": "0", "decision_date": timezone.localdate().isoformat()},
    )
    recognition.refresh_from_db()
    assert recognition.status == "rejected"
    assert Expert.objects.count() == 0


def test_others_may_not_decide(client, recognition, planner, contact_a):
    for user in (planner, contact_a):
        client.force_login(user)
        response = client.post(
            reverse("koulutus:recognition_decide", args=[recognition.pk]),
            {"approve": "1", "decision_date": timezone.localdate().isoformat()},
        )
        assert response.status_code == 404
        with pytest.raises(ValidationError):
            services.decide_recognition(
                recognition=recognition, approve=True, decision_date=timezone.localdate(), by=user
            )
    recognition.refresh_from_db()
    assert recognition.status == "submitted"
    assert Expert.objects.count() == 0


def test_lists_take_few_queries(
    client, contact_a, org_a, national_member, django_assert_max_num_queries
):
    for n in range(6):
        RecognitionApplication.objects.create(
            organisation=org_a,
            first_name=f"Henkilö{n}",
            last_name="Testi",
            email=f"h{n}@example.fi",
            home_municipality=Municipality.objects.get(name_fi="Oulu"),
            experience_kind="own",
            grounds="x",
            submitted_by=contact_a,
        )
    client.force_login(national_member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("koulutus:recognitions"))
    assert len(response.context["recognitions"]) == 6
