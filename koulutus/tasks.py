from celery import shared_task

from . import services


@shared_task(name="koulutus.expire_offers")
def expire_offers() -> None:
    services.expire_offers()


@shared_task(name="koulutus.purge_unverified_applications")
def purge_unverified_applications() -> None:
    services.purge_unverified()
