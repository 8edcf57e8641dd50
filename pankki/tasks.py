from celery import shared_task

from . import services
from .models import Expert


@shared_task(name="pankki.send_stale_reminders")
def send_stale_reminders() -> None:
    services.send_stale_reminders()


@shared_task(name="pankki.send_saved_search_alerts")
def send_saved_search_alerts() -> None:
    services.send_saved_search_alerts()


@shared_task(name="pankki.refresh_search_entries")
def refresh_search_entries() -> None:
    services.refresh_search_entries(expert_ids=Expert.objects.values_list("pk", flat=True))
