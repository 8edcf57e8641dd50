"""Regional events with registration, and the mailing to the area's experts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotove.personal_data import without_special_category
from kotove.services import audit_view

from ..forms.events import EventForm, MailingForm, OrganiserRegistrationForm, RegistrationForm
from ..models import ExpertMailing, RegionalEvent, Registration, SteeringGroup, area_experts
from ..permissions import can_manage, editable, follows_a_group, own_expert, require
from ..services import events as services
from . import form_errors, message_errors

WITH_COUNTS = {
    "confirmed": Count("registrations", filter=Q(registrations__status="confirmed")),
    "waiting": Count("registrations", filter=Q(registrations__status="waiting")),
}


def _events_for(user):
    """The events a user reads: their groups' (or all, for the national group and the
    planner), and as an expert their own area's."""
    expert = own_expert(user)
    events = RegionalEvent.objects.visible_to(user)
    if expert is not None:
        events = events | RegionalEvent.objects.for_expert(expert)
    return events, expert


def _event(user, pk):
    events, expert = _events_for(user)
    event = events.select_related("group__area").filter(pk=pk).first()
    require(event is not None)
    return event, expert


@login_required
@require_GET
def event_list(request):
    events, expert = _events_for(request.user)
    require(expert is not None or follows_a_group(request.user))
    upcoming = events.upcoming().select_related("group__area").annotate(**WITH_COUNTS)
    own = (
        {
            r.event_id: r
            for r in Registration.objects.filter(expert=expert)
            .exclude(status=Registration.Status.CANCELLED)
            .defer("needs")  # the list shows the status only
        }
        if expert
        else {}
    )
    return render(
        request,
        "alueet/event_list.html",
        {"rows": [(event, own.get(event.pk)) for event in upcoming], "expert": expert},
    )


@login_required
@require_GET
def event_detail(request, pk):
    event, expert = _event(request.user, pk)
    return _detail(request, event, expert)


