"""Expert photos: an upload re-encoded without its metadata."""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

PHOTO_MAX_SIDE = 1600


def clean_photo(*, upload):
    """Re-encode an uploaded photo as a JPEG without its metadata (EXIF location, camera,
    time; comments), turned upright and at most 1600 px a side, under a random file name.

    Side effects: none; the returned file is stored when the record is saved."""
    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        if image.mode not in ("RGB", "L"):
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, "white")
            image.paste(rgba, mask=rgba.getchannel("A"))
        image.info = {}
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
