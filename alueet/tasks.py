"""Thin Celery tasks: fetch by id, call the service. Every one is idempotent (outbox keys)."""

from celery import shared_task

from .services import events, groups, meetings, organising


@shared_task(name="alueet.send_meeting_invitations")
def send_meeting_invitations(*, meeting_id: int) -> None:
    meetings.email_invitations(meeting_id=meeting_id)


@shared_task(name="alueet.send_meeting_reminders")
def send_meeting_reminders() -> None:
    meetings.send_reminders()


@shared_task(name="alueet.send_term_end_alerts")
def send_term_end_alerts() -> None:
    groups.send_term_end_alerts()


@shared_task(name="alueet.send_organising_announcement")
def send_organising_announcement(*, organising_meeting_id: int) -> None:
    organising.email_announcement(organising_meeting_id=organising_meeting_id)


@shared_task(name="alueet.send_mailing")
def send_mailing(*, mailing_id: int) -> None:
    events.email_mailing(mailing_id=mailing_id)


@shared_task(name="alueet.refresh_regional_roles")
def refresh_regional_roles() -> None:
    groups.refresh_regional_roles()
