"""The planner's view of the steering groups. Writes with rules (memberships and their roles)
go through the services; the lot's lists and draws are read-only."""

from django.contrib import admin

from kotove.admin import HTTPS_URLS, ReadOnlyAdmin

from .models import (
    ActionPlan,
    AgendaItem,
    CandidateList,
    Draw,
    ExpertMailing,
    GrantApplication,
    GrantBudgetLine,
    Invitation,
    MailingOptOut,
    Meeting,
    Membership,
    Minutes,
    Nomination,
    OrganisingMeeting,
    PlanItem,
    RegionalEvent,
    Registration,
    SteeringGroup,
    Term,
    WorkingGroup,
    WorkingGroupMember,
)
from .services import groups as group_services


class ScopedAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user)


@admin.register(SteeringGroup)
class SteeringGroupAdmin(ScopedAdmin):
    list_display = ["area", "email", "phone", "website"]
    search_fields = ["area__name_fi", "area__name_sv", "email"]
    list_select_related = ["area"]

    def has_add_permission(self, request):
        return False  # one per area, created with the areas

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ["first_name", "last_name", "seat", "position", "email", "starts_on", "ended_on"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    list_display = ["group", "starts_on", "ends_on"]
    list_filter = ["group"]
    list_select_related = ["group__area"]
    inlines = [MembershipInline]
    readonly_fields = ["group", "starts_on", "ends_on", "created_at"]

    def has_add_permission(self, request):
        return False  # terms are made on the group's page or by the organising meeting


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["last_name", "first_name", "term", "seat", "position", "email", "ended_on"]
    list_filter = ["seat", "position", "term__group"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["term__group__area"]
    autocomplete_fields = ["member_organisation", "expert", "user"]
    readonly_fields = ["term", "nomination", "created_at"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        group_services.save_membership(membership=obj, by=request.user, request=request)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["title", "group", "starts_at", "invited_at", "cancelled_at"]
    list_filter = ["group"]
    date_hierarchy = "starts_at"
    list_select_related = ["group__area"]
    readonly_fields = ["sequence", "invited_at", "cancelled_at", "created_by", "created_at"]
    inlines = [AgendaInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "membership", "response", "responded_at", "reminded_at"]
    list_filter = ["response"]
    list_select_related = ["meeting__group__area", "membership"]
    exclude = ["token"]


@admin.register(Minutes)
class MinutesAdmin(ScopedAdmin):
    list_display = ["meeting", "published_at"]
    list_select_related = ["meeting__group__area"]
    readonly_fields = ["meeting", "published_at", "published_by"]
    filter_horizontal = ["present"]

    def get_queryset(self, request):
        return Minutes.objects.filter(
            meeting__in=Meeting.objects.editable_by(request.user)
        ).select_related("meeting__group__area")


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0
    can_delete = False
    fields = ["category", "first_name", "last_name", "email", "consent_confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OrganisingMeeting)
class OrganisingMeetingAdmin(ScopedAdmin):
    list_display = ["group", "starts_at", "nomination_deadline", "completed_at"]
    list_select_related = ["group__area"]
    readonly_fields = [
        "announced_at",
        "nominations_closed_at",
        "seats_recorded_at",
        "lists_frozen_at",
        "completed_at",
        "term",
        "created_by",
        "created_at",
    ]
    inlines = [NominationInline]


@admin.register(CandidateList)
class CandidateListAdmin(ReadOnlyAdmin):
    list_display = ["organising_meeting", "category", "seats", "digest", "frozen_at"]
    list_select_related = ["organising_meeting__group__area"]


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    """A draw is never changed: it is cancelled, with a reason, on the organising meeting's
    page."""

    list_display = ["candidate_list", "algorithm_version", "seed", "recorded_at", "cancelled_at"]
    list_select_related = ["candidate_list__organising_meeting__group__area"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(ScopedAdmin):
    list_display = ["group", "year", "approved_on"]
    list_filter = ["year", "group"]
    list_select_related = ["group__area"]
    inlines = [PlanItemInline]


class BudgetLineInline(admin.TabularInline):
    model = GrantBudgetLine
    extra = 0


@admin.register(GrantApplication)
class GrantApplicationAdmin(ScopedAdmin):
    list_display = ["group", "year", "amount", "status", "granted_amount", "spent_amount"]
    list_filter = ["status", "year"]
    list_select_related = ["group__area"]
    readonly_fields = [
        "status",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
        "reported_at",
        "created_by",
        "created_at",
    ]
    inlines = [BudgetLineInline]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["expert", "status", "created_at", "cancelled_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RegionalEvent)
class RegionalEventAdmin(ScopedAdmin):
    list_display = ["title", "group", "kind", "starts_at", "capacity", "cancelled_at"]
    list_filter = ["kind", "group"]
    list_select_related = ["group__area"]
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]


@admin.register(ExpertMailing)
class ExpertMailingAdmin(ReadOnlyAdmin):
    list_display = ["subject", "group", "created_at", "recipients"]
    list_select_related = ["group__area"]


@admin.register(MailingOptOut)
class MailingOptOutAdmin(ReadOnlyAdmin):
    list_display = ["expert", "group", "created_at"]
    list_select_related = ["group__area", "expert"]


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 0
    autocomplete_fields = ["membership"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ScopedAdmin):
    list_display = ["name", "group", "ended_on"]
    list_select_related = ["group__area"]
    inlines = [WorkingGroupMemberInline]
