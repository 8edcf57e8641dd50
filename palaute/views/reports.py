"""Annual reports: ask for one, follow its build, read its figures on screen, download its
files; the planner also lists the experts who had no task.

A report is seen by whoever may see its scope (Report.objects.visible_to); anything else
answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotove.services import audit

from .. import report_services
from ..forms import ReportRequestForm
from ..models import Report
from ..permissions import can_request_reports, require
from ..reports import outputs
from ..reports.data import ReportData
from ..reports.scope import Context, Scope
from ..reports.tasks import idle_experts

STEPS = {
    "": gettext_lazy("Waiting for its turn"),
    "figures": gettext_lazy("Computing the figures"),
    "pdf": gettext_lazy("Writing the PDF"),
    "xlsx": gettext_lazy("Writing the spreadsheet"),
    "csv": gettext_lazy("Writing the CSV files"),
}
FILES = {"pdf": ("pdf", "application/pdf"), "xlsx": ("xlsx", None), "zip": ("csv", None)}


def _visible(request, pk, *, defer_data: bool = True) -> Report:
    reports = Report.objects.visible_to(request.user).select_related(
        "area", "organisation", "requested_by"
    )
    if defer_data:
        reports = reports.defer("data")
    return get_object_or_404(reports, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    """The reports the user may see, newest first, and the form to ask for a new one."""
    require(can_request_reports(request.user))
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report, created = report_services.request_report(
            by=request.user,
            year=data["year"],
            scope=data["scope"],
            area=data["area"],
            organisation=data["organisation"],
            language=data["language"],
        )
        if not created:
            messages.info(request, _("This report is already being built: here is the same build."))
        return redirect("palaute:report", pk=report.pk)
    reports = (
        Report.objects.visible_to(request.user)
        .select_related("area", "organisation", "requested_by")
        .defer("data")
    )
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(request, "palaute/report_list.html", {"form": form, "page": page})


@never_cache
@login_required
@require_GET
def report_detail(request, pk):
    """Progress while it is built (the page has a refresh link, and with JavaScript it
    updates itself), the error and a retry button if it failed, and when it is ready the
    files and every figure."""
    report = _visible(request, pk, defer_data=False)
    context = {"report": report, "step": STEPS.get(report.step, ""), "files": []}
    if report.status == Report.Status.READY and report.data:
        data = ReportData.from_json(report.data)
        context |= {
            "data": data,
            "charts": outputs.charts(data),
            # A file lost from storage (e.g. a database restored without its media) is not
            # offered; the figures on the page still show.
            "files": [
                (kind, file)
                for kind, (field, _type) in FILES.items()
                if (file := getattr(report, field)) and file.storage.exists(file.name)
            ],
        }
    return render(request, "palaute/report_detail.html", context)


@never_cache
@login_required
@require_GET
def report_status(request, pk):
    """The build's state for the page's script."""
    report = _visible(request, pk)
    return JsonResponse(
        {
            "status": report.status,
            "label": str(report.get_status_display()),
            "progress": report.progress,
            "step": str(STEPS.get(report.step, "")),
            "done": not report.in_progress or report.is_stale,
        }
    )


@login_required
@require_POST
def report_retry(request, pk):
    report = _visible(request, pk)
    try:
        report = report_services.retry_report(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("palaute:report", pk=report.pk)


@login_required
@require_GET
def report_file(request, pk, kind):
    if kind not in FILES:
        raise Http404
    report = _visible(request, pk)
    field, content_type = FILES[kind]
    file = getattr(report, field)
    if report.status != Report.Status.READY or not file:
        raise Http404
    extension = {"csv": "zip"}.get(field, field)
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=report_services.file_name(report, extension),
        content_type=content_type,
    )


@login_required
@require_GET
def report_idle(request, pk):
    """Planner only: who in the report's scope had no task in its year, now (tasks recorded
    after the report was built count here)."""
    require(request.user.is_planner)
    report = _visible(request, pk)
    require(report.for_planner)
    ctx = Context(
        year=report.year, scope=Scope.of(report), for_planner=True, today=timezone.localdate()
    )
    experts = (
        idle_experts(ctx)
        .select_related("responsible_organisation", "home_municipality")
        .annotate(area=ctx.area_column("home_municipality__region"))
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(experts, 100).get_page(request.GET.get("page"))
    for expert in page:
        expert.area_name = ctx.area_names.get(expert.area, "")
    audit(
        actor=request.user,
        action="report.idle_experts",
        obj=report,
        request=request,
        data={"page": page.number},
    )
    return render(request, "palaute/report_idle.html", {"report": report, "page": page})
