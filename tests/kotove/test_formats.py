"""Dates are written as in Finland in every language: day first, 24-hour clock."""

import datetime

import pytest
from django.utils import formats, translation

MOMENT = datetime.datetime(2026, 12, 16, 15, 38)


@pytest.mark.parametrize(
    "language, short, long",
    [
        ("fi", "16.12.2026 15.38", "16. joulukuuta 2026"),
        ("sv", "16.12.2026 15:38", "16 december 2026"),
        ("en", "16.12.2026 15:38", "16 December 2026"),
    ],
)
def test_dates_are_written_day_first_in_every_language(language, short, long):
    with translation.override(language):
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short
        assert formats.date_format(MOMENT.date(), "SHORT_DATE_FORMAT") == short.split()[0]
        assert formats.date_format(MOMENT.date()) == long
