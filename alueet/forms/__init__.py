"""Forms of the steering groups. They validate and never have side effects: the views hand
the cleaned data to alueet.services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_INPUT, **kwargs)


def time_field(label, **kwargs) -> forms.TimeField:
    return forms.TimeField(label=label, widget=TIME_INPUT, **kwargs)


def aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and a time in Finnish time (the site's time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def local_parts(value: datetime.datetime | None) -> dict:
    if value is None:
        return {}
    local = timezone.localtime(value)
    return {"date": local.date(), "time": local.time().replace(second=0, microsecond=0)}


class PlaceMixin:
    """A meeting or event needs a place, an online link or both."""

    def clean_place_or_link(self, data):
        if (
            not data.get("place")
            and not data.get("online_link")
            and "online_link" not in self.errors
        ):
            self.add_error("place", _("Give a place, an online meeting link or both."))


def online_link_field(label=None) -> forms.URLField:
    return forms.URLField(
        label=label or _("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example a Teams or Zoom link."),
    )


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


MEETING_TIME_ERROR = _("The end must be after the start.")
