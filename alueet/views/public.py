"""Pages opened from a link, without logging in: answering a meeting invitation, a unit's or
stakeholder's nominations, the published candidate lists and draws, unsubscribing.

The links carry secrets; the site's Referrer-Policy (same-origin) keeps them from the sites
that links on these pages lead to (an online meeting's link)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import lottery
from ..forms.meetings import AnswerForm
from ..forms.organising import PublicNominationForm
from ..models import (
    CandidateList,
    Draw,
    Invitation,
    MailingOptOut,
    NominationInvite,
    OrganisingMeeting,
)
from ..services import events as event_services
from ..services import meetings as meeting_services
from ..services import organising as organising_services
from . import form_errors


@never_cache
@require_http_methods(["GET", "POST"])
def rsvp(request, token):
    """A member answers a meeting invitation from the link in the email. A link answers once;
    an unknown or used link says so and changes nothing."""
    invitation = (
        Invitation.objects.select_related("meeting__group__area", "membership")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return render(request, "alueet/rsvp_invalid.html", status=404)
    form = AnswerForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.answer_invitation(token=token, **form.cleaned_data)
        except meeting_services.AnswerError as exc:
            error = exc.messages[0]
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you, your answer was recorded."))
            return redirect("alueet:rsvp", token=token)
    invitation.refresh_from_db(fields=["response", "note", "responded_at"])
    status = 409 if error else 200
    return render(
        request,
        "alueet/rsvp.html",
        {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "agenda": invitation.meeting.agenda_items.all(),
            "form": form,
            "error": error,
        },
        status=status,
    )


@require_GET
def candidates(request, token):
    """Public: the frozen candidate lists with their digests, and every draw with its inputs."""
    organising_meeting = get_object_or_404(
        OrganisingMeeting.objects.select_related("group__area"), public_token=token
    )
    lists = CandidateList.objects.filter(organising_meeting=organising_meeting).prefetch_related(
        "draws"
    )
    rows = []
    for candidate_list in lists:
        draws = list(candidate_list.draws.all())
        valid = next((d for d in draws if not d.cancelled_at), None)
        rows.append(
            {
                "list": candidate_list,
                "draws": [_draw_view(candidate_list, draw) for draw in draws],
                "elected": _elected(candidate_list, valid),
            }
        )
    return render(
        request,
        "alueet/candidates.html",
        {
            "organising_meeting": organising_meeting,
            "group": organising_meeting.group,
            "rows": rows,
            "version": lottery.CURRENT_VERSION,
        },
    )


def _elected(candidate_list, draw):
    if not candidate_list.needs_draw:
        return [e["number"] for e in candidate_list.entries][: candidate_list.seats]
    return draw.elected_numbers if draw else None


def _draw_view(candidate_list, draw):
    names = {e["number"]: e for e in candidate_list.entries}
    lots = lottery.lots(digest=candidate_list.digest, seed=draw.seed,
                        count=len(candidate_list.entries))  # fmt: skip
    return {
        "draw": draw,
        "order": [
            (position, names[number], lots[number], position <= candidate_list.seats)
            for position, number in enumerate(draw.order, start=1)
        ],
    }


@require_GET
def draw_verify(request, token, pk):
    """Public: re-run the draw from the published list, inputs and algorithm version, and say
    whether the same result comes out."""
    draw = get_object_or_404(
        Draw.objects.select_related("candidate_list__organising_meeting__group__area"),
        pk=pk,
        candidate_list__organising_meeting__public_token=token,
    )
    candidate_list = draw.candidate_list
    result = lottery.verify(
        list_text_=candidate_list.text,
        published_digest=candidate_list.digest,
        seed_text_=draw.seed_text,
        published_seed=draw.seed,
        published_order=draw.order,
        count=len(candidate_list.entries),
        version=draw.algorithm_version,
    )
    return render(
        request,
        "alueet/draw_verify.html",
        {
            "draw": draw,
            "candidate_list": candidate_list,
            "organising_meeting": candidate_list.organising_meeting,
            "group": candidate_list.organising_meeting.group,
            "result": result,
            "order": _draw_view(candidate_list, draw)["order"],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def nominate_by_link(request, token):
    """A unit or stakeholder names its representatives with its own link."""
    invite = get_object_or_404(
        NominationInvite.objects.select_related("organising_meeting__group__area"), token=token
    )
    organising_meeting = invite.organising_meeting
    form = PublicNominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = organising_services.nominate(
                organising_meeting=organising_meeting,
                nomination=form.save(commit=False),
                consent=form.cleaned_data["consent"],
                invite=invite,
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
            return redirect("alueet:nominate_by_link", token=token)
    return render(
        request,
        "alueet/nomination_public.html",
        {
            "invite": invite,
            "organising_meeting": organising_meeting,
            "group": organising_meeting.group,
            "nominations": invite.nominations.all(),
            "form": form,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in every mailing: a button (so that link checkers do not unsubscribe); once
    used, the link's page says it is done (a reload sends nothing again)."""
    try:
        group, expert = event_services.read_unsubscribe_token(token)
    except ValidationError:
        return render(request, "alueet/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        event_services.unsubscribe(token=token)
        return redirect("alueet:unsubscribe", token=token)
    done = MailingOptOut.objects.filter(group=group, expert=expert).exists()
    return render(
        request, "alueet/unsubscribe.html", {"group": group, "expert": expert, "done": done}
    )
