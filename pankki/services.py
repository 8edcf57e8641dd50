"""Writes of the expert records: saving, status, the up-to-date check, the login invitation, the
reminders of stale records, the import and the qualifications that training records. Each
function lists its side effects.

The consent, search and photo writes live beside this module (consent_services.py,
search_services.py, photos.py; the tasks' in task_services.py) and are imported here, so that
`pankki.services.<name>` names every write of the records."""

from __future__ import annotations

import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Role, User
from kotove.services import audit, invite_user

from .consent_services import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    change_consent,
    export_expert_data,
    give_consent,
    withdraw_consent,
)
from .models import Expert, WorkLanguage
from .photos import PHOTO_MAX_SIDE, clean_photo
from .search_services import (
    delete_saved_search,
    refresh_search_entries,
    save_search,
    send_saved_search_alerts,
)

__all__ = [
    "CONSENT_TEXT",
    "CONSENT_VERSION",
    "PHOTO_MAX_SIDE",
    "change_consent",
    "clean_photo",
    "confirm_up_to_date",
    "delete_saved_search",
    "export_expert_data",
    "find_expert",
    "give_consent",
    "import_experts",
    "invite_expert",
    "record_qualification",
    "refresh_search_entries",
    "save_expert",
    "save_search",
    "send_saved_search_alerts",
    "send_stale_reminders",
    "set_status",
    "withdraw_consent",
]


@transaction.atomic
def save_expert(*, expert: Expert, by: User, m2m: dict | None = None, request=None) -> Expert:
    """Create or update an expert record with its many-to-many fields.

    Side effects: the search entry, an audit row.
    """
    created = expert.pk is None
    if created:
        expert.shuffle = random.randrange(2**31)
    if expert.status != Expert.Status.PAUSED:
        expert.paused_until = None
    if expert.status == Expert.Status.LEFT and not expert.left_on:
        expert.left_on = timezone.localdate()
    expert.full_clean()
    if created:
        expert.save()
    else:  # `consented` is written only by the consent services, never from a stale instance
        expert.save(
            update_fields=[
                f.name for f in Expert._meta.concrete_fields if f.name not in ("id", "consented")
            ]
        )
    for field, values in (m2m or {}).items():
        getattr(expert, field).set(values)
    refresh_search_entries(expert_ids=[expert.pk])
    audit(
        actor=by,
        action="expert.create" if created else "expert.update",
        obj=expert,
        request=request,
    )
    return expert


@transaction.atomic
def confirm_up_to_date(*, experts, by: User, request=None) -> int:
    """Mark records as checked today. Side effects: one audit row per expert."""
    experts = list(experts)
    now = timezone.now()
    Expert.objects.filter(pk__in=[e.pk for e in experts]).update(confirmed_at=now, confirmed_by=by)
    for expert in experts:
        audit(actor=by, action="expert.confirm", obj=expert, request=request)
    return len(experts)


@transaction.atomic
def set_status(*, expert: Expert, status: str, by: User, paused_until=None, request=None) -> Expert:
    """Pause (until a date), reactivate or archive (left) an expert.

    Side effects: the search entry, an audit row."""
    if status == Expert.Status.PAUSED:
        if not paused_until or paused_until <= timezone.localdate():
            raise ValidationError({"paused_until": _("Give a date in the future.")})
        expert.paused_until = paused_until
    else:
        expert.paused_until = None
    expert.left_on = timezone.localdate() if status == Expert.Status.LEFT else None
    expert.status = status
    expert.save(update_fields=["status", "paused_until", "left_on", "updated_at"])
    refresh_search_entries(expert_ids=[expert.pk])
    audit(actor=by, action=f"expert.status.{status}", obj=expert, request=request)
    return expert


@transaction.atomic
def invite_expert(*, expert: Expert, by: User, request=None) -> User:
    """Give the expert a login to keep their own presentation, availability and consent.

    Side effects: a user with the expert role, audit rows, an invitation email."""
    user = invite_user(
        email=expert.email,
        by=by,
        first_name=expert.first_name,
        last_name=expert.last_name,
        role=Role.Kind.EXPERT,
    )
    expert.user = user
    expert.save(update_fields=["user", "updated_at"])
    return user


