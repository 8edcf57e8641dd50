from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import personal_data, services
from .models import OutboundEmail


@shared_task(name="kotove.send_email")
def send_email(*, email_id: int) -> None:
    services.send_outbound_email(email_id=email_id)


@shared_task(name="kotove.flush_outbox")
def flush_outbox() -> None:
    """Send what a lost task or a stopped worker left waiting."""
    stale = timezone.now() - timedelta(minutes=2)
    for email_id in OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, created_at__lt=stale, attempts__lt=5
    ).values_list("pk", flat=True):
        services.send_outbound_email(email_id=email_id)


@shared_task(name="kotove.apply_retention")
def apply_retention() -> None:
    """Erase what has passed its retention time (every app's privacy.py RETENTION); rerunning
    finds nothing more to do."""
    personal_data.apply_retention()
