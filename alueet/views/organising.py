"""The organising meeting, step by step: open and announce, nominations, close, seats,
freeze the lists, draw, create the new term."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.organising import (
    AnnounceForm,
    CancelDrawForm,
    DrawForm,
    NominationForm,
    OrganisingMeetingForm,
    seats_form,
)
from ..models import (
    CandidateList,
    Draw,
    Nomination,
    OrganisingMeeting,
    SeatCategory,
    SteeringGroup,
)
from ..models.groups import composition_warnings
from ..permissions import can_manage, can_nominate, editable, require, visible
from ..services import organising as services
from . import form_errors, message_errors, warn


@login_required
@require_http_methods(["GET", "POST"])
def organising_create(request, pk):
    group = editable(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    form = OrganisingMeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            organising_meeting = services.save_organising_meeting(
                organising_meeting=form.save(commit=False), by=request.user, request=request
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("The organising meeting was opened. Announce it to ask for nominations.")
            )
            return redirect("alueet:organising_detail", pk=organising_meeting.pk)
    return render(request, "alueet/organising_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organising_edit(request, pk):
    organising_meeting = editable(
        OrganisingMeeting.objects.select_related("group__area"), request.user, pk=pk
    )
    require(organising_meeting.nominations_closed_at is None)
    form = OrganisingMeetingForm(
        request.POST or None, instance=organising_meeting, group=organising_meeting.group
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_organising_meeting(
                organising_meeting=form.save(commit=False), by=request.user, request=request
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The organising meeting was saved."))
            return redirect("alueet:organising_detail", pk=organising_meeting.pk)
    return render(
        request,
        "alueet/organising_form.html",
        {
            "group": organising_meeting.group,
            "organising_meeting": organising_meeting,
            "form": form,
        },  # fmt: skip
    )


@login_required
@require_http_methods(["GET"])
def organising_detail(request, pk):
    organising_meeting = visible(
        OrganisingMeeting.objects.select_related("group__area", "term"), request.user, pk=pk
    )
    return _detail(request, organising_meeting)


def _detail(request, organising_meeting, **forms):
    nominations = list(
        organising_meeting.nominations.select_related(
            "member_organisation", "expert__responsible_organisation", "invite", "nominated_by"
        )
    )
    candidates = {c: sum(1 for n in nominations if n.category == c) for c in SeatCategory.values}
    seats = {s.category: s.seats for s in organising_meeting.seat_allocations.all()}
    lists = list(
        CandidateList.objects.filter(organising_meeting=organising_meeting).prefetch_related(
            "draws"
        )
    )
    for candidate_list in lists:
        candidate_list.valid_draw = next(
            (d for d in candidate_list.draws.all() if not d.cancelled_at), None
        )
    return render(
        request,
        "alueet/organising_detail.html",
        {
            "group": organising_meeting.group,
            "organising_meeting": organising_meeting,
            "manage": can_manage(request.user, organising_meeting.group),
            "nominations": nominations,
            "candidates": candidates,
            "seats": seats,
            "seat_warnings": composition_warnings(seats) if seats else [],
            "lists": lists,
            "invites": organising_meeting.invites.all(),
            "announce_form": forms.get("announce_form") or AnnounceForm(),
            "seats_form": forms.get("seats_form")
            or seats_form(candidates=candidates, initial=seats),
            "cancel_form": CancelDrawForm(),
            "closes_early": organising_meeting.announced_at is not None
            and organising_meeting.nomination_deadline > timezone.now(),
        },
    )


@login_required
@require_POST
def organising_announce(request, pk):
    organising_meeting = editable(
        OrganisingMeeting.objects.select_related("group__area"), request.user, pk=pk
    )
    form = AnnounceForm(request.POST)
    if form.is_valid():
        try:
            services.announce(organising_meeting=organising_meeting,
                              addresses=form.cleaned_data["addresses"], by=request.user,
                              request=request)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The announcement is being emailed."))
            return redirect("alueet:organising_detail", pk=organising_meeting.pk)
    return _detail(request, organising_meeting, announce_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk):
    """Organisation contacts nominate their representatives and recommend their experts."""
    require(can_nominate(request.user))
    # Contacts see a meeting once it is announced; after the nominations close, the link they
    # were sent says so.
    organising_meeting = (
        OrganisingMeeting.objects.filter(announced_at__isnull=False)
        .select_related("group__area")
        .filter(pk=pk)
        .first()
    )
    require(organising_meeting is not None)
    organisations = request.user.contact_organisations()
    if not organising_meeting.accepts_nominations:
        return render(
            request,
            "alueet/nomination_form.html",
            {
                "group": organising_meeting.group,
                "organising_meeting": organising_meeting,
                "nominations": organising_meeting.nominations.filter(
                    member_organisation__in=organisations
                ).select_related("member_organisation"),
            },
        )
    experts = services.recommendable_experts(request.user, organising_meeting)
    form = NominationForm(request.POST or None, organisations=organisations, experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nominate(
                organising_meeting=organising_meeting,
                nomination=form.save(commit=False),
                consent=form.cleaned_data["consent"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was nominated and registered for the meeting.")
                % {"name": nomination.full_name},
            )
            return redirect("alueet:nominate", pk=organising_meeting.pk)
    own = organising_meeting.nominations.filter(
        member_organisation__in=organisations
    ).select_related("member_organisation")
    return render(
        request,
        "alueet/nomination_form.html",
        {
            "group": organising_meeting.group,
            "organising_meeting": organising_meeting,
            "form": form,
            "nominations": own,
        },
    )


@login_required
@require_POST
def nomination_remove(request, pk):
    nomination = editable(
        Nomination.objects.select_related("organising_meeting__group__area"), request.user, pk=pk
    )
    try:
        services.remove_nomination(nomination=nomination, by=request.user, request=request)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": nomination.full_name})
    return redirect("alueet:organising_detail", pk=nomination.organising_meeting_id)


def _step(request, pk, action, done):
    organising_meeting = editable(
        OrganisingMeeting.objects.select_related("group__area"), request.user, pk=pk
    )
    try:
        action(organising_meeting=organising_meeting, by=request.user, request=request)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("alueet:organising_detail", pk=organising_meeting.pk)


@login_required
@require_POST
def organising_close(request, pk):
    return _step(request, pk, services.close_nominations, _("Nominations were closed."))


@login_required
@require_POST
def organising_seats(request, pk):
    organising_meeting = editable(
        OrganisingMeeting.objects.select_related("group__area"), request.user, pk=pk
    )
    candidates = {
        c: organising_meeting.nominations.filter(category=c).count() for c in SeatCategory.values
    }
    form = seats_form(request.POST, candidates=candidates, initial={})
    if form.is_valid():
        try:
            services.record_seats(organising_meeting=organising_meeting,
                                  seats=form.cleaned_data, by=request.user,
                                  request=request)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The seats were recorded."))
            warn(request, composition_warnings(form.cleaned_data))
            return redirect("alueet:organising_detail", pk=organising_meeting.pk)
    return _detail(request, organising_meeting, seats_form=form)


@login_required
@require_POST
def organising_freeze(request, pk):
    return _step(
        request,
        pk,
        services.freeze_candidate_lists,
        _("The candidate lists were frozen and published with their digests."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def draw_create(request, pk, category):
    organising_meeting = editable(
        OrganisingMeeting.objects.select_related("group__area"), request.user, pk=pk
    )
    require(category in SeatCategory.values)
    candidate_list = CandidateList.objects.filter(
        organising_meeting=organising_meeting, category=category
    ).first()
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.record_draw(
                organising_meeting=organising_meeting,
                category=category,
                drawn_at=form.cleaned_data["drawn_at"],
                witnesses=form.cleaned_data["witnesses"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The lot was drawn."))
            return redirect("alueet:draw_verify", token=organising_meeting.public_token, pk=draw.pk)
    return render(
        request,
        "alueet/draw_form.html",
        {
            "group": organising_meeting.group,
            "organising_meeting": organising_meeting,
            "candidate_list": candidate_list,
            "category_label": SeatCategory(category).label,
            "form": form,
        },
    )


@login_required
@require_POST
def draw_cancel(request, pk):
    draw = editable(
        Draw.objects.select_related("candidate_list__organising_meeting__group__area"),
        request.user,
        pk=pk,
    )
    organising_meeting = draw.candidate_list.organising_meeting
    form = CancelDrawForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_draw(draw=draw, reason=form.cleaned_data["reason"], by=request.user,
                                 request=request)  # fmt: skip
        except ValidationError as error:
            message_errors(request, error)
        else:
            messages.success(
                request, _("The draw was cancelled. It stays published with the reason.")
            )
    else:
        messages.error(request, _("Give the reason for cancelling the draw."))
    return redirect("alueet:organising_detail", pk=organising_meeting.pk)


@login_required
@require_POST
def organising_complete(request, pk):
    return _step(
        request,
        pk,
        services.complete,
        _("The new term and its members were created from the result."),
    )
