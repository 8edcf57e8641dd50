"""Yearly action plans and development grant applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms.plans import (
    ActionPlanForm,
    GrantApplicationForm,
    GrantDecisionForm,
    GrantReportForm,
    PlanItemForm,
    budget_formset,
    budget_lines,
)
from ..models import ActionPlan, GrantApplication, PlanItem, SteeringGroup
from ..permissions import can_decide_grants, can_manage, editable, follows_a_group, require, visible
from ..services import plans as services
from . import form_errors, message_errors


@login_required
@require_GET
def plan_detail(request, pk, year):
    group = visible(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    plan = ActionPlan.objects.filter(group=group, year=year).first()
    items = list(plan.items.all()) if plan else []
    counts = {}
    for item in items:
        planned, done = counts.get(item.kind, (0, 0))
        counts[item.kind] = (planned + 1, done + (item.status == PlanItem.Status.DONE))
    kinds = dict(PlanItem.Kind.choices)
    return render(
        request,
        "alueet/plan_detail.html",
        {
            "group": group,
            "year": year,
            "plan": plan,
            "items": items,
            "counts": [(kinds[kind], *values) for kind, values in counts.items()],
            "budget": sum((i.budget or 0 for i in items), 0),
            "actual_cost": sum(
                (i.actual_cost or 0 for i in items if i.status == PlanItem.Status.DONE), 0
            ),
            "manage": can_manage(request.user, group),
            "years": ActionPlan.objects.filter(group=group).values_list("year", flat=True),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk, year):
    group = editable(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    require(2000 <= year <= 2100)
    plan = ActionPlan.objects.filter(group=group, year=year).first() or ActionPlan(
        group=group, year=year
    )
    form = ActionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(plan=form.save(commit=False), by=request.user, request=request)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The action plan was saved."))
            return redirect("alueet:plan_detail", pk=group.pk, year=year)
    return render(
        request, "alueet/plan_form.html", {"group": group, "year": year, "plan": plan, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_create(request, pk):
    plan = editable(ActionPlan.objects.select_related("group__area"), request.user, pk=pk)
    form = PlanItemForm(request.POST or None, instance=PlanItem(plan=plan))
    if request.method == "POST" and form.is_valid():
        services.save_plan_item(item=form.save(commit=False), by=request.user, request=request)
        messages.success(request, _("The item was added to the plan."))
        return redirect("alueet:plan_detail", pk=plan.group_id, year=plan.year)
    return render(
        request, "alueet/plan_item_form.html", {"group": plan.group, "plan": plan, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, pk):
    item = editable(PlanItem.objects.select_related("plan__group__area"), request.user, pk=pk)
    form = PlanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.save_plan_item(item=form.save(commit=False), by=request.user, request=request)
        messages.success(request, _("The item was saved."))
        return redirect("alueet:plan_detail", pk=item.plan.group_id, year=item.plan.year)
    return render(
        request,
        "alueet/plan_item_form.html",
        {"group": item.plan.group, "plan": item.plan, "item": item, "form": form},
    )


@login_required
@require_POST
def plan_item_delete(request, pk):
    item = editable(PlanItem.objects.select_related("plan__group__area"), request.user, pk=pk)
    plan = item.plan
    services.delete_plan_item(item=item, by=request.user, request=request)
    messages.success(request, _("The item was removed."))
    return redirect("alueet:plan_detail", pk=plan.group_id, year=plan.year)


@login_required
@require_GET
def grant_list(request):
    """Every application the user may read: the national group and the planner see all."""
    applications = (
        GrantApplication.objects.visible_to(request.user)
        .select_related("group__area")
        .order_by("-year", "group__area__name_fi", "-pk")
    )
    require(can_decide_grants(request.user) or follows_a_group(request.user))
    totals = applications.aggregate(applied=Sum("amount"), granted=Sum("granted_amount"))
    return render(
        request,
        "alueet/grant_list.html",
        {
            "applications": applications,
            "totals": totals,
            "waiting": [a for a in applications if a.status == GrantApplication.Status.SUBMITTED],
            "managed": SteeringGroup.objects.editable_by(request.user).select_related("area"),
        },
    )


def _grant_form_page(request, group, form, formset, application=None):
    return render(
        request,
        "alueet/grant_form.html",
        {
            "group": group,
            "application": application,
            "form": form,
            "formset": formset,
            "warning": services.amount_warning(form.cleaned_data.get("amount"))
            if form.is_bound and hasattr(form, "cleaned_data")
            else "",
        },
    )


def _save_grant(request, form, formset):
    try:
        application = services.save_grant_application(
            application=form.save(commit=False),
            lines=budget_lines(formset),
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        form_errors(form, error)
        return None
    messages.success(
        request, _("The application was saved as a draft. Submit it when it is ready.")
    )
    if warning := services.amount_warning(application.amount):
        messages.warning(request, warning)
    return application


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request, pk):
    group = editable(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    form = GrantApplicationForm(
        request.POST or None,
        instance=GrantApplication(group=group),
        initial={"year": timezone.localdate().year},
    )
    formset = budget_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        application = _save_grant(request, form, formset)
        if application:
            return redirect("alueet:grant_detail", pk=application.pk)
    return _grant_form_page(request, group, form, formset)


@login_required
@require_http_methods(["GET", "POST"])
def grant_edit(request, pk):
    application = editable(
        GrantApplication.objects.select_related("group__area"), request.user, pk=pk
    )
    require(application.status == GrantApplication.Status.DRAFT)
    form = GrantApplicationForm(request.POST or None, instance=application)
    formset = budget_formset(request.POST or None, application=application)
    valid = request.method == "POST" and form.is_valid() and formset.is_valid()
    if valid and _save_grant(request, form, formset):
        return redirect("alueet:grant_detail", pk=application.pk)
    return _grant_form_page(request, application.group, form, formset, application)


def _grant_detail(request, application, decision_form=None, report_form=None):
    manage = can_manage(request.user, application.group)
    return render(
        request,
        "alueet/grant_detail.html",
        {
            "group": application.group,
            "application": application,
            "lines": application.lines.all(),
            "manage": manage,
            "decide": can_decide_grants(request.user)
            and application.status == GrantApplication.Status.SUBMITTED,
            "warning": services.amount_warning(application.amount),
            "decision_form": decision_form
            or GrantDecisionForm(initial={"granted_amount": application.amount}),
            "report_form": report_form
            or GrantReportForm(
                initial={
                    "report": application.report,
                    "spent_amount": application.spent_amount or application.granted_amount,
                }
            ),
        },
    )


@login_required
@require_GET
def grant_detail(request, pk):
    application = visible(
        GrantApplication.objects.select_related("group__area", "decided_by", "submitted_by"),
        request.user,
        pk=pk,
    )
    return _grant_detail(request, application)


@login_required
@require_POST
def grant_submit(request, pk):
    application = editable(
        GrantApplication.objects.select_related("group__area"), request.user, pk=pk
    )
    try:
        services.submit_grant_application(application=application, by=request.user,
                                          request=request)  # fmt: skip
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The application was sent to the national steering group."))
    return redirect("alueet:grant_detail", pk=application.pk)


@login_required
@require_POST
def grant_decide(request, pk):
    require(can_decide_grants(request.user))
    application = visible(
        GrantApplication.objects.select_related("group__area"), request.user, pk=pk
    )
    form = GrantDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_grant(application=application, by=request.user, request=request,
                                  **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded and sent to the group."))
            return redirect("alueet:grant_detail", pk=application.pk)
    return _grant_detail(request, application, decision_form=form)


@login_required
@require_POST
def grant_report(request, pk):
    application = editable(
        GrantApplication.objects.select_related("group__area"), request.user, pk=pk
    )
    form = GrantReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_grant_use(application=application, by=request.user, request=request,
                                      **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("alueet:grant_detail", pk=application.pk)
    return _grant_detail(request, application, report_form=form)
