from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kotove.admin import PersonalDataAdmin, ReadOnlyAdmin
from kotove.services import audit_view

from . import services
from .filters import forget_choices
from .models import (
    Audience,
    Consent,
    Expert,
    LifeSituation,
    RequestAnswer,
    SavedSearch,
    Task,
    TaskRequest,
    TaskType,
    Theme,
)


class ReindexMixin:
    """Search finds experts by the names and ids of these words: a renamed word must be
    findable by its new name at once, and a deleted one must leave the search entries. The
    search form shows the edited list at once too."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_choices()
        if change:
            services.refresh_search_entries(expert_ids=obj.experts.values_list("pk", flat=True))

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        expert_ids = {pk for pk in queryset.values_list("experts", flat=True) if pk}
        super().delete_queryset(request, queryset)
        forget_choices()
        services.refresh_search_entries(expert_ids=expert_ids)


@admin.register(Theme)
class ThemeAdmin(ReindexMixin, admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "organisation", "is_active", "order"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name_fi", "name_sv"]
    list_select_related = ["organisation"]


@admin.register(LifeSituation, TaskType, Audience)
class VocabularyAdmin(ReindexMixin, admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name_fi", "name_sv"]


class ConsentInline(admin.TabularInline):
    """Consent history is never edited; it is recorded through the bank's pages."""

    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ["text_version", "given_at", "method", "recorded_by", "withdrawn_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Expert)
class ExpertAdmin(PersonalDataAdmin):
    list_display = [
        "last_name",
        "first_name",
        "responsible_organisation",
        "home_municipality",
        "status",
        "confirmed_at",
    ]
    list_filter = [
        "status",
        "responsible_organisation",
        "home_municipality__region",
        "experience_kind",
        "online",
    ]
    search_fields = ["first_name", "last_name", "email"]
    list_select_related = ["responsible_organisation", "home_municipality"]
    autocomplete_fields = ["home_municipality", "user", "travel_municipalities"]
    filter_horizontal = [
        "themes",
        "life_situations",
        "task_types",
        "audiences",
        "other_organisations",
        "travel_regions",
    ]
    readonly_fields = ["confirmed_at", "confirmed_by", "created_at", "updated_at"]
    inlines = [ConsentInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The record shows the expert's health data: every view of it is audited."""
        response = super().change_view(request, object_id, form_url, extra_context)
        expert = getattr(response, "context_data", {}).get("original")
        if expert and request.method == "GET":
            audit_view(request=request, action="expert.admin_view", shown=[expert])
        return response

    def has_delete_permission(self, request, obj=None):
        """A record is erased from its personal data page, never deleted: its tasks and the
        statistics keep counting the anonymised record."""
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_entries(expert_ids=[form.instance.pk])


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["expert", "text_version", "method", "given_at", "withdrawn_at"]
    list_filter = ["method", "text_version"]
    search_fields = ["expert__last_name", "expert__email"]
    list_select_related = ["expert"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "notify", "created_at", "notified_at"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["query", "created_at", "notified_at"]
    verbose_name = _("saved search")


# Requests and tasks: the planner reads them here; they change through the bank's pages. ------


class RequestAnswerInline(admin.TabularInline):
    model = RequestAnswer
    extra = 0
    can_delete = False
    fields = ["expert", "via_organisation", "status", "message", "answered_at", "answered_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ScopedAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(TaskRequest)
class TaskRequestAdmin(ScopedAdmin):
    list_display = ["title", "date", "orderer_organisation", "task_type", "audience", "created_at"]
    list_filter = [
        "answers__status",
        "task_type",
        "audience",
        "online",
        "municipality__region",
        "orderer_organisation__kind",
    ]
    search_fields = ["title", "orderer_organisation__name", "answers__expert__last_name"]
    list_select_related = ["orderer_organisation", "task_type", "audience"]
    date_hierarchy = "date"
    inlines = [RequestAnswerInline]

    def get_queryset(self, request):
        # filtering by answer status joins the answers: one row per request all the same
        return super().get_queryset(request).distinct()


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    list_display = [
        "date",
        "title",
        "expert",
        "orderer_display",
        "task_type",
        "audience",
        "audience_size",
        "place",
        "status",
    ]
    list_filter = [
        "status",
        "task_type",
        "audience",
        "language",
        "online",
        "municipality__region",
        "expert__responsible_organisation",
        "orderer_organisation__kind",
        ("answer", admin.EmptyFieldListFilter),
    ]
    search_fields = [
        "title",
        "expert__first_name",
        "expert__last_name",
        "orderer_organisation__name",
        "orderer_organisation_name",
        "orderer_email",
    ]
    list_select_related = [
        "expert",
        "orderer_organisation",
        "task_type",
        "audience",
        "municipality",
    ]
    date_hierarchy = "date"

    @admin.display(description=_("orderer"))
    def orderer_display(self, obj):
        return obj.orderer_display

    @admin.display(description=_("place"))
    def place(self, obj):
        return obj.place
