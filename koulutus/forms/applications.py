"""The application form of each course type, and the organisation's interview and decision."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, Municipality
from pankki.models import Expert
from pankki.validators import clean_phone

from ..models import Application, Course, CourseType, InitialInterview
from .courses import DATE_INPUT


class ApplicationForm(forms.ModelForm):
    """The application form of the course's type (the guide's forms for the basic and the
    continuing training; a short registration for supplementary training)."""

    COMMON = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "home_municipality",
        "language",
        "organisation",
    ]
    BY_KIND = {
        CourseType.Kind.BASIC: [
            "experience_kind",
            "experience",
            "previous_activity",
            "motivation",
        ],
        CourseType.Kind.CONTINUING: [
            "basic_training_year",
            "basic_training_organiser",
            "experience_kind",
            "previous_activity",
            "motivation",
        ],
        CourseType.Kind.SUPPLEMENTARY: [],
    }
    REQUIRED = {"experience_kind", "experience", "motivation", "basic_training_year"}

    privacy = forms.BooleanField(
        label=_(
            "I agree that my application is handled by the contact person of my organisation "
            "and, if I am selected, by the course coordinator and trainers."
        ),
        error_messages={"required": _("The application cannot be handled without this.")},
    )

    class Meta:
        model = Application
        fields = [
            *["first_name", "last_name", "email", "phone", "home_municipality", "language"],
            *["organisation", "experience_kind", "experience", "previous_activity"],
            *["motivation", "basic_training_year", "basic_training_organiser"],
            "accessibility_needs",
        ]
        labels = {
            "organisation": _("Your background organisation"),
            "experience_kind": _("Your experience is"),
            "experience": _("Tell briefly about the experience you would share"),
            "motivation": _("Why do you want to take part?"),
            "accessibility_needs": _("Accessibility and other needs"),
        }
        help_texts = {
            "organisation": _(
                "The member organisation through which you apply: its contact person selects "
                "the participants."
            ),
            "experience": _(
                "Illness or disability, your own or a close one's, and how it has shaped your "
                "life. Only your organisation's contact person reads this."
            ),
            "accessibility_needs": _(
                "For example an interpreter, an assistant, accessible premises, breaks or "
                "diet. The coordinator arranges them."
            ),
            "phone": _("For example 040 123 4567 or +358 40 123 4567."),
            "language": _("We email you in this language."),
        }
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "experience_kind": forms.RadioSelect,
            "experience": forms.Textarea(attrs={"rows": 5}),
            "previous_activity": forms.Textarea(attrs={"rows": 3}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, course: Course, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.user = user
        kind = course.course_type.kind
        wanted = {*self.COMMON, *self.BY_KIND[kind], "accessibility_needs", "privacy"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in self.REQUIRED & set(self.fields):
            self.fields[name].required = True
        if "experience_kind" in self.fields:
            self.fields["experience_kind"].choices = Expert.ExperienceKind.choices
        if not course.course_type.selection_by_organisation:
            # Places go to registrations in order: nobody at the organisation selects.
            self.fields["organisation"].help_text = _(
                "The member organisation you take part through. Its contact person sees your "
                "registration."
            )
            self.fields["privacy"].label = _(
                "I agree that my registration is handled by the organisers and trainers of "
                "the course, and seen by the contact person of my organisation."
            )
        if kind == CourseType.Kind.CONTINUING:
            self.fields["previous_activity"].label = _("Your tasks as an experience expert so far")
            self.fields["motivation"].label = _(
                "What development or influencing work interests you?"
            )
        self.fields["organisation"].queryset = MemberOrganisation.objects.filter(is_active=True)
        self.fields["home_municipality"].queryset = Municipality.objects.order_by("name_fi")
        if user.is_authenticated:
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("The address of your account.")
            self._prefill(user)

    GROUPS = [
        (
            _("Personal details"),
            ["first_name", "last_name", "email", "phone", "home_municipality", "language"],
        ),
        (_("Background organisation"), ["organisation"]),
        (
            _("Your basic training"),
            ["basic_training_year", "basic_training_organiser"],
        ),
        (_("Your experience"), ["experience_kind", "experience", "previous_activity"]),
        (_("Motivation"), ["motivation"]),
        (_("Taking part"), ["accessibility_needs", "privacy"]),
    ]

    def groups(self):
        """The fields in the guide's sections, each a fieldset with a legend."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.GROUPS
            if any(name in self.fields for name in names)
        ]

    def _prefill(self, user):
        expert = Expert.objects.filter(user=user).first()
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "language": user.language,
        }
        if expert:
            initial.update(
                phone=expert.phone or user.phone,
                home_municipality=expert.home_municipality_id,
                organisation=expert.responsible_organisation_id,
                experience_kind=expert.experience_kind,
            )
            if expert.basic_training_date:
                initial["basic_training_year"] = expert.basic_training_date.year
                initial["basic_training_organiser"] = expert.basic_training_course
        for name, value in initial.items():
            self.initial.setdefault(name, value)

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # Told only to the signed-in owner of the address. To anyone else a second
        # application is answered like a first one (services.submit_application emails the
        # address instead): who has applied is health data.
        if (
            self.user.is_authenticated
            and Application.objects.filter(course=self.course, email__iexact=email)
            .exclude(status__in=Application.CLOSED)
            .exists()
        ):
            raise ValidationError(
                _(
                    "You have already applied to this course with this address. The link in "
                    "the email we sent you shows your application."
                ),
                code="duplicate",
            )
        return email

    def clean_basic_training_year(self):
        year = self.cleaned_data.get("basic_training_year")
        if year and not 1998 <= year <= timezone.localdate().year:
            raise ValidationError(
                _("Give the year, from 1998 to this year."), code="basic_training_year"
            )
        return year

    def save(self, commit=False):
        application = super().save(commit=False)
        application.course = self.course
        return application


class InterviewForm(forms.ModelForm):
    class Meta:
        model = InitialInterview
        fields = [
            "held_on",
            "method",
            "experience_processing",
            "situation",
            "expectations",
            "suitability",
            "notes",
        ]
        widgets = {
            "held_on": DATE_INPUT,
            "method": forms.RadioSelect,
            "suitability": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("experience_processing", "situation", "expectations", "notes")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = InitialInterview.Method.choices
        self.fields["suitability"].choices = InitialInterview.Suitability.choices

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return held_on


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Application.Status.SELECTED, _("Selected")),
            (Application.Status.WAITING_LIST, _("Waiting list")),
            (Application.Status.NOT_SELECTED, _("Not selected")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note on the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For your organisation: the applicant does not see it."),
    )
