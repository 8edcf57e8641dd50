"""Forms of courses and of running them. They validate and never have side effects: views
hand the cleaned data to koulutus.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, User

from ..models import (
    Application,
    Assignment,
    Attendance,
    Course,
    CourseType,
    Session,
    contact_organisation_ids,
    find_overlaps,
    regional_area_ids,
)
from ..permissions import creatable_kinds

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _users_by_email(emails: list[str]) -> tuple[list[User], list[str]]:
    found = {u.email: u for u in User.objects.filter(email__in=emails, is_active=True)}
    return [found[e] for e in emails if e in found], [e for e in emails if e not in found]


class CourseForm(forms.ModelForm):
    """A course's own fields. Coordinator and trainers are named by their email address: they
    need an account to record attendance (the planner invites new people)."""

    coordinator_email = forms.EmailField(
        label=_("Coordinator's email address"),
        help_text=_(
            "The one person responsible for the whole course: the trainers, the division of "
            "work and the flow of information. They need an account in the service."
        ),
    )
    trainer_emails = forms.CharField(
        label=_("Trainers' email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line. Trainers record attendance and assignments."),
    )

    class Meta:
        model = Course
        fields = [
            "course_type",
            "name",
            "description",
            "language",
            "organisations",
            "area",
            "capacity",
            "application_opens",
            "application_closes",
            "is_published",
        ]
        widgets = {
            "organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "application_opens": DATE_INPUT,
            "application_closes": DATE_INPUT,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = creatable_kinds(user)
        course = self.instance
        if course.pk:
            # The type of an existing course stays; its editor may not create that type.
            del self.fields["course_type"]
            self.initial["coordinator_email"] = course.coordinator.email
            self.initial["trainer_emails"] = "\n".join(t.email for t in course.trainers.all())
        else:
            self.fields["course_type"].queryset = CourseType.objects.filter(kind__in=kinds)
            self.fields["course_type"].empty_label = None
            self.initial.setdefault("coordinator_email", user.email)
        self.fields["organisations"].queryset = MemberOrganisation.objects.filter(is_active=True)

    def clean_coordinator_email(self):
        email = self.cleaned_data["coordinator_email"].strip().lower()
        users, missing = _users_by_email([email])
        if missing:
            raise ValidationError(
                _("Nobody has an account with this address. Ask the planner to invite them.")
            )
        return users[0]

    def clean_trainer_emails(self):
        emails = [line.strip().lower() for line in self.cleaned_data["trainer_emails"].split()]
        for email in emails:
            try:
                forms.EmailField().clean(email)
            except ValidationError:
                raise ValidationError(
                    _("%(email)s is not an email address.") % {"email": email}
                ) from None
        users, missing = _users_by_email(list(dict.fromkeys(emails)))
        if missing:
            raise ValidationError(
                _("Nobody has an account with %(emails)s. Ask the planner to invite them.")
                % {"emails": ", ".join(missing)}
            )
        return users

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            holding = self.instance.applications.holding_places().count()
            if capacity is not None and capacity < holding:
                raise ValidationError(
                    _("%(count)d people already have a place: the course cannot have fewer places.")
                    % {"count": holding}
                )
        return capacity

    def clean(self):
        data = super().clean()
        course_type = data.get("course_type") or getattr(self.instance, "course_type", None)
        opens, closes = data.get("application_opens"), data.get("application_closes")
        if opens and closes and closes < opens:
            self.add_error("application_closes", _("Applications cannot close before they open."))
        if course_type and course_type.kind == CourseType.Kind.SUPPLEMENTARY:
            if not data.get("area"):
                self.add_error("area", _("Supplementary training belongs to a regional area."))
        elif course_type and not data.get("organisations"):
            self.add_error("organisations", _("Choose the organisations that organise it."))
        user = self.user
        if not user.is_planner and not self.instance.pk and course_type:
            own = set(contact_organisation_ids(user))
            if course_type.kind == CourseType.Kind.SUPPLEMENTARY:
                if data.get("area") and data["area"].pk not in regional_area_ids(user):
                    self.add_error("area", _("Choose your own regional area."))
            elif not own & {o.pk for o in data.get("organisations") or []}:
                self.add_error(
                    "organisations", _("Your own organisation must be one of the organisers.")
                )
        return data

    def save(self, commit=False):
        course = super().save(commit=False)
        course.coordinator = self.cleaned_data["coordinator_email"]
        return course


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "starts_at", "ends_at", "title", "place", "online"]
        widgets = {"date": DATE_INPUT, "starts_at": TIME_INPUT, "ends_at": TIME_INPUT}
        help_texts = {"place": _("The address, or leave empty for an online session.")}


class BaseSessionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]
        by_instance = {id(form.instance): form for form in kept}
        for form in kept:
            for name in ("date", "starts_at", "ends_at"):
                setattr(form.instance, name, form.cleaned_data.get(name))
        for first, second in find_overlaps([form.instance for form in kept]):
            by_instance[id(second)].add_error(
                "starts_at",
                _("Overlaps the session %(session)s.") % {"session": first},
            )


# Bounds far above any course's: a forged form count must not make the server build thousands
# of forms (Django's own bound is 1000 more than max_num).
MAX_ROWS = {"max_num": 60, "absolute_max": 60, "validate_max": True}

SessionFormSet = forms.inlineformset_factory(
    Course,
    Session,
    form=SessionForm,
    formset=BaseSessionFormSet,
    extra=2,
    can_delete=True,
    **MAX_ROWS,
)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["kind", "title", "description", "due_on", "required"]
        widgets = {"due_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 2})}


AssignmentFormSet = forms.inlineformset_factory(
    Course, Assignment, form=AssignmentForm, extra=2, can_delete=True, **MAX_ROWS
)


class ConfirmPlacesForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Applicants selected by their organisations"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one applicant.")},
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = course.applications.filter(
            status=Application.Status.SELECTED
        ).select_related("organisation")
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.full_name} ({a.organisation})"
        )


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Sent to the participant in the email."),
    )


class AttendanceForm(forms.Form):
    """One row per participant: present, partly (with the minutes) or absent. A row left
    unmarked is not recorded."""

    def __init__(self, *args, session: Session, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.participants = list(participants)
        for application in self.participants:
            self.fields[f"status_{application.pk}"] = forms.ChoiceField(
                label=application.full_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"minutes_{application.pk}"] = forms.IntegerField(
                label=_("Minutes present"),
                required=False,
                min_value=1,
                max_value=session.minutes,
                help_text=_("Only when partly present (at most %(max)d).")
                % {"max": session.minutes},
            )

    def rows(self):
        """(participant, status field, minutes field) for the template."""
        return [(a, self[f"status_{a.pk}"], self[f"minutes_{a.pk}"]) for a in self.participants]

    def clean(self):
        data = super().clean()
        for application in self.participants:
            status = data.get(f"status_{application.pk}")
            if status == Attendance.Status.PARTLY and not data.get(f"minutes_{application.pk}"):
                self.add_error(
                    f"minutes_{application.pk}",
                    _("Give the minutes present, from 1 to %(max)d.")
                    % {"max": self.session.minutes},
                )
        return data

    def marks(self) -> dict:
        return {
            application: (
                self.cleaned_data[f"status_{application.pk}"],
                self.cleaned_data.get(f"minutes_{application.pk}"),
            )
            for application in self.participants
            if self.cleaned_data.get(f"status_{application.pk}")
        }


class PracticeLectureForm(forms.Form):
    evaluated_on = forms.DateField(label=_("Given on"), widget=DATE_INPUT)
    evaluators = forms.CharField(
        label=_("Evaluators"),
        max_length=600,
        help_text=_("Their names, separated by commas."),
    )
    accepted = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("1", _("Accepted")), ("0", _("Not accepted"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_evaluators(self):
        names = [name.strip() for name in self.cleaned_data["evaluators"].split(",")]
        names = [name for name in names if name]
        if not names:
            raise ValidationError(_("Name at least one evaluator."))
        return names

    def clean_evaluated_on(self):
        value = self.cleaned_data["evaluated_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class CompletionForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for confirming although the rules are not met"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when something is missing. It is recorded in the audit log."),
    )

    def __init__(self, *args, completion, **kwargs):
        super().__init__(*args, **kwargs)
        self.completion = completion
        if completion.met:
            del self.fields["override_reason"]

    def clean(self):
        data = super().clean()
        if not self.completion.met and not data.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                _("The rules are not met: write why you confirm the completion anyway."),
            )
        return data
