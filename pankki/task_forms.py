"""Forms of requests and tasks. They validate and never have side effects: the views hand the
cleaned data to pankki.task_services."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import Municipality, OrdererOrganisation

from .filters import FastSelect
from .forms import DATE_INPUT
from .models import Audience, Expert, Task, TaskRequest, TaskType
from .task_models import contact_organisation_ids, orderer_organisation_ids

# Tasks are agreed months ahead, not years: a later date is a typing error (and 31.12.9999
# would overflow the feedback links' closing date).
LATEST_AHEAD = timedelta(days=2 * 365)
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
FEE_HELP = _(
    "Fees are agreed case by case and are taxable income for the expert. Leave empty if you "
    "offer no fee."
)
TRAVEL_HELP = _("Travel costs are the orderer's to pay: reasonable travel costs are reimbursed.")
PLACE_FIELDS = [
    "title",
    "task_type",
    "audience",
    "audience_size",
    "date",
    "start_time",
    "end_time",
    "online",
    "municipality",
    "address",
    "language",
    "description",
    "fee",
    "pays_travel_costs",
]
PLACE_WIDGETS = {
    "date": DATE_INPUT,
    "start_time": TIME_INPUT,
    "end_time": TIME_INPUT,
    "description": forms.Textarea(attrs={"rows": 5}),
    "audience_size": forms.NumberInput(attrs={"min": 1}),
    "fee": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    # the search's cached list, in the page's language and alphabetical order
    "municipality": FastSelect(key="municipality"),
}


class PlaceFormMixin:
    """Shared choices, checks and sections of a request and a task."""

    SECTIONS = [
        (
            _("Task"),
            [
                "expert",
                "title",
                "task_type",
                "audience",
                "audience_size",
                "language",
                "description",
            ],
        ),
        (_("When"), ["date", "date_until", "start_time", "end_time", "done"]),
        (_("Where"), ["online", "municipality", "address"]),
        (_("Fee and travel costs"), ["fee", "pays_travel_costs"]),
        (
            _("Orderer"),
            [
                "orderer_organisation",
                "orderer_organisation_name",
                "orderer_name",
                "orderer_email",
                "orderer_language",
            ],
        ),
    ]

    def sections(self):
        """(legend, bound fields) for the form's fieldsets."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.SECTIONS
            if any(name in self.fields for name in names)
        ]

    def _setup_place(self):
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        self.fields["audience"].queryset = Audience.objects.filter(is_active=True)
        municipality = self.fields["municipality"]
        municipality.queryset = Municipality.objects.all()
        municipality.widget.empty_label = municipality.empty_label
        self.fields["fee"].help_text = FEE_HELP
        self.fields["pays_travel_costs"].help_text = TRAVEL_HELP
        self.fields["municipality"].help_text = _("Needed unless the task is online.")
        # The model's PositiveIntegerField would say "at least 0" before its minimum of 1.
        size = self.fields["audience_size"]
        self.fields["audience_size"] = forms.IntegerField(
            label=size.label, help_text=size.help_text, min_value=1, max_value=100_000
        )

    def _check_place(self, data):
        latest = timezone.localdate() + LATEST_AHEAD
        for name in ("date", "date_until"):
            if data.get(name) and data[name] > latest:
                self.add_error(name, _("Choose a date at most two years ahead."))
        if not data.get("online") and not data.get("municipality"):
            self.add_error("municipality", _("Choose the municipality, or tick online."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class TaskRequestForm(PlaceFormMixin, forms.ModelForm):
    """An orderer's request to the chosen experts."""

    experts = forms.ModelMultipleChoiceField(
        queryset=Expert.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Choose at least one expert."),
            "invalid_choice": _("One of the chosen experts cannot be asked at the moment."),
            "invalid_pk_value": _("One of the chosen experts cannot be asked at the moment."),
        },
    )

    class Meta:
        model = TaskRequest
        fields = [*PLACE_FIELDS[:5], "date_until", *PLACE_FIELDS[5:], "orderer_organisation"]
        widgets = PLACE_WIDGETS | {"date_until": DATE_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_place()
        self.fields["experts"].queryset = Expert.objects.searchable()
        organisations = OrdererOrganisation.objects.filter(pk__in=orderer_organisation_ids(user))
        if len(organisations) == 1:
            self.only_organisation = organisations[0]
            del self.fields["orderer_organisation"]
        else:
            self.only_organisation = None
            self.fields["orderer_organisation"].queryset = organisations

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise ValidationError(_("The date cannot be in the past."), code="past")
        return date

    def clean(self):
        data = self._check_place(super().clean())
        date, until = data.get("date"), data.get("date_until")
        if date and until and until < date:
            self.add_error("date_until", _("The last date cannot be before the first."))
        if until and until == date:
            data["date_until"] = None
        if self.only_organisation:
            self.instance.orderer_organisation = self.only_organisation
        return data


class AnswerForm(forms.Form):
    """Accept or decline one expert's part of a request; accepting may pick the agreed date
    and time within what was asked."""

    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[(ACCEPT, _("Accept: the task is agreed")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the orderer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example how to reach the expert, or why not this time."),
    )
    date = forms.DateField(label=_("Agreed date"), required=False, widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts at"), required=False, widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=TIME_INPUT)

    def __init__(self, *args, answer, **kwargs):
        source = answer.request
        kwargs.setdefault(
            "initial",
            {"date": source.date, "start_time": source.start_time, "end_time": source.end_time},
        )
        kwargs.setdefault("prefix", f"answer-{answer.pk}")
        super().__init__(*args, **kwargs)
        self.answer = answer
        if source.date_until:
            self.fields["date"].help_text = _(
                "Any day from %(first)s to %(last)s suits the orderer."
            ) % {
                "first": source.date.strftime("%d.%m.%Y"),
                "last": source.date_until.strftime("%d.%m.%Y"),
            }
        else:
            self.fields["date"].help_text = _("Change only if you agreed another date.")

    def clean(self):
        data = super().clean()
        if data.get("decision") != self.ACCEPT:
            return data
        source, date = self.answer.request, data.get("date") or self.answer.request.date
        if date < timezone.localdate():
            self.add_error("date", _("The date cannot be in the past."))
        elif not source.date <= date <= source.last_date:
            self.add_error("date", _("Choose a date within the requested dates."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the experts)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the other side."),
        error_messages={"required": _("Tell the other side why.")},
    )


class DoneForm(forms.Form):
    audience_size = forms.IntegerField(
        label=_("Listeners or participants reached"),
        min_value=1,
        max_value=100000,
        help_text=_("The network reports this figure to its funder."),
    )


class TaskRecordForm(PlaceFormMixin, forms.ModelForm):
    """A task agreed outside the service, recorded by the expert or their contact."""

    done = forms.BooleanField(
        label=_("The task has been done"),
        required=False,
        help_text=_("Tick if the date has passed and the task was done."),
    )

    class Meta:
        model = Task
        fields = [
            "expert",
            *PLACE_FIELDS,
            "orderer_organisation",
            "orderer_organisation_name",
            "orderer_name",
            "orderer_email",
            "orderer_language",
        ]
        widgets = PLACE_WIDGETS
        labels = {"orderer_organisation": _("Orderer organisation in the service")}
        help_texts = {
            "orderer_organisation": _("Choose it if it is in the list; otherwise type its name."),
            "orderer_language": _("The language of the orderer's emails."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_place()
        self.fields["fee"].label = _("Fee (euros)")
        self.fields["orderer_organisation"].queryset = OrdererOrganisation.objects.filter(
            is_active=True
        )
        experts = Expert.objects.filter(user=user) | Expert.objects.filter(
            responsible_organisation__in=contact_organisation_ids(user)
        ).exclude(status=Expert.Status.LEFT)
        self.fields["expert"].queryset = experts.order_by("last_name", "first_name")
        own = Expert.objects.filter(user=user).first()
        if own and not contact_organisation_ids(user):
            self.own_expert = own
            del self.fields["expert"]
        else:
            self.own_expert = None

    def clean(self):
        data = self._check_place(super().clean())
        if not data.get("orderer_organisation") and not data.get("orderer_organisation_name"):
            self.add_error(
                "orderer_organisation_name",
                _("Choose the orderer organisation from the list or type its name."),
            )
        if data.get("done") and data.get("date") and data["date"] > timezone.localdate():
            self.add_error("done", _("A task in the future cannot be done yet."))
        if self.own_expert:
            self.instance.expert = self.own_expert
        return data
