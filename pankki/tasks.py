from celery import shared_task

from . import services


@shared_task(name="pankki.send_stale_reminders")
def send_stale_reminders() -> None:
    services.send_stale_reminders()


@shared_task(name="pankki.send_saved_search_alerts")
def send_saved_search_alerts() -> None:
    services.send_saved_search_alerts()
