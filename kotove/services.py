"""Every write of the network's core. Each function lists its side effects."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data
from .emails import queue_email
from .models import (
    AccessRequest,
    AuditEvent,
    OrdererOrganisation,
    OutboundEmail,
    Role,
    User,
)

log = logging.getLogger(__name__)


def audit(*, actor, action: str, obj=None, request=None, data: dict | None = None) -> AuditEvent:
    """Write one audit row: who, in which roles, did what to which object, from which path."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=actor.email if actor else "",
        actor_roles=", ".join(str(role) for role in actor.active_roles)[:500] if actor else "",
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
        data=data or {},
    )


def audit_view(
    *, request, action: str, shown: Iterable = (), keys: Iterable[str] = (), obj=None
) -> AuditEvent | None:
    """The audit row of a page, export or PDF that shows special-category (health) data of the
    records in `shown` (e.g. experts), or of those named by `keys` (personal_data.record_keys,
    where the page has no instances): one row per response, naming every record shown, so the
    planner can list who saw a given expert. `obj` is the page's own object (by default the
    one record shown). Writes nothing when nothing is shown."""
    shown = list(shown)
    keys = sorted({*personal_data.shown_keys(shown), *keys})
    if not keys:
        return None
    if obj is None and len(shown) == 1 and len(keys) == 1:
        obj = shown[0]
    return audit(actor=request.user, action=action, obj=obj, request=request, data={"shown": keys})


def set_preferred_language(*, user: User, language: str) -> None:
    """The language the site and the user's emails use. Side effects: none besides the user."""
    user.language = language
    user.save(update_fields=["language"])


@transaction.atomic
def grant_role(
    *,
    user: User,
    kind: str,
    by: User | None,
    member_organisation=None,
    orderer_organisation=None,
    area=None,
) -> Role:
    """Give `user` a role in its scope (idempotent). Side effects: an audit row."""
    scope_field = Role.SCOPES.get(kind)
    scope = {
        "member_organisation": member_organisation,
        "orderer_organisation": orderer_organisation,
        "area": area,
    }
    for field, value in scope.items():
        if (field == scope_field) != (value is not None):
            raise ValidationError({field: _("This role needs exactly its own scope.")})
    role, created = Role.objects.get_or_create(user=user, kind=kind, **scope)
    if created:
        audit(actor=by, action="role.grant", obj=role, data={"user": user.email})
    user.__dict__.pop("active_roles", None)
    return role


