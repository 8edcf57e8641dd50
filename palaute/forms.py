"""The answer form built from a form version's questions, and the admin's question form.

Forms validate and never have side effects: views hand the answers to palaute.services.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import FeedbackForm, Question, Report
from .permissions import report_scopes

MAX_TEXT = 2000
HEALTH_WARNING = _(
    "Please do not write about the health or life situation of other people, nor anything "
    "that would identify another person."
)


def _field(question: Question) -> forms.Field:
    common = {"label": question.text, "required": question.required}
    if question.help:
        common["help_text"] = question.help
    match question.kind:
        case Question.Kind.SCALE:
            labels = {1: question.low_label, 5: question.high_label}
            choices = [(n, f"{n} – {labels[n]}" if n in labels else str(n)) for n in Question.SCALE]
            return forms.TypedChoiceField(
                coerce=int,
                empty_value=None,
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                **common,
            )
        case Question.Kind.SINGLE:
            return forms.TypedChoiceField(
                coerce=int,
                empty_value=None,
                choices=list(enumerate(question.choices)),
                widget=forms.RadioSelect(attrs={"class": "choices"}),
                **common,
            )
        case Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                coerce=int,
                choices=list(enumerate(question.choices)),
                widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
                **common,
            )
    help_text = " ".join(str(part) for part in (question.help, HEALTH_WARNING) if part)
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        **(common | {"help_text": help_text}),
    )


class AnswerForm(forms.Form):
    """One field per question of `feedback_form`, named after the question's id."""

    def __init__(self, *args, feedback_form: FeedbackForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback_form = feedback_form
        self.questions = list(feedback_form.questions.all())
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _field(question)

    def answers(self) -> list[tuple[Question, object]]:
        """(question, value) for every answered question of a valid form."""
        pairs = [(q, self.cleaned_data.get(f"q{q.pk}")) for q in self.questions]
        return [(q, value) for q, value in pairs if value not in (None, "", [])]


class LectureAnswerForm(AnswerForm):
    """The practice lecture evaluation: the evaluator's name and the outcome, which koulutus
    records, come before the form's questions (they are not the planner's to edit away)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = self.fields
        self.fields = {
            "evaluator_name": forms.CharField(
                label=_("Your name"),
                max_length=150,
                help_text=_("The participant and the course coordinator see your name."),
            ),
            "accepted": forms.TypedChoiceField(
                label=_("Is the practice lecture accepted?"),
                coerce=lambda value: value == "yes",
                choices=[
                    ("yes", _("Accepted")),
                    ("no", _("Not yet: the participant gives another practice lecture")),
                ],
                widget=forms.RadioSelect(attrs={"class": "choices"}),
            ),
            **questions,
        }


class EvaluationLinksForm(forms.Form):
    evaluators = forms.CharField(
        label=_("Evaluators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line: each evaluator gets their own link."),
    )
    lecture_on = forms.DateField(
        label=_("The practice lecture was given on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def clean_evaluators(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["evaluators"].splitlines() if line.strip()
        ]


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "order",
            "kind",
            "required",
            "key",
            "text_fi",
            "text_sv",
            "help_fi",
            "help_sv",
            "low_label_fi",
            "high_label_fi",
            "low_label_sv",
            "high_label_sv",
            "choices_fi",
            "choices_sv",
        ]
        widgets = {
            "choices_fi": forms.Textarea(attrs={"rows": 4, "cols": 40}),
            "choices_sv": forms.Textarea(attrs={"rows": 4, "cols": 40}),
        }


class ReportRequestForm(forms.Form):
    """The year, what the report covers (among the scopes the user may ask for) and its
    language. `cleaned_data` gets `scope`, `area` and `organisation` as the service takes
    them."""

    YEARS = 10

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    covers = forms.ChoiceField(label=_("Report on"))
    language = forms.ChoiceField(label=_("Language of the report"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (year, str(year)) for year in range(this_year, this_year - self.YEARS, -1)
        ]
        self.fields["year"].initial = this_year - 1
        network, areas, organisations = report_scopes(user)
        self._areas = {f"area-{a.pk}": a for a in areas}
        self._organisations = {f"organisation-{o.pk}": o for o in organisations}
        choices = [("network", Report.Scope.NETWORK.label)] if network else []
        if areas:
            choices.append((_("Regional areas"), [(k, str(a)) for k, a in self._areas.items()]))
        if organisations:
            choices.append(
                (
                    _("Member organisations"),
                    [(k, str(o)) for k, o in self._organisations.items()],
                )
            )
        self.fields["covers"].choices = choices
        self.fields["language"].choices = Report.Language.choices
        self.fields["language"].initial = "sv" if get_language() == "sv" else "fi"

    def clean(self):
        data = super().clean()
        covers = data.get("covers")
        data["area"] = self._areas.get(covers)
        data["organisation"] = self._organisations.get(covers)
        data["scope"] = (
            "area" if data["area"] else "organisation" if data["organisation"] else covers
        )
        return data
