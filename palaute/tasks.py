from celery import shared_task

from . import course_services, services


@shared_task(name="palaute.send_feedback_links")
def send_feedback_links() -> None:
    services.send_feedback_links()


@shared_task(name="palaute.send_feedback_reminders")
def send_feedback_reminders() -> None:
    services.send_feedback_reminders()


@shared_task(name="palaute.send_course_feedback")
def send_course_feedback() -> None:
    course_services.send_course_feedback()


@shared_task(name="palaute.send_course_feedback_reminders")
def send_course_feedback_reminders() -> None:
    course_services.send_course_feedback_reminders()
