"""The personal data kotove holds, and that of the third-party apps it runs (allauth's email
addresses and authenticators, the admin's edit log). Conventions: kotove/personal_data/."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AccessRequest, AuditEvent, MemberOrganisation, OutboundEmail, Role, User
from .personal_data import (
    DELETE,
    ERASED,
    Anonymise,
    Custom,
    PersonalData,
    Retention,
    by_email,
    by_user,
    erased_email,
)


def _mentions(person, text: str) -> bool:
    text = text.lower()
    return any(term.lower() in text for term in [*person.emails, *person.names])


def _scrub(person, value):
    """The value with every mention of the person's emails and names replaced."""
    if isinstance(value, dict):
        return {key: _scrub(person, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(person, item) for item in value]
    if isinstance(value, str) and _mentions(person, value):
        return ERASED
    return value


def _about(found: dict) -> Q:
    """Audit and admin-log rows whose object is one of the rows found."""
    condition = Q(pk__in=[])
    for model, pks in found.items():
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(object_type=content_type, object_id__in=[str(pk) for pk in pks])
        label = model._meta.label_lower
        for pk in pks:
            condition |= Q(data__shown__contains=[f"{label}:{pk}"])
    return condition


def _audit_rows(person, found):
    condition = _about(found)
    if person.user is not None:
        condition |= Q(actor=person.user)
    return AuditEvent.objects.filter(condition)


def _scrub_audit(queryset, person):
    """The log is kept (it shows who saw or changed what, and when); the person's name and
    email go. Their acts keep the (anonymised) account and the roles they acted in."""
    for event in queryset:
        own = person.user is not None and event.actor_id == person.user.pk
        event.actor_email = "" if own else event.actor_email
        event.object_repr = ERASED if event.object_repr else ""
        event.data = _scrub(person, event.data)
        terms = [
            t for term in person.emails | person.names for t in (quote(term), quote_plus(term))
        ]
        if _mentions(person, event.path) or any(t in event.path for t in terms):
            event.path = event.path.split("?")[0]
        event.save(update_fields=["actor_email", "object_repr", "data", "path"])


def _export_audit(event, person):
    """Who saw or changed the person's data (by role and organisation), and what they did."""
    own = person.user is not None and event.actor_id == person.user.pk
    row = {"time": event.created_at, "action": event.action}
    if own:
        row["object_type"] = str(event.object_type) if event.object_type else ""
    else:
        row["by"] = event.actor_roles or str(_("the service"))
        row["object"] = event.object_repr
    return row


def _emails(person, found):
    condition = Q(to__in=person.emails)
    for term in person.emails | person.names:
        condition |= Q(body__icontains=term) | Q(subject__icontains=term)
    if not person.emails and not person.names:
        return OutboundEmail.objects.none()
    return OutboundEmail.objects.filter(condition)


def _scrub_outbox(queryset, person):
    """Emails to the person are deleted; in emails to others (an organisation contact's list,
    the planner's notice of a request) the person's name and email are replaced."""
    queryset.filter(to__in=person.emails).delete()
    for email in queryset.exclude(to__in=person.emails):
        for term in person.emails | person.names:
            email.subject = _replace(email.subject, term)
            email.body = _replace(email.body, term)
        email.save(update_fields=["subject", "body"])


def _replace(text: str, term: str) -> str:
    lower, needle = text.lower(), term.lower()
    while needle in lower:
        start = lower.index(needle)
        text = text[:start] + ERASED + text[start + len(term) :]
        lower = text.lower()
    return text


def _export_email(email, person):
    if email.to not in person.emails:
        return None  # someone else's email that mentions the person
    return {
        "to": email.to,
        "subject": email.subject,
        "body": email.body,
        "created_at": email.created_at,
        "sent_at": email.sent_at,
    }


def _admin_log(person, found):
    condition = Q(pk__in=[])
    for model, pks in found.items():
        condition |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
    return LogEntry.objects.filter(condition)


def _export_authenticator(authenticator, person):
    # The secret and the recovery codes stay out of the export.
    return {
        "type": authenticator.get_type_display(),
        "created_at": authenticator.created_at,
        "last_used_at": authenticator.last_used_at,
    }


PERSONAL_DATA = [
    PersonalData(
        User,
        find=by_user("pk"),
        erase=Anonymise(
            {
                "email": erased_email,
                "first_name": "",
                "last_name": "",
                "phone": "",
                "is_active": False,
                "password": lambda user: make_password(None),
                "last_login": None,
            }
        ),
        export_exclude=("password", "is_superuser", "groups", "user_permissions"),
    ),
    PersonalData(Role, via=("user",), erase=DELETE),
    PersonalData(EmailAddress, via=("user",), erase=DELETE, export_exclude=("user",)),
    # A confirmation key that was emailed; the address itself is exported above.
    PersonalData(EmailConfirmation, via=("email_address",), erase=DELETE, export=False),
    PersonalData(Authenticator, via=("user",), erase=DELETE, export=_export_authenticator),
    PersonalData(AccessRequest, find=by_email("email"), erase=DELETE),
    PersonalData(
        AuditEvent,
        find=_audit_rows,
        erase=Custom(_scrub_audit, _("kept; the person's name and email are removed")),
        export=_export_audit,
        late=True,
    ),
    PersonalData(
        OutboundEmail,
        find=_emails,
        erase=Custom(
            _scrub_outbox,
            _("emails to the person deleted; their name and email removed from other emails"),
        ),
        export=_export_email,
        late=True,
    ),
    # The admin's edit history of the person's records: which fields changed, and when; the
    # records themselves are exported above.
    PersonalData(
        LogEntry,
        find=_admin_log,
        erase=Anonymise({"object_repr": ERASED}),
        export=False,
        late=True,
    ),
]

NOT_PERSONAL = {
    MemberOrganisation: "its email is the organisation's own address, not a person's",
}

RETENTION = [
    Retention(
        name="declined_access_requests",
        description=_("Declined requests for an orderer account are deleted."),
        setting="RETENTION_DECLINED_ACCESS_REQUEST_DAYS",
        expired=lambda cutoff: AccessRequest.objects.filter(
            status=AccessRequest.Status.DECLINED, decided_at__lt=cutoff
        ),
    ),
    Retention(
        name="sent_emails",
        description=_("Sent and failed emails are deleted from the outbox."),
        setting="RETENTION_OUTBOX_DAYS",
        expired=lambda cutoff: OutboundEmail.objects.filter(created_at__lt=cutoff).exclude(
            status=OutboundEmail.Status.PENDING
        ),
        erase=DELETE,
    ),
    Retention(
        name="audit_log",
        description=_("Audit log rows are deleted."),
        setting="RETENTION_AUDIT_LOG_DAYS",
        expired=lambda cutoff: AuditEvent.objects.filter(created_at__lt=cutoff),
        erase=DELETE,
    ),
]