def send_stale_reminders(*, today=None) -> int:
    """Email each organisation contact the list of their experts not confirmed for 12 months.

    Runs monthly from Celery beat; the idempotency key makes it once per contact per month.
    Side effects: emails."""
    today = today or timezone.localdate()
    sent = 0
    contacts = Role.objects.current().filter(
        kind=Role.Kind.ORGANISATION_CONTACT, user__is_active=True
    )
    for role in contacts.select_related("user", "member_organisation"):
        stale = list(
            Expert.objects.filter(responsible_organisation=role.member_organisation)
            .exclude(status=Expert.Status.LEFT)
            .stale()
            .order_by("last_name", "first_name")
        )
        if not stale:
            continue
        queue_email(
            key=f"stale-reminder:{role.pk}:{today:%Y-%m}",
            to=role.user.email,
            template="pankki/email/stale_reminder",
            language=role.user.language,
            context={
                "user": role.user,
                "organisation": role.member_organisation,
                "experts": stale,
                "list_url": settings.SITE_URL + reverse("pankki:records") + "?stale=1",
            },
        )
        sent += 1
    return sent


@transaction.atomic
def import_experts(*, filename: str, content: bytes, organisation, by: User, request=None) -> dict:
    """Create and update `organisation`'s experts from an import file: all rows or nothing.
    New records count as confirmed up to date by `by`.

    The file is checked again here, inside the transaction (pankki.importer); if any row has
    an error nothing is written and ValidationError lists the errors.
    Side effects: expert records created and updated with their search entries and one
    audit row each (as save_expert), and an audit row for the import."""
    from . import importer

    result = importer.parse(filename=filename, content=content, organisation=organisation)
    if not result.is_valid:
        raise ValidationError(
            result.errors
            or [f"{error.row} {error.column}: {error.message}" for error in result.row_errors]
            or [_("The file has no rows to import.")]
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in result.rows:
        if row.action == row.UNCHANGED:
            counts["unchanged"] += 1
            continue
        expert = row.expert or Expert(
            responsible_organisation=organisation, confirmed_at=timezone.now(), confirmed_by=by
        )
        values = dict(row.values)
        m2m = {"themes": values.pop("themes")} if "themes" in values else {}
        for name, value in values.items():
            setattr(expert, name, value)
        save_expert(expert=expert, by=by, m2m=m2m, request=request)
        counts["created" if row.expert is None else "updated"] += 1
    audit(
        actor=by,
        action="expert.import",
        obj=organisation,
        request=request,
        data={"file": filename, **counts},
    )
    return counts


# Qualifications recorded by training (koulutus) and recognition. ---------------------------


def find_expert(*, email: str, user: User | None = None, organisation=None) -> Expert | None:
    """The person's expert record: the one linked to `user`, else one with `email` (in
    `organisation` first)."""
    if user is not None and user.pk:
        linked = Expert.objects.filter(user=user).first()
        if linked:
            return linked
    matches = Expert.objects.filter(email__iexact=email.strip())
    if organisation is not None:
        own = matches.filter(responsible_organisation=organisation).order_by("pk").first()
        if own:
            return own
    return matches.order_by("pk").first()


@transaction.atomic
def record_qualification(
    *,
    by: User | None,
    organisation,
    first_name: str,
    last_name: str,
    email: str,
    home_municipality,
    experience_kind: str,
    user: User | None = None,
    phone: str = "",
    languages: list[str] | None = None,
    basic_training_date=None,
    basic_training_course: str = "",
    continuing_training_date=None,
    recognition_decision_date=None,
    request=None,
) -> Expert:
    """Record a completed training or a recognition on the person's expert record: link the
    existing record (by user, then email) or create one in `organisation`. A date already on
    the record is kept (the first qualification counts). A new record has no consent, so it is
    not searchable until the expert consents.

    Side effects: the record created or updated (as save_expert: search entry, audit row),
    an audit row expert.qualify."""
    expert = find_expert(email=email, user=user, organisation=organisation)
    if expert is None:
        expert = Expert(
            first_name=first_name,
            last_name=last_name,
            email=email.strip().lower(),
            phone=phone,
            home_municipality=home_municipality,
            experience_kind=experience_kind or Expert.ExperienceKind.OWN,
            responsible_organisation=organisation,
            # The contact completes the record with the expert; Finnish until then.
            languages=languages or [WorkLanguage.FI],
        )
    if (
        user is not None
        and expert.user_id is None
        and not Expert.objects.filter(user=user).exists()
    ):
        expert.user = user
    dates = {
        "basic_training_date": basic_training_date,
        "continuing_training_date": continuing_training_date,
        "recognition_decision_date": recognition_decision_date,
    }
    for field, value in dates.items():
        if value and not getattr(expert, field):
            setattr(expert, field, value)
            if field == "basic_training_date":
                expert.basic_training_course = basic_training_course[:200]
    save_expert(expert=expert, by=by, request=request)
    audit(
        actor=by,
        action="expert.qualify",
        obj=expert,
        request=request,
        data={field: str(value) for field, value in dates.items() if value},
    )
    return expert
