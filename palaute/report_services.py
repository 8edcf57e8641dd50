"""Every write of annual reports: requesting, building, retrying, the yearly schedule."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Area, MemberOrganisation, Role, User
from kotove.services import audit

from .models import Report
from .permissions import may_report_on
from .reports import outputs
from .reports.build import compute

log = logging.getLogger(__name__)

FILES = (("pdf", outputs.pdf), ("xlsx", outputs.xlsx), ("csv", outputs.csv_zip))
# Progress shown while building: (step, per cent when it starts).
STEPS = {"figures": 5, "pdf": 30, "xlsx": 80, "csv": 90}


def _queue_build(report: Report) -> None:
    from .tasks import build_report

    transaction.on_commit(lambda: build_report.delay(report_id=report.pk))


def request_report(
    *,
    by: User,
    year: int,
    scope: str,
    area: Area | None = None,
    organisation: MemberOrganisation | None = None,
    language: str = "fi",
) -> tuple[Report, bool]:
    """Ask for a report; its build is queued once the transaction commits. When the same
    report (same year, scope, language and version) is already waiting or being built, that
    one is returned instead and nothing more is queued; `created` says which.

    Planners get the planner's version. Raises PermissionDenied outside the user's scope.
    Side effects: a report row, an audit row, a Celery build after the commit.
    """
    if not may_report_on(by, scope, area, organisation):
        raise PermissionDenied
    report = Report(
        year=year,
        scope=scope,
        area=area,
        organisation=organisation,
        language=language,
        for_planner=by.is_planner,
        requested_by=by,
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
            audit(actor=by, action="report.request", obj=report)
            _queue_build(report)
    except IntegrityError:
        # The same report is being built (the partial unique index waited for the other
        # request's transaction, then refused this row): show that one.
        existing = Report.objects.in_progress().same_as(report).filter(scheduled=False).first()
        if existing is None:
            raise
        return existing, False
    return report, True


@transaction.atomic
def retry_report(*, report: Report, by: User) -> Report:
    """Build a failed (or stalled) report again, keeping its parameters and requester. If
    the same report is already being built again, that one is returned.

    Side effects: the row back in the queue, an audit row, a Celery build after the commit.
    """
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not locked.can_retry:
        raise ValidationError(_("Only a failed build can be started again."))
    locked.status = Report.Status.QUEUED
    locked.progress, locked.step, locked.error = 0, "", ""
    try:
        with transaction.atomic():
            locked.save(update_fields=["status", "progress", "step", "error"])
    except IntegrityError:
        return Report.objects.in_progress().same_as(locked).get(scheduled=locked.scheduled)
    audit(actor=by, action="report.retry", obj=locked)
    _queue_build(locked)
    return locked


def _claim(report_id: int) -> Report | None:
    """Mark the report as being built, unless it is built already, failed or being built by
    another worker (a stalled build may be claimed again)."""
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        if report is None or not (report.status == Report.Status.QUEUED or report.is_stale):
            return None
        report.status = Report.Status.BUILDING
        report.started_at = timezone.now()
        report.attempts += 1
        report.progress, report.step = STEPS["figures"], "figures"
        report.save(update_fields=["status", "started_at", "attempts", "progress", "step"])
        return report


def _progress(report: Report, step: str) -> None:
    report.progress, report.step = STEPS[step], step
    Report.objects.filter(pk=report.pk).update(progress=report.progress, step=step)


def file_name(report: Report, extension: str) -> str:
    """E.g. vuosiraportti-2025-koko-verkosto-fi.pdf, in the report's language."""
    with translation.override(report.language):
        name = f"{_('annual report')} {report.year} {report.scope_name} {report.language}"
        return f"{slugify(name)}.{extension}"


def build_report(*, report_id: int) -> Report | None:
    """Compute the figures once and render the PDF, the spreadsheet and the CSV files from
    them. Progress is saved as it goes, so the report's page can show it. A failure is kept
    on the report (shown to the requester, who can start it again). Does nothing for a
    report that is not waiting (built already, or being built elsewhere).

    Side effects: the report's figures and files; for the yearly report, emails to the
    planners.
    """
    report = _claim(report_id)
    if report is None:
        return None
    saved = []
    try:
        data = compute(report)
        report.data = data.to_json()
        with_files = []
        for field, render in FILES:
            _progress(report, field)
            with_files.append((field, render(data)))
        extensions = {"pdf": "pdf", "xlsx": "xlsx", "csv": "zip"}
        for field, content in with_files:
            getattr(report, field).save(
                file_name(report, extensions[field]), ContentFile(content), save=False
            )
            saved.append(field)
    except Exception as error:
        log.exception("Building report %s failed", report.pk)
        for field in saved:
            getattr(report, field).delete(save=False)
        report.status = Report.Status.FAILED
        report.error = f"{type(error).__name__}: {error}"[:2000]
        report.data = None
    else:
        report.status = Report.Status.READY
        report.progress, report.step, report.error = 100, "", ""
    report.finished_at = timezone.now()
    report.save()
    if report.scheduled:
        _notify_planners(report)
    return report


def _planners():
    return User.objects.filter(
        is_active=True, roles__in=Role.objects.current().filter(kind=Role.Kind.PLANNER)
    ).distinct()


def _report_language(user: User) -> str:
    return "sv" if user.language == "sv" else "fi"


def _notify_planners(report: Report) -> None:
    url = settings.SITE_URL + reverse("palaute:report", args=[report.pk])
    for planner in _planners():
        if _report_language(planner) != report.language:
            continue
        queue_email(
            key=f"report:{report.pk}:{report.status}:{report.attempts}:{planner.pk}",
            to=planner.email,
            template=f"palaute/email/report_{report.status}",
            language=planner.language,
            context={"report": report, "url": url, "planner": planner},
        )


@transaction.atomic
def schedule_annual_reports(*, today: date | None = None) -> list[Report]:
    """The yearly network report for the previous year, in the planners' languages (Finnish
    if there are no planners), planner's version. Runs from Celery beat on January 15; a
    rerun creates nothing new.

    Side effects: report rows, Celery builds after the commit (which email the planners).
    """
    today = today or timezone.localdate()
    year = today.year - 1
    languages = sorted({_report_language(p) for p in _planners()}) or ["fi"]
    created = []
    for language in languages:
        if Report.objects.filter(scheduled=True, year=year, language=language).exists():
            continue
        report = Report.objects.create(
            year=year,
            scope=Report.Scope.NETWORK,
            language=language,
            for_planner=True,
            scheduled=True,
        )
        _queue_build(report)
        created.append(report)
    return created
