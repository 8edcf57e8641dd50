"""Recognition of competence on special grounds: an organisation applies, the national
steering group decides."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.models import Role, User
from kotove.services import audit
from pankki import services as pankki_services

from .. import emails
from ..models import RecognitionApplication, RecognitionAttachment, contact_organisation_ids


@transaction.atomic
def submit_recognition(
    *,
    recognition: RecognitionApplication,
    attachments: list[dict],
    by: User,
    request=None,
) -> RecognitionApplication:
    """An organisation contact applies to the national steering group for a person.
    `attachments` are checked uploads: dicts of file, original_name, content_type, size.

    Side effects: the application and its attachments (files stored), an audit row, an
    email to each member of the national steering group."""
    if recognition.organisation_id not in contact_organisation_ids(by):
        raise ValidationError(_("Apply only for people of your own organisation."))
    recognition.submitted_by = by
    recognition.email = recognition.email.strip().lower()
    recognition.full_clean()
    recognition.save()
    for attachment in attachments:
        RecognitionAttachment.objects.create(application=recognition, **attachment)
    audit(
        actor=by,
        action="recognition.submit",
        obj=recognition,
        request=request,
        data={"attachments": len(attachments)},
    )
    emails.to_users(
        emails.national_group(),
        key=f"koulutus:recognition:{recognition.pk}:new",
        template="koulutus/email/recognition_new",
        path=reverse("koulutus:recognition", args=[recognition.pk]),
        recognition=recognition,
    )
    return recognition


@transaction.atomic
def decide_recognition(
    *,
    recognition: RecognitionApplication,
    approve: bool,
    decision_date: date,
    note: str = "",
    by: User,
    request=None,
) -> RecognitionApplication:
    """The national steering group's decision. Approval recognises the person's competence in
    the bank with the decision date (their record linked or created through
    pankki.services.record_qualification; searchable once they consent).

    Side effects: the application, the expert record, audit rows, an email to the contacts of
    the organisation."""
    if not by.has_role(Role.Kind.NATIONAL_GROUP):
        raise ValidationError(_("Only the national steering group decides recognitions."))
    recognition = RecognitionApplication.objects.select_for_update().get(pk=recognition.pk)
    if recognition.status != RecognitionApplication.Status.SUBMITTED:
        raise ValidationError(_("This application has been decided already."))
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("The date cannot be in the future.")})
    recognition.status = (
        RecognitionApplication.Status.APPROVED
        if approve
        else RecognitionApplication.Status.REJECTED
    )
    recognition.decision_date = decision_date
    recognition.decision_note = note
    recognition.decided_by = by
    if approve:
        recognition.expert = pankki_services.record_qualification(
            by=by,
            organisation=recognition.organisation,
            first_name=recognition.first_name,
            last_name=recognition.last_name,
            email=recognition.email,
            phone=recognition.phone,
            home_municipality=recognition.home_municipality,
            experience_kind=recognition.experience_kind,
            recognition_decision_date=decision_date,
            request=request,
        )
    recognition.save()
    audit(
        actor=by,
        action=f"recognition.{recognition.status}",
        obj=recognition,
        request=request,
    )
    emails.to_users(
        emails.contacts_of(recognition.organisation),
        key=f"koulutus:recognition:{recognition.pk}:decided",
        template="koulutus/email/recognition_decided",
        path=reverse("koulutus:recognition", args=[recognition.pk]),
        recognition=recognition,
    )
    return recognition
