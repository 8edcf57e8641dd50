"""Annual reports: one row per build, with its parameters, requester, progress and files.

The figures are computed once into `data` (a plain structure, palaute.reports.data) that every
output renders: the PDF, the spreadsheet, the CSV files and the page on screen. Imported by
palaute.models, so `from palaute.models import Report` works.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotove.models import Area, MemberOrganisation, Role

# A build that has run this long has lost its worker; it may be claimed again.
STALE_BUILD = timedelta(minutes=20)


def report_file_path(instance, filename: str) -> str:
    # A random name: files are served only through the report's download view.
    return f"palaute/reports/{instance.year}/{uuid.uuid4().hex}-{filename}"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Planners see every report. The national group sees every report but the
        planner's own version (it names experts' activity); a regional secretary the
        reports of their area; an organisation contact those of their organisation."""
        if not user.is_authenticated:
            return self.none()
        if user.is_planner:
            return self
        shared = self.filter(for_planner=False)
        if user.has_role(Role.Kind.NATIONAL_GROUP):
            return shared
        areas, organisations = [], []
        for role in user.active_roles:
            if role.kind == Role.Kind.REGIONAL_SECRETARY:
                areas.append(role.area_id)
            elif role.kind == Role.Kind.ORGANISATION_CONTACT:
                organisations.append(role.member_organisation_id)
        return shared.filter(
            Q(scope=Report.Scope.AREA, area__in=areas)
            | Q(scope=Report.Scope.ORGANISATION, organisation__in=organisations)
        )

    def in_progress(self):
        return self.filter(status__in=Report.IN_PROGRESS)

    def same_as(self, report: Report):
        return self.filter(
            year=report.year,
            scope=report.scope,
            area=report.area_id,
            organisation=report.organisation_id,
            language=report.language,
            for_planner=report.for_planner,
        )


class Report(models.Model):
    class Scope(models.TextChoices):
        NETWORK = "network", _("Whole network")
        AREA = "area", _("Regional area")
        ORGANISATION = "organisation", _("Member organisation")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report status", "Waiting to be built")
        BUILDING = "building", pgettext_lazy("report status", "Being built")
        READY = "ready", pgettext_lazy("report status", "Ready")
        FAILED = "failed", pgettext_lazy("report status", "Failed")

    class Language(models.TextChoices):
        FI = "fi", _("Finnish")
        SV = "sv", _("Swedish")

    IN_PROGRESS = (Status.QUEUED, Status.BUILDING)

    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(_("report on"), max_length=20, choices=Scope.choices)
    area = models.ForeignKey(
        Area, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("area")
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member organisation"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    for_planner = models.BooleanField(
        _("planner's version"),
        default=False,
        help_text=_("Also counts the experts who had no task in the year, to spread demand."),
    )
    scheduled = models.BooleanField(_("built by the yearly schedule"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(_("builds started"), default=0)
    started_at = models.DateTimeField(_("build started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("build finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    data = models.JSONField(_("figures"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=report_file_path, blank=True)
    xlsx = models.FileField(_("spreadsheet"), upload_to=report_file_path, blank=True)
    csv = models.FileField(_("CSV files"), upload_to=report_file_path, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="report_scope_matches",
                condition=Q(scope="network", area__isnull=True, organisation__isnull=True)
                | Q(scope="area", area__isnull=False, organisation__isnull=True)
                | Q(scope="organisation", area__isnull=True, organisation__isnull=False),
            ),
            # Two requests for the same report at once build it once.
            models.UniqueConstraint(
                fields=[
                    "year",
                    "scope",
                    "area",
                    "organisation",
                    "language",
                    "for_planner",
                    "scheduled",
                ],
                condition=Q(status__in=["queued", "building"]),
                nulls_distinct=False,
                name="report_one_build_at_a_time",
            ),
            # The yearly schedule builds each year's network report once per language.
            models.UniqueConstraint(
                fields=["year", "language"],
                condition=Q(scheduled=True),
                name="report_scheduled_once",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.scope_name}"

    @property
    def scope_name(self) -> str:
        if self.scope == self.Scope.AREA:
            return str(self.area)
        if self.scope == self.Scope.ORGANISATION:
            return str(self.organisation)
        return str(self.Scope.NETWORK.label)

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def is_stale(self) -> bool:
        """Building for so long that its worker must be gone: it may be started again."""
        return (
            self.status == self.Status.BUILDING
            and self.started_at is not None
            and self.started_at < timezone.now() - STALE_BUILD
        )

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale
