"""Validators shared by the record forms and the file import."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

PHONE_CHARACTERS = re.compile(r"^(\+|0)[0-9 \-]*$")
PHONE_MIN_DIGITS = 7
PHONE_MAX_DIGITS = 15
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


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


class PhotoField(forms.ImageField):
    """A JPEG, PNG or WebP image of at most 5 MB; the size is checked before Pillow reads it."""

    def to_python(self, data):
        if data and getattr(data, "size", 0) > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo is larger than 5 MB."), code="photo_size")
        upload = super().to_python(data)
        if upload is None:
            return None
        image = upload.image
        if image.format not in PHOTO_FORMATS:
            raise ValidationError(_("Use a JPEG, PNG or WebP image."), code="photo_format")
        width, height = image.size
        if width * height > MAX_PHOTO_PIXELS:
            raise ValidationError(_("The photo has too many pixels."), code="photo_pixels")
        try:  # verify() does not decode: a truncated file fails only here
            upload.seek(0)
            with Image.open(upload) as decoded:
                decoded.load()
        except Exception:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from None
        finally:
            upload.seek(0)
        return upload
