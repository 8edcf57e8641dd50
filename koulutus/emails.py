"""The training's emails, through the outbox in each recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from kotove.emails import queue_email
from kotove.models import Role, User

from .models import Application


def status_url(application: Application) -> str:
    """The applicant's own page (a secret link): status, offers, withdrawal, certificate."""
    return settings.SITE_URL + reverse("koulutus:application_status", args=[application.token])


def to_applicant(
    application: Application, event: str, *, once: bool = False, occasion: str = "", **context
) -> None:
    """Email the applicant about `event` (template koulutus/email/<event>). Events that can
    happen again (a new decision, a second offer) are keyed by the status change time, or by
    `occasion` where the status does not change."""
    if occasion:
        moment = f":{occasion}"
    else:
        moment = "" if once else f":{application.status_changed_at.isoformat()}"
    queue_email(
        key=f"koulutus:application:{application.pk}:{event}{moment}",
        to=application.email,
        template=f"koulutus/email/{event}",
        language=application.language,
        context={
            "application": application,
            "course": application.course,
            "status_url": status_url(application),
            **context,
        },
    )


def contacts_of(organisation) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            roles__in=Role.objects.current().filter(
                kind=Role.Kind.ORGANISATION_CONTACT, member_organisation=organisation
            ),
        ).distinct()
    )


def national_group() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            roles__in=Role.objects.current().filter(kind=Role.Kind.NATIONAL_GROUP),
        ).distinct()
    )


def to_users(users, *, key: str, template: str, path: str, **context) -> None:
    """Email each user (a contact, the national group) with a link to `path` on the site."""
    for user in users:
        queue_email(
            key=f"{key}:{user.pk}",
            to=user.email,
            template=template,
            language=user.language,
            context={"user": user, "url": settings.SITE_URL + path, **context},
        )
