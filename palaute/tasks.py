from celery import shared_task

from . import course_services, report_services, services


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


@shared_task(name="palaute.build_report")
def build_report(*, report_id: int) -> None:
    report_services.build_report(report_id=report_id)


@shared_task(name="palaute.build_annual_reports")
def build_annual_reports() -> None:
    """January 15: the previous year's network report, emailed to the planners."""
    report_services.schedule_annual_reports()
