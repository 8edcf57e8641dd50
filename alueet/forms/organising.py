"""The organising meeting: opening it, nominations, seats, the draw."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import Language
from pankki.validators import clean_phone

from .. import lottery
from ..models import Nomination, OrganisingMeeting, SeatCategory
from ..services.groups import default_term_end
from . import PlaceMixin, aware, date_field, lines, local_parts, online_link_field, time_field

WITNESS_FIELDS = 4
DIFFERENT_WITNESSES = _("This witness is named already: the witnesses are different people.")
CONSENT_LABEL = _(
    "The candidate has agreed to stand, and to their name and the body they represent being "
    "published in the candidate list and the result of the draw."
)


class OrganisingMeetingForm(PlaceMixin, forms.ModelForm):
    online_link = online_link_field()
    date = date_field(_("Date"))
    starts = time_field(_("Starts at"))
    deadline = date_field(
        _("Nominations close on"),
        help_text=_("Nominations are accepted until the end of this day."),
    )

    class Meta:
        model = OrganisingMeeting
        fields = ["place", "online_link", "term_starts_on", "term_ends_on"]
        widgets = {
            "term_starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "term_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"term_ends_on": _("Leave empty for the usual two years.")}

    field_order = ["date", "starts", "place", "online_link", "deadline"]

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        self.fields["term_ends_on"].required = False
        if self.instance.pk:
            start = local_parts(self.instance.starts_at)
            self.initial.update(
                date=start["date"],
                starts=start["time"],
                deadline=timezone.localtime(self.instance.nomination_deadline).date(),
            )

    def clean(self):
        data = super().clean()
        self.clean_place_or_link(data)
        if data.get("term_starts_on") and not data.get("term_ends_on"):
            data["term_ends_on"] = default_term_end(data["term_starts_on"])
            self.instance.term_ends_on = data["term_ends_on"]
        starts_on, ends_on = data.get("term_starts_on"), data.get("term_ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("term_ends_on", _("The term must end after it starts."))
        if data.get("date") and data.get("starts"):
            self.instance.starts_at = aware(data["date"], data["starts"])
            if data.get("deadline"):
                deadline = aware(data["deadline"], datetime.time(23, 59))
                if deadline > self.instance.starts_at:
                    self.add_error(
                        "deadline", _("Nominations must close before the meeting starts.")
                    )
                elif not self.instance.pk and deadline <= timezone.now():
                    self.add_error("deadline", _("The deadline must be in the future."))
                self.instance.nomination_deadline = deadline
        return data


class AnnounceForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses of units and stakeholders"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One address per line: education and social and health units, and stakeholders. "
            "Each gets its own link to name their representatives. The area's experts and the "
            "organisation contacts are emailed in any case."
        ),
    )

    def clean_addresses(self):
        addresses = lines(self.cleaned_data["addresses"])
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            raise ValidationError(
                _("Not an email address: %(addresses)s") % {"addresses": ", ".join(invalid)}
            )
        return addresses


class BaseNominationForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": _("A candidate can be nominated only with their consent.")},
    )

    class Meta:
        model = Nomination
        fields = [
            "category",
            "member_organisation",
            "expert",
            "represents",
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "attends",
        ]
        widgets = {
            "category": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "language": forms.Select,
        }
        labels = {"attends": _("The candidate registers for the organising meeting")}

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def _require(self, data, names):
        for name in names:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required for this seat."))


class NominationForm(BaseNominationForm):
    """An organisation contact nominates a representative or recommends an expert."""

    def __init__(self, *args, organisations, experts, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["represents"]
        self.fields["category"].choices = [
            (SeatCategory.ORGANISATION, _("Organisation representative (a candidate)")),
            (SeatCategory.EXPERT, _("Experience expert (a recommendation)")),
        ]
        self.fields["member_organisation"].queryset = organisations
        self.fields["member_organisation"].help_text = _("For an organisation representative.")
        if len(organisations) == 1:
            self.initial.setdefault("member_organisation", organisations.first().pk)
        self.fields["expert"].queryset = experts
        self.fields["expert"].help_text = _(
            "Your organisation's experts of this area. Name and email come from the "
            "experience bank."
        )
        self.fields["expert"].label_from_instance = lambda e: f"{e.last_name}, {e.first_name}"
        self.fields["language"].choices = Language.choices
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Not needed for an experience expert.")

    def clean(self):
        data = super().clean()
        if data.get("category") == SeatCategory.EXPERT:
            self._require(data, ["expert"])
            if expert := data.get("expert"):
                data.update(
                    first_name=expert.first_name, last_name=expert.last_name, email=expert.email
                )
        else:
            self._require(data, ["member_organisation", "first_name", "last_name", "email"])
        return data


class PublicNominationForm(BaseNominationForm):
    """A unit or stakeholder names its representative through its own link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["member_organisation"]
        del self.fields["expert"]
        self.fields["category"].choices = [
            (SeatCategory.UNIT, SeatCategory.UNIT.label),
            (SeatCategory.STAKEHOLDER, SeatCategory.STAKEHOLDER.label),
        ]
        self.fields["represents"].required = True
        self.fields["represents"].label = _("Unit or organisation you represent")
        self.fields["language"].choices = Language.choices


def seats_form(data=None, *, candidates: dict[str, int], initial: dict[str, int]):
    """One number per seat category; the label tells how many candidates it has."""
    form = forms.Form(data)
    for category in SeatCategory:
        form.fields[category.value] = forms.IntegerField(
            label=category.label,
            min_value=0,
            max_value=50,
            initial=initial.get(category.value, 0),
            help_text=_("Candidates: %(count)d") % {"count": candidates.get(category.value, 0)},
            error_messages={
                "min_value": _("The number of seats cannot be below zero."),
                "required": _("Give the number of seats (0 if none)."),
            },
        )
    return form


class DrawForm(forms.Form):
    date = date_field(_("Date of the draw"))
    time = time_field(_("Time of the draw"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = local_parts(timezone.now())
        self.initial.setdefault("date", now["date"])
        self.initial.setdefault("time", now["time"])
        for number in range(1, WITNESS_FIELDS + 1):
            required = number <= 2
            self.fields[f"witness_{number}"] = forms.CharField(
                label=_("Witness %(number)d: name") % {"number": number},
                max_length=100,
                required=required,
            )
            self.fields[f"dice_{number}"] = forms.CharField(
                label=_("Witness %(number)d: dice") % {"number": number},
                max_length=40,
                required=required,
                help_text=_("The numbers rolled, e.g. 3 5 1."),
            )

    def clean(self):
        data = super().clean()
        witnesses = []
        named = set()
        for number in range(1, WITNESS_FIELDS + 1):
            name, dice = data.get(f"witness_{number}"), data.get(f"dice_{number}")
            if not name and not dice:
                continue
            if not name:
                self.add_error(f"witness_{number}", _("Give the witness's name."))
                continue
            if lottery.witness_key(name) in named:
                self.add_error(f"witness_{number}", DIFFERENT_WITNESSES)
                continue
            named.add(lottery.witness_key(name))
            try:
                witnesses.append((name, lottery.clean_dice(dice or "")))
            except ValueError:
                self.add_error(
                    f"dice_{number}", _("Write the dice as numbers from 1 to 6, e.g. 3 5 1.")
                )
        data["witnesses"] = witnesses
        if data.get("date") and data.get("time"):
            data["drawn_at"] = aware(data["date"], data["time"])
        return data


class CancelDrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling the draw"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the cancelled draw."),
    )
