"""Email through the outbox: render in the recipient's language, store, send on commit."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from .models import OutboundEmail


def render_text(template: str, context: dict) -> str:
    """A plain-text template: nothing in an email's subject or body is HTML, so nothing is
    escaped ("Joulu & glögi", not "Joulu &amp; glögi")."""
    return get_template(template).template.render(Context(context, autoescape=False))


def queue_email(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    language: str,
    attachments: list[dict] | None = None,
) -> OutboundEmail:
    """Store one email in the outbox and send it by Celery once the transaction commits.

    `key` makes the email idempotent: queueing the same key again returns the stored row and
    sends nothing more. Templates are `<template>_subject.txt` and `<template>_body.txt`.
    """
    existing = OutboundEmail.objects.filter(idempotency_key=key).first()
    if existing:
        return existing
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_text(f"{template}_subject.txt", context).strip()
        body = render_text(f"{template}_body.txt", context)
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to": to,
            "language": language,
            "subject": " ".join(subject.split()),
            "body": body,
            "attachments": attachments or [],
        },
    )
    if created:
        from .tasks import send_email

        transaction.on_commit(lambda: send_email.delay(email_id=email.pk))
    return email
