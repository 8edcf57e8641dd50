"""The planner keeps the course types' rules and the courses here. Applications are decided
by the organisations on the site; admin shows them without their health data."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kotove.admin import PersonalDataAdmin, ReadOnlyAdmin
from kotove.personal_data import without_special_category
from kotove.services import audit

from .forms.courses import BaseSessionFormSet
from .models import Application, Assignment, Course, CourseType, RecognitionApplication, Session


@admin.register(CourseType)
class CourseTypeAdmin(admin.ModelAdmin):
    """The three kinds are fixed (the code acts on them); their rules are the planner's."""

    list_display = [
        "name_fi",
        "min_contact_days",
        "min_contact_hours",
        "requires_assignments",
        "requires_practice_lecture",
        "selection_by_organisation",
    ]
    readonly_fields = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user,
            action="course_type.update",
            obj=obj,
            request=request,
            data={name: str(form.cleaned_data[name]) for name in form.changed_data},
        )


class SessionInline(admin.TabularInline):
    model = Session
    formset = BaseSessionFormSet
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


class CourseAdminForm(admin.ModelAdmin.form):
    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity is not None:
            holding = self.instance.applications.holding_places().count()
            if capacity < holding:
                raise ValidationError(
                    _("%(count)d people already have a place: the course cannot have fewer places.")
                    % {"count": holding}
                )
        return capacity


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    form = CourseAdminForm
    list_display = ["name", "course_type", "area", "language", "application_closes", "is_published"]
    list_filter = ["course_type", "is_published", "language", "area"]
    search_fields = ["name"]
    list_select_related = ["course_type", "area"]
    autocomplete_fields = ["coordinator", "trainers", "area"]
    filter_horizontal = ["organisations"]
    readonly_fields = ["created_at"]
    inlines = [SessionInline, AssignmentInline]

    def get_queryset(self, request):
        return Course.objects.managed_by(request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit(
            actor=request.user,
            action="course.update" if change else "course.create",
            obj=form.instance,
            request=request,
        )


@admin.register(Application)
class ApplicationAdmin(PersonalDataAdmin):
    """An overview for the planner: who applied where and how it stands, and the applicant's
    personal data (export, erasure) for those without an account or expert record. The
    applicant's experience, motivation and needs are for their organisation only."""

    list_display = ["last_name", "first_name", "course", "organisation", "status", "completed_on"]
    list_filter = ["status", "course__course_type", "organisation"]
    search_fields = ["last_name", "first_name", "email", "course__name"]
    list_select_related = ["course", "organisation"]
    fields = [
        "course",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "status",
        "created_at",
        "decided_at",
        "confirmed_at",
        "completed_on",
        "completion_confirmed_by",
        "completion_override_reason",
    ]

    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("course", "organisation")
        return without_special_category(queryset)  # not shown here: not read either


@admin.register(RecognitionApplication)
class RecognitionApplicationAdmin(ReadOnlyAdmin):
    """Decided by the national steering group on the site; the grounds stay there."""

    list_display = ["last_name", "first_name", "organisation", "status", "decision_date"]
    list_filter = ["status", "organisation"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["organisation"]
    fields = [
        "organisation",
        "first_name",
        "last_name",
        "email",
        "status",
        "created_at",
        "decision_date",
        "decided_by",
    ]

    def get_queryset(self, request):
        return without_special_category(super().get_queryset(request))
