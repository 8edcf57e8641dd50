"""Validators shared by the record forms and the file import."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_CHARACTERS = re.compile(r"^(\+|0)[0-9 \-]*$")
PHONE_MIN_DIGITS = 7
PHONE_MAX_DIGITS = 15


def clean_phone(value: str) -> str:
    """A Finnish (0...) or international (+358...) number with spaces and dashes, 7–15 digits.

    Returns the number with runs of whitespace collapsed; raises ValidationError otherwise.
    """
    value = " ".join((value or "").split())
    if not value:
        return ""
    digits = sum(character.isdigit() for character in value)
    if not PHONE_CHARACTERS.match(value) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        raise ValidationError(
            _(
                "Enter a phone number such as 040 123 4567 or +358 40 123 4567: it starts with "
                "0 or +, has 7–15 digits and may have spaces and dashes."
            ),
            code="invalid_phone",
        )
    return value