def password_link(user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


@transaction.atomic
def invite_user(
    *,
    email: str,
    by: User | None,
    first_name: str = "",
    last_name: str = "",
    language: str = "fi",
    role: str | None = None,
    template: str = "kotove/email/invitation",
    **scope,
) -> User:
    """Create (or find) the user, give the role and email an invitation.

    A new user has no password: the invitation link sets it and verifies the address.
    Side effects: the user and a verified EmailAddress, a Role, audit rows, one email.
    """
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, first_name=first_name, last_name=last_name, language=language
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role:
        grant_role(user=user, kind=role, by=by, **scope)
    audit(actor=by, action="user.invite", obj=user)
    queue_email(
        key=f"invitation:{user.pk}:{timezone.now().isoformat()}",
        to=email,
        template=template,
        language=user.language,
        context={
            "user": user,
            "link": None if user.has_usable_password() else password_link(user),
            "login_url": settings.SITE_URL + reverse("account_login"),
        },
    )
    return user


@transaction.atomic
def request_access(
    *, name: str, email: str, organisation_name: str, reason: str, language: str
) -> AccessRequest:
    """Store an orderer's account request. Side effects: an email to the requester and to
    every planner."""
    access_request = AccessRequest.objects.create(
        name=name,
        email=email.strip().lower(),
        organisation_name=organisation_name,
        reason=reason,
        language=language,
    )
    queue_email(
        key=f"access-request:{access_request.pk}:received",
        to=access_request.email,
        template="kotove/email/access_request_received",
        language=language,
        context={"access_request": access_request},
    )
    planners = User.objects.filter(
        is_active=True, roles__in=Role.objects.current().filter(kind=Role.Kind.PLANNER)
    )
    for planner in planners.distinct():
        queue_email(
            key=f"access-request:{access_request.pk}:planner:{planner.pk}",
            to=planner.email,
            template="kotove/email/access_request_new",
            language=planner.language,
            context={
                "access_request": access_request,
                "admin_url": settings.SITE_URL
                + reverse("admin:kotove_accessrequest_change", args=[access_request.pk]),
            },
        )
    return access_request


def _decide(access_request: AccessRequest, status: str, by: User, note: str) -> None:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    access_request.status = status
    access_request.decided_at = timezone.now()
    access_request.decided_by = by
    access_request.decision_note = note
    access_request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    audit(actor=by, action=f"access_request.{status}", obj=access_request)


@transaction.atomic
def approve_access_request(
    *, access_request: AccessRequest, by: User, organisation: OrdererOrganisation | None = None
) -> User:
    """Approve: create the orderer's account in its organisation and email the invitation.
    Side effects: user, role, audit rows, one email."""
    organisation = organisation or access_request.organisation
    if organisation is None:
        raise ValidationError(
            {"organisation": _("Choose the orderer organisation before approving.")}
        )
    access_request.organisation = organisation
    access_request.save(update_fields=["organisation"])
    _decide(access_request, AccessRequest.Status.APPROVED, by, access_request.decision_note)
    first_name, _sep, last_name = access_request.name.partition(" ")
    return invite_user(
        email=access_request.email,
        by=by,
        first_name=first_name,
        last_name=last_name,
        language=access_request.language,
        role=Role.Kind.ORDERER,
        orderer_organisation=organisation,
        template="kotove/email/access_request_approved",
    )


@transaction.atomic
def decline_access_request(*, access_request: AccessRequest, by: User, note: str = "") -> None:
    """Decline and tell the requester. Side effects: an audit row, one email."""
    _decide(access_request, AccessRequest.Status.DECLINED, by, note)
    queue_email(
        key=f"access-request:{access_request.pk}:declined",
        to=access_request.email,
        template="kotove/email/access_request_declined",
        language=access_request.language,
        context={"access_request": access_request},
    )


def send_outbound_email(*, email_id: int) -> None:
    """Send one outbox row unless it was sent already; the row lock makes concurrent workers
    and reruns send it once."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboundEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return
        message = EmailMessage(subject=email.subject, body=email.body, to=[email.to])
        for attachment in email.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:
            log.exception("Sending email %s failed", email.pk)
            email.last_error = str(exc)[:2000]
            if email.attempts >= 5:
                email.status = OutboundEmail.Status.FAILED
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_error", "sent_at"])


def _special_rows(the_plan: personal_data.Plan) -> list:
    """The rows in the plan of models whose fields hold special-category data."""
    models = {
        dotted.rsplit(".", 1)[0].lower() for dotted in personal_data.registry().special_category
    }
    return [
        obj
        for section in the_plan.sections
        if section.entry.label in models
        for obj in section.queryset()
    ]


@transaction.atomic
def export_personal_data(*, obj, by: User, request=None, readable: bool = False) -> dict:
    """Everything held about the person `obj` (a user or a record about a person) is about,
    as each app's privacy.py declares it; `readable` gives choices by their label (the PDF).

    Side effects: one audit row (person.export) naming the records with health data."""
    the_plan = personal_data.plan(personal_data.Person.of(obj))
    data = personal_data.export_data(the_plan, readable=readable)
    audit(
        actor=by,
        action="person.export",
        obj=obj,
        request=request,
        data={
            "format": "pdf" if readable else "json",
            "shown": personal_data.shown_keys(_special_rows(the_plan)),
        },
    )
    return data


@transaction.atomic
def erase_personal_data(*, obj, by: User, request=None) -> dict[str, int]:
    """Erase the person `obj` is about: every row each app's privacy.py declares is deleted,
    anonymised or kept as declared, in one transaction; aggregates stay (anonymised records
    still count). Returns the rows handled per model.

    Side effects: uploaded files deleted after the commit, one audit row (person.erase) with
    the counts and no personal data."""
    the_plan = personal_data.plan(personal_data.Person.of(obj))
    counts = personal_data.erase(the_plan)
    model = type(obj)
    still_there = model._default_manager.filter(pk=obj.pk).first()
    audit(
        actor=by,
        action="person.erase",
        obj=still_there,
        request=request,
        data={"record": f"{model._meta.label_lower}:{obj.pk}", "counts": counts},
    )
    return counts
