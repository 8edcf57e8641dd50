"""Regional events, registration and the mailing to the area's experts."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import RegionalEvent
from ..models.events import CAPACITY_ERROR
from . import (
    MEETING_TIME_ERROR,
    PlaceMixin,
    aware,
    date_field,
    local_parts,
    online_link_field,
    time_field,
)


class EventForm(PlaceMixin, forms.ModelForm):
    online_link = online_link_field(_("Online link"))
    date = date_field(_("Date"))
    starts = time_field(_("Starts at"))
    end_date = date_field(_("End date"), required=False, help_text=_("If not the same day."))
    ends = time_field(_("Ends at"))
    capacity = RegionalEvent._meta.get_field("capacity").formfield(
        min_value=1, error_messages={"min_value": CAPACITY_ERROR}
    )
    closes = date_field(
        _("Registration closes on"),
        required=False,
        help_text=_("Leave empty to take registrations until the event starts."),
    )

    class Meta:
        model = RegionalEvent
        fields = ["kind", "title", "description", "place", "online_link", "capacity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    field_order = ["kind", "title", "description", "date", "starts", "end_date", "ends"]

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        # An event already published may keep its past times (a correction to a held event);
        # new times must be ahead.
        self._saved_times = tuple(
            value and value.replace(second=0, microsecond=0)
            for value in (self.instance.starts_at, self.instance.registration_closes_at)
        )
        if self.instance.pk:
            start, end = local_parts(self.instance.starts_at), local_parts(self.instance.ends_at)
            self.initial.update(date=start["date"], starts=start["time"], ends=end["time"])
            if end["date"] != start["date"]:
                self.initial["end_date"] = end["date"]
            if self.instance.registration_closes_at:
                self.initial["closes"] = local_parts(self.instance.registration_closes_at)["date"]

    def clean(self):
        import datetime

        data = super().clean()
        self.clean_place_or_link(data)
        if data.get("date") and data.get("starts") and data.get("ends"):
            now = timezone.now()
            saved_start, saved_closes = self._saved_times
            starts_at = aware(data["date"], data["starts"])
            ends_at = aware(data.get("end_date") or data["date"], data["ends"])
            if ends_at <= starts_at:
                self.add_error("ends", MEETING_TIME_ERROR)
            if starts_at <= now and starts_at != saved_start:
                self.add_error(
                    "date" if data["date"] < timezone.localdate() else "starts",
                    _("The event cannot start in the past."),
                )
            self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
            if data.get("closes"):
                closes = aware(data["closes"], datetime.time(23, 59))
                if closes > starts_at:
                    self.add_error("closes", _("Registration must close before the event."))
                elif closes <= now and closes != saved_closes:
                    self.add_error("closes", _("Registration cannot close in the past."))
                self.instance.registration_closes_at = closes
            else:
                self.instance.registration_closes_at = None
        return data


class RegistrationForm(forms.Form):
    needs = forms.CharField(
        label=_("Accessibility needs or other wishes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example an interpreter, an assistant or a diet. Only the organisers see this."
        ),
    )


class OrganiserRegistrationForm(RegistrationForm):
    expert = forms.ModelChoiceField(queryset=None, label=_("Expert"))

    field_order = ["expert", "needs"]

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda e: (
            f"{e.last_name}, {e.first_name} ({e.home_municipality})"
        )


class MailingForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 12}))
