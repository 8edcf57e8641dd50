"""Orderers send requests; experts and their organisation contacts answer them; accepted
requests become tasks that either side can cancel or mark done. What a user may not see
answers 404."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import task_services
from ..models import Expert, RequestAnswer, TaskRequest
from ..permissions import can_order, has_tasks, require, visible
from ..task_forms import AnswerForm, TaskRequestForm, WithdrawForm
from .search import search_url

PAGE_SIZE = 25


def follower_required(view):
    """Orderers, organisation contacts, experts and planners; others 404, anonymous users go
    to the login."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        require(has_tasks(request.user) or request.user.is_planner)
        return view(request, *args, **kwargs)

    return wrapped


def _fail(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Requests --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    """From search results (several experts) or an expert's page (one)."""
    require(can_order(request.user))
    chosen = request.POST.getlist("experts") or request.GET.getlist("expert")
    ids = [int(pk) for pk in chosen if str(pk).isdigit()]
    experts = list(Expert.objects.searchable().filter(pk__in=ids).order_by("last_name"))
    if not experts:
        messages.warning(request, _("Choose one or more experts in the search first."))
        return redirect(search_url(request.GET.get("search", "")))
    form = TaskRequestForm(
        request.POST or None,
        user=request.user,
        # the orderer's own language is the likely language of the task
        initial={"experts": experts, "language": (get_language() or "fi")[:2]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task_request = task_services.send_request(
                task_request=form.save(commit=False),
                experts=form.cleaned_data["experts"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The request was sent to %(count)d expert. We email you when they answer.",
                    "The request was sent to %(count)d experts. We email you when they answer.",
                    len(experts),
                )
                % {"count": len(experts)},
            )
            return redirect("pankki:request_detail", pk=task_request.pk)
    return render(request, "pankki/request_form.html", {"form": form, "experts": experts})


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("All requests")),
            ("pending", gettext_lazy("Waiting for an answer")),
        ],
    )


@follower_required
@require_GET
def request_list(request):
    user = request.user
    filters = RequestFilterForm(request.GET)
    answers = RequestAnswer.objects.visible_to(user).select_related("expert", "task")
    requests = TaskRequest.objects.visible_to(user)
    if filters.is_valid() and filters.cleaned_data["status"] == "pending":
        answers = answers.pending()
        requests = requests.filter(pk__in=answers.values("request_id"))
    requests = requests.select_related(
        "orderer_organisation", "task_type", "municipality"
    ).prefetch_related(Prefetch("answers", queryset=answers, to_attr="visible_answers"))
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pankki/request_list.html",
        {"page": page, "filters": filters, "can_order": can_order(user)},
    )


def _request_page(request, task_request, *, answer_forms=None, withdraw_form=None):
    user = request.user
    answerable = set(
        RequestAnswer.objects.of_expert_side(user)
        .filter(request=task_request)
        .values_list("pk", flat=True)
    )
    answers = list(
        RequestAnswer.objects.visible_to(user)
        .filter(request=task_request)
        .select_related("expert__responsible_organisation", "answered_by", "task")
    )
    answer_forms = answer_forms or {}
    for answer in answers:
        answer.request = task_request
        if answer.pk in answerable and answer.is_open:
            answer.form = answer_forms.get(answer.pk) or AnswerForm(answer=answer)
    is_orderer = TaskRequest.objects.of_orderer_side(user).filter(pk=task_request.pk).exists()
    can_withdraw = is_orderer and any(a.status == RequestAnswer.Status.PENDING for a in answers)
    return render(
        request,
        "pankki/request_detail.html",
        {
            "task_request": task_request,
            "answers": answers,
            "is_orderer": is_orderer,
            "withdraw_form": (withdraw_form or WithdrawForm()) if can_withdraw else None,
        },
    )


def _visible_request(user, pk) -> TaskRequest:
    return visible(
        TaskRequest.objects.select_related(
            "orderer_organisation", "created_by", "task_type", "audience", "municipality"
        ),
        user,
        pk,
    )


@follower_required
@require_GET
def request_detail(request, pk):
    return _request_page(request, _visible_request(request.user, pk))


@follower_required
@require_POST
def request_answer(request, pk):
    """The expert or their contact accepts or declines."""
    try:
        answer = (
            RequestAnswer.objects.of_expert_side(request.user)
            .select_related("request", "expert__user")
            .get(pk=pk)
        )
    except RequestAnswer.DoesNotExist:
        raise Http404 from None
    form = AnswerForm(request.POST, answer=answer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = task_services.answer_request(
                answer=answer,
                accept=data["decision"] == AnswerForm.ACCEPT,
                message=data["message"],
                by=request.user,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                request=request,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            if task:
                messages.success(request, _("Accepted. The task is agreed and the orderer told."))
                return redirect("pankki:task_detail", pk=task.pk)
            messages.success(request, _("Declined. The orderer was told."))
            return redirect("pankki:request_detail", pk=answer.request_id)
    task_request = _visible_request(request.user, answer.request_id)
    return _request_page(request, task_request, answer_forms={answer.pk: form})


@follower_required
@require_POST
def request_withdraw(request, pk):
    try:
        task_request = TaskRequest.objects.of_orderer_side(request.user).get(pk=pk)
    except TaskRequest.DoesNotExist:
        raise Http404 from None
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            count = task_services.withdraw_request(
                task_request=task_request,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The request was withdrawn from %(count)d expert.",
                    "The request was withdrawn from %(count)d experts.",
                    count,
                )
                % {"count": count},
            )
            return redirect("pankki:request_detail", pk=task_request.pk)
    return _request_page(request, task_request, withdraw_form=form)
