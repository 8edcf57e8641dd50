from celery import shared_task

from . import services


@shared_task(name="palaute.send_feedback_links")
def send_feedback_links() -> None:
    services.send_feedback_links()


@shared_task(name="palaute.send_feedback_reminders")
def send_feedback_reminders() -> None:
    services.send_feedback_reminders()
