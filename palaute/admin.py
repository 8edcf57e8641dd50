"""The planner builds the feedback forms here and reads every answer.

Editing a form: the planner opens the current version, changes the texts and questions and
saves, as with any admin page. If nobody has answered that version yet, it is changed as it
is. If it has answers, the changes are saved as a new version (the page says so before and
after saving): the answered version stays exactly as it was, read-only, and its answers keep
their questions. Older versions are read-only.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kotove.admin import ReadOnlyAdmin
from kotove.services import audit

from . import services
from .forms import QuestionAdminForm
from .models import Answer, FeedbackForm, FeedbackLink, Question, Report, Response


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionAdminForm
    extra = 0
    fields = [
        ("order", "kind", "required"),
        ("text_fi", "text_sv"),
        ("help_fi", "help_sv"),
        ("low_label_fi", "high_label_fi"),
        ("low_label_sv", "high_label_sv"),
        ("choices_fi", "choices_sv"),
        "key",
    ]

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_current

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class CurrentFilter(admin.SimpleListFilter):
    title = _("version")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current versions")), ("no", _("Replaced versions"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.filter(replaced_at__isnull=False)
        return queryset


@admin.register(FeedbackForm)
class FeedbackFormAdmin(admin.ModelAdmin):
    list_display = ["title_fi", "kind", "version", "is_current", "answer_count", "created_at"]
    list_filter = [CurrentFilter, "kind"]
    search_fields = ["title_fi", "title_sv"]
    fields = ["version_status", "kind", "title_fi", "title_sv", "intro_fi", "intro_sv"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_count=Count("responses"))

    def get_readonly_fields(self, request, obj=None):
        return ["version_status", "kind"] if obj else ["version_status"]

    @admin.display(description=_("answers"), ordering="answer_count")
    def answer_count(self, obj):
        return obj.answer_count

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, obj):
        return obj.is_current

    @admin.display(description=_("what saving does"))
    def version_status(self, obj):
        if obj is None or obj.pk is None:
            return _(
                "A new form becomes the current form of its kind: new answer links use it. "
                "The earlier form of the same kind and its answers stay as they are."
            )
        if not obj.is_current:
            return _("This version was replaced by a newer one and cannot be changed.")
        count = obj.responses.count()
        if count:
            return ngettext(
                "Version %(version)d has %(count)d answer. When you save changes, they become "
                "version %(next)d; the answer stays with version %(version)d and its questions.",
                "Version %(version)d has %(count)d answers. When you save changes, they become "
                "version %(next)d; the answers stay with version %(version)d and its questions.",
                count,
            ) % {"version": obj.version, "count": count, "next": obj.version + 1}
        return _("Nobody has answered version %(version)d yet: changes are saved to it.") % {
            "version": obj.version
        }

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def has_delete_permission(self, request, obj=None):
        """Answered versions are kept, and the current one is what the links use."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (not obj.is_current and not obj.responses.exists()))

    def save_model(self, request, obj, form, change):
        if not change:
            services.start_form(form=obj, by=request.user)
        elif Response.objects.filter(form_id=obj.pk).exists():
            obj._answered = True  # saved as a new version in save_related, with its questions
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if not getattr(obj, "_answered", False):
            return super().save_related(request, form, formsets, change)
        for formset in formsets:  # the admin's history message reads these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not form.has_changed() and not any(formset.has_changed() for formset in formsets):
            return None
        old_version = obj.version
        questions = [
            question_form.save(commit=False)
            for formset in formsets
            for question_form in formset.forms
            if question_form.instance.pk or question_form.has_changed()
            if not (formset.can_delete and formset._should_delete_form(question_form))
        ]
        services.save_form_version(form=obj, questions=questions, by=request.user)
        messages.info(
            request,
            _(
                "Version %(old)d had answers, so your changes were saved as version %(new)d. "
                "The answers given so far stay with version %(old)d."
            )
            % {"old": old_version, "new": obj.version},
        )


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "display"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    """Every filled-in form. Opening one writes an audit row: free text may hold personal data."""

    list_display = ["submitted_on", "link", "form"]
    list_filter = ["link__kind", "submitted_on"]
    search_fields = ["link__task__expert__last_name", "link__participant__last_name"]
    list_select_related = [
        "link__task__expert",
        "link__task__task_type",
        "link__participant__course",
        "form",
    ]
    date_hierarchy = "submitted_on"
    inlines = [AnswerInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = self.get_object(request, object_id)
        if response is not None:
            audit(actor=request.user, action="feedback.view_answer", obj=response, request=request)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(FeedbackLink)
class FeedbackLinkAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "created_at", "emailed_at", "reminded_at"]
    list_filter = ["kind"]
    search_fields = ["task__expert__last_name", "participant__last_name", "evaluator_name"]
    list_select_related = ["task__expert", "task__task_type", "participant__course"]
    exclude = ["token"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Every report built, with its parameters and state; it is read, downloaded and built
    again on its own page (the link below), where the requester's scope applies too."""

    list_display = ["__str__", "language", "for_planner", "status", "requested_by", "requested_at"]
    list_filter = ["status", "scope", "year", "for_planner", "scheduled"]
    list_select_related = ["area", "organisation", "requested_by"]
    date_hierarchy = "requested_at"
    exclude = ["data"]
    readonly_fields = ["page"]

    @admin.display(description=_("report's page"))
    def page(self, obj):
        url = reverse("palaute:report", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, url)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")