def _detail(request, event, expert, form=None):
    registration = (
        Registration.objects.filter(event=event, expert=expert)
        .exclude(status=Registration.Status.CANCELLED)
        .defer("needs")  # the page shows the status only
        .first()
        if expert
        else None
    )
    in_area = bool(expert and area_experts(event.group.area).filter(pk=expert.pk).exists())
    counts = event.registrations.aggregate(**{
        "confirmed": Count("pk", filter=Q(status="confirmed")),
        "waiting": Count("pk", filter=Q(status="waiting")),
    })  # fmt: skip
    return render(
        request,
        "alueet/event_detail.html",
        {
            "group": event.group,
            "event": event,
            "registration": registration,
            "can_register": in_area and registration is None and event.registration_open,
            "manage": can_manage(request.user, event.group),
            "counts": counts,
            "free": None
            if event.capacity is None
            else max(event.capacity - counts["confirmed"], 0),
            "form": form or RegistrationForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, pk):
    group = editable(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    form = EventForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.save_event(event=form.save(commit=False), by=request.user,
                                        request=request)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The event was published to the area's experts."))
            return redirect("alueet:event_detail", pk=event.pk)
    return render(request, "alueet/event_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = editable(RegionalEvent.objects.select_related("group__area"), request.user, pk=pk)
    require(event.cancelled_at is None)
    form = EventForm(request.POST or None, instance=event, group=event.group)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_event(event=form.save(commit=False), by=request.user, request=request)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("alueet:event_detail", pk=event.pk)
    return render(
        request, "alueet/event_form.html", {"group": event.group, "event": event, "form": form}
    )


@login_required
@require_POST
def event_cancel(request, pk):
    event = editable(RegionalEvent.objects.select_related("group__area"), request.user, pk=pk)
    try:
        services.cancel_event(event=event, by=request.user, request=request)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The event was cancelled and the registered were told."))
    return redirect("alueet:event_detail", pk=event.pk)


@login_required
@require_POST
def event_register(request, pk):
    event, expert = _event(request.user, pk)
    require(expert is not None)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.register(event=event, expert=expert, by=request.user,
                                             needs=form.cleaned_data["needs"],
                                             request=request)  # fmt: skip
        except ValidationError as error:
            message_errors(request, error)
            return redirect("alueet:event_detail", pk=event.pk)
        else:
            messages.success(
                request,
                _("You have a place in the event.")
                if registration.status == Registration.Status.CONFIRMED
                else _("The event is full: you are on the waiting list."),
            )
            return redirect("alueet:event_detail", pk=event.pk)
    return _detail(request, event, expert, form=form)


@login_required
@require_POST
def event_unregister(request, pk):
    event, expert = _event(request.user, pk)
    require(expert is not None)
    registration = (
        Registration.objects.filter(event=event, expert=expert)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    require(registration is not None)
    services.cancel_registration(registration=registration, by=request.user, request=request)
    messages.success(request, _("Your registration was cancelled."))
    return redirect("alueet:event_detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_participants(request, pk):
    """The organiser's list: who has a place, who waits, and their needs. The needs may tell of
    health, so every view of the list is audited."""
    event = editable(RegionalEvent.objects.select_related("group__area"), request.user, pk=pk)
    experts = (
        area_experts(event.group.area)
        .available()
        .select_related("home_municipality")
        .order_by("last_name", "first_name")
    )
    form = OrganiserRegistrationForm(request.POST or None, experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(event=event, expert=form.cleaned_data["expert"],
                                             needs=form.cleaned_data["needs"],
                                             by=request.user, request=request)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was registered: %(status)s.")
                % {
                    "name": registration.expert.full_name,
                    "status": registration.get_status_display().lower(),
                },  # fmt: skip
            )
            return redirect("alueet:event_participants", pk=event.pk)
    registrations = event.registrations.exclude(status=Registration.Status.CANCELLED)
    # The needs are read only when there is someone to show them for, and then audited.
    registrations = (
        list(
            registrations.select_related(
                "expert__home_municipality", "expert__responsible_organisation"
            )
        )
        if registrations.exists()
        else []
    )
    audit_view(
        request=request,
        action="event.participants_view",
        shown=[r.expert for r in registrations],
        obj=event,
    )
    return render(
        request,
        "alueet/event_participants.html",
        {
            "group": event.group,
            "event": event,
            "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
            "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, pk):
    """The organiser cancels a participant's registration: a page to confirm it on, then the
    participant is told by email."""
    registration = editable(
        # the page shows who and which event, never the participant's needs
        without_special_category(
            Registration.objects.select_related("event__group__area"), related=["expert"]
        ),
        request.user,
        pk=pk,
    )
    if registration.status == Registration.Status.CANCELLED:
        messages.error(request, _("The registration has been cancelled already."))
        return redirect("alueet:event_participants", pk=registration.event_id)
    if request.method == "GET":
        return render(
            request,
            "alueet/registration_cancel.html",
            {
                "group": registration.event.group,
                "event": registration.event,
                "registration": registration,
                "waiting": registration.status == Registration.Status.CONFIRMED
                and registration.event.registrations.waiting().exists(),
            },
        )
    try:
        services.cancel_registration(registration=registration, by=request.user, request=request)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(
            request,
            _("The registration of %(name)s was cancelled.") % {"name": registration.expert},
        )
    return redirect("alueet:event_participants", pk=registration.event_id)


@login_required
@require_http_methods(["GET", "POST"])
def mailing_create(request, pk):
    """The secretary emails every consenting expert of the area."""
    group = editable(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    form = MailingForm(request.POST or None)
    recipients = services.mailing_recipients(group).count()
    if request.method == "POST" and form.is_valid():
        try:
            services.send_mailing(group=group, by=request.user, request=request,
                                  **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("The message is being emailed to %(count)d experts.") % {"count": recipients},
            )
            return redirect("alueet:mailing_create", pk=group.pk)
    return render(
        request,
        "alueet/mailing_form.html",
        {
            "group": group,
            "form": form,
            "recipients": recipients,
            "mailings": ExpertMailing.objects.filter(group=group).select_related("sent_by")[:20],
        },
    )
