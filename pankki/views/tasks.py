"""Tasks (keikat): lists and pages for both sides, cancelling and marking done, and tasks
agreed outside the service recorded by the expert or their contact."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotove import hooks

from .. import task_services
from ..models import Expert, Task
from ..permissions import require, visible
from ..task_forms import CancelForm, DoneForm, TaskRecordForm
from ..task_models import contact_organisation_ids
from .requests import PAGE_SIZE, _fail, follower_required


class TaskFilterForm(forms.Form):
    UPCOMING, PAST = "upcoming", "past"

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *Task.Status.choices],
    )
    when = forms.ChoiceField(
        label=gettext_lazy("When"),
        required=False,
        choices=[
            ("", gettext_lazy("Any time")),
            (UPCOMING, gettext_lazy("Today and later")),
            (PAST, gettext_lazy("Before today")),
        ],
    )

    def filter(self, tasks):
        if not self.is_valid():
            return tasks
        if status := self.cleaned_data["status"]:
            tasks = tasks.filter(status=status)
        today = timezone.localdate()
        if self.cleaned_data["when"] == self.UPCOMING:
            tasks = tasks.filter(date__gte=today).order_by("date", "start_time")
        elif self.cleaned_data["when"] == self.PAST:
            tasks = tasks.filter(date__lt=today)
        return tasks


@follower_required
@require_GET
def task_list(request):
    filters = TaskFilterForm(request.GET)
    tasks = filters.filter(
        Task.objects.visible_to(request.user).select_related(
            "expert", "orderer_organisation", "task_type", "audience", "municipality"
        )
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pankki/task_list.html",
        {"page": page, "filters": filters, "can_record": _can_record(request.user)},
    )


def _can_record(user) -> bool:
    return bool(contact_organisation_ids(user)) or Expert.objects.filter(user=user).exists()


def _editable(user, pk) -> Task:
    """The task `user` may cancel or mark done: either side's, not the planner's."""
    tasks = Task.objects.of_expert_side(user) | Task.objects.of_orderer_side(user)
    return visible(tasks.select_related("expert__user", "orderer_user"), user, pk)


def _task_page(request, task, *, cancel_form=None, done_form=None):
    """The page of one task. Its place for later apps (kotove.hooks): `task_links(user, task)`
    answers (label, url) pairs shown under the facts (palaute links the task's feedback)."""
    user = request.user
    editable = (Task.objects.of_expert_side(user) | Task.objects.of_orderer_side(user)).filter(
        pk=task.pk
    ).exists() and task.status == Task.Status.AGREED
    expert = task.expert
    direct = expert.contact_visibility == Expert.ContactVisibility.DIRECT
    return render(
        request,
        "pankki/task_detail.html",
        {
            "task": task,
            "direct": direct,
            "hook_links": hooks.collect("task_links", user=user, task=task),
            "contacts": []
            if direct
            else task_services.organisation_contacts(expert.responsible_organisation_id),
            "cancel_form": (cancel_form or CancelForm()) if editable else None,
            "done_form": (done_form or DoneForm(initial={"audience_size": task.audience_size}))
            if editable and task.can_be_done
            else None,
        },
    )


@follower_required
@require_GET
def task_detail(request, pk):
    task = visible(
        Task.objects.select_related(
            "expert__responsible_organisation",
            "orderer_organisation",
            "task_type",
            "audience",
            "municipality",
            "answer__request",
            "cancelled_by",
            "done_by",
        ),
        request.user,
        pk,
    )
    return _task_page(request, task)


@follower_required
@require_POST
def task_cancel(request, pk):
    task = _editable(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            task_services.cancel_task(
                task=task,
                by=request.user,
                reason=form.cleaned_data["cancel_reason"],
                request=request,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The task was cancelled and the other side told."))
            return redirect("pankki:task_detail", pk=task.pk)
    return _task_page(request, task, cancel_form=form)


@follower_required
@require_POST
def task_done(request, pk):
    task = _editable(request.user, pk)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            task_services.complete_task(
                task=task,
                by=request.user,
                audience_size=form.cleaned_data["audience_size"],
                request=request,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The task was marked done. Thank you!"))
            return redirect("pankki:task_detail", pk=task.pk)
    return _task_page(request, task, done_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def task_record(request):
    """The expert or their contact records a task agreed outside the service."""
    require(_can_record(request.user))
    form = TaskRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            task = task_services.record_task(
                task=form.save(commit=False),
                by=request.user,
                done=form.cleaned_data["done"],
                request=request,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The task was recorded."))
            return redirect("pankki:task_detail", pk=task.pk)
    return render(request, "pankki/task_record.html", {"form": form})
