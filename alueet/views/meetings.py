"""Meetings: the year view, scheduling, invitations, attachments, minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms.meetings import AttachmentForm, CancelMeetingForm, MeetingForm, MinutesForm
from ..models import MEETINGS_TARGET, Attachment, Meeting, Minutes, SteeringGroup
from ..permissions import can_manage, editable, require, visible
from ..services import meetings as services
from . import form_errors, message_errors


@login_required
@require_GET
def meeting_year(request, pk):
    """A year's meetings, and how many were held against the guide's 4–5."""
    group = visible(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    meetings = list(
        Meeting.objects.filter(group=group)
        .in_year(year)
        .select_related("minutes")
        .annotate(
            invited=Count("invitations", distinct=True),
            attending=Count("invitations", filter=Q(invitations__response="yes"), distinct=True),
        )
    )
    now = timezone.now()
    held = sum(1 for m in meetings if not m.is_cancelled and m.ends_at < now)
    planned = sum(1 for m in meetings if not m.is_cancelled and m.ends_at >= now)
    low, high = MEETINGS_TARGET
    return render(
        request,
        "alueet/meeting_year.html",
        {
            "group": group,
            "year": year,
            "meetings": meetings,
            "held": held,
            "planned": planned,
            "target_low": low,
            "target_high": high,
            "below_target": held + planned < low,
            "manage": can_manage(request.user, group),
        },
    )


def _save(request, form, *, send):
    try:
        return services.save_meeting(
            meeting=form.save(commit=False),
            agenda=form.agenda_lines,
            by=request.user,
            send=send,
            request=request,
        )
    except ValidationError as error:
        form_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    group = editable(SteeringGroup.objects.select_related("area"), request.user, pk=pk)
    form = MeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        meeting = _save(request, form, send=form.cleaned_data.get("send", False))
        if meeting:
            messages.success(
                request,
                _("The meeting was scheduled and the invitations are being sent.")
                if meeting.invited_at
                else _("The meeting was scheduled."),
            )
            return redirect("alueet:meeting_detail", pk=meeting.pk)
    return render(request, "alueet/meeting_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = editable(Meeting.objects.select_related("group__area"), request.user, pk=pk)
    require(not meeting.is_cancelled)
    form = MeetingForm(request.POST or None, instance=meeting, group=meeting.group)
    if request.method == "POST" and form.is_valid():
        invited = meeting.invited_at is not None
        saved = _save(request, form, send=form.cleaned_data.get("send", False))
        if saved:
            messages.success(
                request,
                _("The meeting was saved and the members are sent the update.")
                if invited
                else _("The meeting was saved."),
            )
            return redirect("alueet:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "alueet/meeting_form.html",
        {"group": meeting.group, "meeting": meeting, "form": form},
    )


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = visible(
        Meeting.objects.select_related("group__area", "created_by"), request.user, pk=pk
    )
    return _detail(request, meeting)


def _detail(request, meeting, attachment_form=None):
    manage = can_manage(request.user, meeting.group)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    published = bool(minutes and minutes.published_at)
    attachments = list(meeting.attachments.all())
    invitations = meeting.invitations.select_related("membership")
    own = invitations.filter(membership__user=request.user).first()
    return render(
        request,
        "alueet/meeting_detail.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "manage": manage,
            "agenda": meeting.agenda_items.all(),
            "attachments": [a for a in attachments if not a.for_minutes],
            "minutes_attachments": [
                a for a in attachments if a.for_minutes and (published or manage)
            ],
            "invitations": invitations if manage else [],
            "answers": {
                key: sum(1 for i in invitations if i.response == value)
                for key, value in (("yes", "yes"), ("no", "no"), ("maybe", "maybe"), ("none", ""))
            }
            if manage
            else {},
            "can_write_minutes": manage
            and not meeting.is_cancelled
            and meeting.starts_at <= timezone.now()
            and not published,
            "own_invitation": own,
            "minutes": minutes if (published or manage) else None,
            "present": minutes.present.all() if minutes and (published or manage) else [],
            "attachment_form": attachment_form or AttachmentForm(),
            "cancel_form": CancelMeetingForm(),
        },
    )


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = editable(Meeting.objects.select_related("group__area"), request.user, pk=pk)
    try:
        services.send_invitations(meeting=meeting, by=request.user, request=request)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The invitations are being sent to the members."))
    return redirect("alueet:meeting_detail", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = editable(Meeting.objects.select_related("group__area"), request.user, pk=pk)
    require(not meeting.is_cancelled and not meeting.is_over)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(meeting=meeting, reason=form.cleaned_data["reason"],
                                    by=request.user, request=request)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The meeting was cancelled."))
            return redirect("alueet:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "alueet/meeting_cancel.html",
        {"group": meeting.group, "meeting": meeting, "form": form},  # fmt: skip
    )


@login_required
@require_POST
def attachment_add(request, pk):
    meeting = editable(Meeting.objects.select_related("group__area"), request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, meeting, attachment_form=form)
    services.add_attachment(meeting=meeting, upload=form.cleaned_data["file"], by=request.user,
                            request=request)  # fmt: skip
    messages.success(request, _("The attachment was added."))
    return redirect("alueet:meeting_detail", pk=meeting.pk)


@login_required
@require_GET
def attachment_download(request, pk):
    """Served only to those who may read the meeting; an attachment of the minutes only once
    they are published (or to those who write them)."""
    attachment = visible(
        Attachment.objects.select_related("meeting__group__area", "meeting__minutes"),
        request.user,
        pk=pk,
    )
    if attachment.for_minutes and not can_manage(request.user, attachment.meeting.group):
        minutes = getattr(attachment.meeting, "minutes", None)
        require(minutes is not None and minutes.published_at is not None)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name)
    response["Content-Type"] = attachment.content_type
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = editable(
        Attachment.objects.select_related("meeting__group__area"), request.user, pk=pk
    )
    try:
        services.delete_attachment(attachment=attachment, by=request.user, request=request)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The attachment was removed."))
    return redirect("alueet:meeting_detail", pk=attachment.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting = editable(Meeting.objects.select_related("group__area"), request.user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    require(not meeting.is_cancelled and not (minutes and minutes.published_at))
    members = services.meeting_members(meeting)
    initial = (
        {
            "present": list(minutes.present.all()),
            "other_attendees": minutes.other_attendees,
            "decisions": minutes.decisions,
        }
        if minutes
        else {
            "present": [
                i.membership
                for i in meeting.invitations.filter(response="yes").select_related("membership")
            ]
        }
    )
    form = MinutesForm(request.POST or None, request.FILES or None, members=members,
                       initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.save_minutes(
                    meeting=meeting,
                    present=list(data["present"]),
                    other_attendees=data["other_attendees"],
                    decisions=data["decisions"],
                    by=request.user,
                    request=request,
                )
                if data.get("file"):
                    services.add_attachment(meeting=meeting, upload=data["file"],
                                            for_minutes=True, by=request.user,
                                            request=request)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("The minutes were saved. Publish them when they are final.")
            )
            return redirect("alueet:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "alueet/minutes_form.html",
        {"group": meeting.group, "meeting": meeting, "form": form},
    )


@login_required
@require_POST
def minutes_publish(request, pk):
    meeting = editable(Meeting.objects.select_related("group__area"), request.user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    require(minutes is not None)
    try:
        services.publish_minutes(minutes=minutes, by=request.user, request=request)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The minutes were published to the members."))
    return redirect("alueet:meeting_detail", pk=meeting.pk)
