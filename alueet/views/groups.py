"""The groups' public pages, and their terms, members and working groups."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotove.models import localized_name

from ..forms.groups import (
    GroupForm,
    MembershipEndForm,
    MembershipForm,
    TermForm,
    WorkingGroupForm,
    WorkingGroupMemberForm,
)
from ..models import (
    ActionPlan,
    GrantApplication,
    Meeting,
    Membership,
    OrganisingMeeting,
    RegionalEvent,
    SteeringGroup,
    Term,
    WorkingGroup,
    WorkingGroupMember,
)
from ..models.groups import composition_warnings
from ..permissions import can_manage, can_read, editable, visible
from ..services import groups as services
from . import form_errors, warn


def _officers_today() -> dict[int, list[Membership]]:
    today = timezone.localdate()
    officers = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            term__starts_on__lte=today,
            term__ends_on__gte=today,
            position__in=[Membership.Position.CHAIR, Membership.Position.SECRETARY],
        )
        .active(today)
        .select_related("term", "member_organisation")
        .order_by("position")
    ):
        officers[membership.term.group_id].append(membership)
    return officers


@require_GET
def group_list(request):
    """Public: the 18 groups with their regions and contact details."""
    groups = (
        SteeringGroup.objects.select_related("area")
        .prefetch_related("area__regions")
        .order_by(localized_name("area__"))
    )
    officers = _officers_today()
    rows = [(group, officers.get(group.pk, [])) for group in groups]
    own = set(SteeringGroup.objects.visible_to(request.user).values_list("pk", flat=True))
    return render(request, "alueet/group_list.html", {"rows": rows, "own": own})


def _counts(memberships) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for membership in memberships:
        counts[membership.seat] += 1
    return counts


@require_GET
def group_detail(request, pk):
    """Public contact details; members, meetings and the rest for those who may read them."""
    group = get_object_or_404(SteeringGroup.objects.select_related("area"), pk=pk)
    officers = _officers_today().get(group.pk, [])
    context = {"group": group, "officers": officers}
    if can_read(request.user, group):
        terms = list(group.terms.annotate(members=Count("memberships")).order_by("-starts_on"))
        term = group.current_term()
        members = (
            list(
                term.memberships.not_ended().select_related(
                    "member_organisation", "expert__responsible_organisation", "user"
                )
            )
            if term
            else []
        )
        rotation = group.chair_rotation()
        context.update(
            internal=True,
            manage=can_manage(request.user, group),
            terms=terms,
            term=term,
            members=members,
            warnings=composition_warnings(_counts(members)) if term else [],
            chairs=group.chair_history()[:10],
            rotation=rotation,
            suggestion=rotation[0] if rotation else None,
            meetings=Meeting.objects.filter(group=group).upcoming()[:5],
            organising=OrganisingMeeting.objects.filter(group=group, completed_at__isnull=True),
            working_groups=WorkingGroup.objects.filter(group=group, ended_on__isnull=True),
            plans=ActionPlan.objects.filter(group=group).order_by("-year")[:3],
            grants=GrantApplication.objects.filter(group=group).order_by("-year", "-pk")[:5],
            events=RegionalEvent.objects.filter(group=group).upcoming()[:5],
            year=timezone.localdate().year,
        )
    return render(request, "alueet/group_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    group = editable(SteeringGroup.objects, request.user, pk=pk)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        services.update_group(group=group, by=request.user, fields=form.cleaned_data,
                              request=request)  # fmt: skip
        messages.success(request, _("The contact details were saved."))
        return redirect("alueet:group_detail", pk=group.pk)
    return render(request, "alueet/group_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request, pk):
    group = editable(SteeringGroup.objects, request.user, pk=pk)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.create_term(group=group, by=request.user, request=request,
                                        **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The term %(period)s was added.") % {"period": term.period})
            return redirect("alueet:group_detail", pk=group.pk)
    return render(request, "alueet/term_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request, pk):
    term = editable(Term.objects.select_related("group__area"), request.user, pk=pk)
    form = TermForm(
        request.POST or None,
        initial={"starts_on": term.starts_on, "ends_on": term.ends_on},
        editing=True,
    )
    members = term.memberships.select_related("member_organisation", "expert", "user")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_term(term=term, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The term was saved."))
            return redirect("alueet:term_edit", pk=term.pk)
    return render(
        request,
        "alueet/term_form.html",
        {
            "group": term.group,
            "term": term,
            "form": form,
            "members": members,
            "warnings": composition_warnings(_counts(m for m in members if not m.ended_on)),
        },
    )


def _save_membership(request, form, group):
    membership = form.save(commit=False)
    try:
        membership = services.save_membership(
            membership=membership,
            by=request.user,
            invite=form.cleaned_data.get("invite", False),
            request=request,
        )
    except ValidationError as error:
        form_errors(form, error)
        return None
    messages.success(request, _("%(name)s was saved.") % {"name": membership.full_name})
    term = membership.term
    warn(request, composition_warnings(_counts(term.memberships.not_ended())))
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request, pk):
    term = editable(Term.objects.select_related("group__area"), request.user, pk=pk)
    form = MembershipForm(request.POST or None, term=term)
    if request.method == "POST" and form.is_valid() and _save_membership(request, form, term.group):
        return redirect("alueet:term_edit", pk=term.pk)
    return render(
        request, "alueet/membership_form.html", {"group": term.group, "term": term, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk):
    membership = editable(
        Membership.objects.select_related("term__group__area"), request.user, pk=pk
    )
    term = membership.term
    form = MembershipForm(request.POST or None, instance=membership, term=term)
    if request.method == "POST" and form.is_valid() and _save_membership(request, form, term.group):
        return redirect("alueet:term_edit", pk=term.pk)
    return render(
        request,
        "alueet/membership_form.html",
        {
            "group": term.group,
            "term": term,
            "membership": membership,
            "form": form,
            "end_form": MembershipEndForm(initial={"ended_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def membership_end(request, pk):
    membership = editable(
        Membership.objects.select_related("term__group__area"), request.user, pk=pk
    )
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(
                membership=membership,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s left the group.") % {"name": membership.full_name}
            )
            return redirect("alueet:term_edit", pk=membership.term_id)
    membership.refresh_from_db()
    return render(
        request,
        "alueet/membership_form.html",
        {
            "group": membership.term.group,
            "term": membership.term,
            "membership": membership,
            "form": MembershipForm(instance=membership, term=membership.term),
            "end_form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def working_group_create(request, pk):
    group = editable(SteeringGroup.objects, request.user, pk=pk)
    form = WorkingGroupForm(request.POST or None, instance=WorkingGroup(group=group))
    if request.method == "POST" and form.is_valid():
        working_group = services.save_working_group(
            working_group=form.save(commit=False), by=request.user, request=request
        )
        return redirect("alueet:working_group_detail", pk=working_group.pk)
    return render(request, "alueet/working_group_form.html", {"group": group, "form": form})


@login_required
@require_GET
def working_group_detail(request, pk):
    working_group = visible(WorkingGroup.objects.select_related("group__area"), request.user,
                            pk=pk)  # fmt: skip
    return _working_group_page(request, working_group)


def _working_group_page(request, working_group, member_form=None):
    manage = can_manage(request.user, working_group.group)
    return render(
        request,
        "alueet/working_group_detail.html",
        {
            "group": working_group.group,
            "working_group": working_group,
            "members": working_group.members.all(),
            "manage": manage,
            "member_form": member_form or WorkingGroupMemberForm(working_group=working_group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def working_group_edit(request, pk):
    working_group = editable(WorkingGroup.objects.select_related("group__area"), request.user,
                             pk=pk)  # fmt: skip
    form = WorkingGroupForm(request.POST or None, instance=working_group)
    if request.method == "POST" and form.is_valid():
        services.save_working_group(working_group=form.save(commit=False), by=request.user,
                                    request=request)  # fmt: skip
        messages.success(request, _("The working group was saved."))
        return redirect("alueet:working_group_detail", pk=working_group.pk)
    return render(
        request,
        "alueet/working_group_form.html",
        {"group": working_group.group, "working_group": working_group, "form": form},
    )


@login_required
@require_POST
def working_group_member_add(request, pk):
    working_group = editable(WorkingGroup.objects.select_related("group__area"), request.user,
                             pk=pk)  # fmt: skip
    form = WorkingGroupMemberForm(request.POST, working_group=working_group)
    if form.is_valid():
        try:
            member = services.add_working_group_member(
                working_group=working_group, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": member.name})
            return redirect("alueet:working_group_detail", pk=working_group.pk)
    return _working_group_page(request, working_group, member_form=form)


@login_required
@require_POST
def working_group_member_remove(request, pk):
    member = editable(
        WorkingGroupMember.objects.select_related("working_group__group__area"),
        request.user,
        pk=pk,
    )
    services.remove_working_group_member(member=member, by=request.user, request=request)
    messages.success(request, _("%(name)s was removed.") % {"name": member.name})
    return redirect("alueet:working_group_detail", pk=member.working_group_id)
