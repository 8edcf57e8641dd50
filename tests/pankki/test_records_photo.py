"""Photos on expert records: re-encoded without their metadata; oversize and non-image files
refused."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pankki.models import Expert

from .test_records import snapshot, valid_data


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in the source language, so the assertions survive new translations."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


# Photo ----------------------------------------------------------------------------------------


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Salainen Kamera"  # Make
    exif[0x0132] = "2025:06:01 12:00:00"  # DateTime
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show upright
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_photo_is_reencoded_without_exif(client_a, expert_a, org_a):
    upload = SimpleUploadedFile("mokki-2025.jpg", jpeg_with_exif(), content_type="image/jpeg")
    with Image.open(upload) as original:
        assert original.getexif()[0x010F] == "Salainen Kamera"
    upload.seek(0)
    response = client_a.post(
        reverse("pankki:record_edit", args=[expert_a.pk]),
        {**valid_data(org_a, email=expert_a.email), "photo": upload},
    )
    assert response.status_code == 302
    expert_a.refresh_from_db()
    assert "mokki" not in expert_a.photo.name
    with Image.open(expert_a.photo.path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert stored.size == (30, 40)  # turned upright before the metadata went
    assert b"Salainen" not in expert_a.photo.read()
    page = client_a.get(reverse("pankki:record_edit", args=[expert_a.pk])).content.decode()
    assert f'alt="Photo of {expert_a.full_name}"' in page


def noise_png(side: int) -> bytes:
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def noise_jpeg(side: int) -> bytes:
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("iso.png", lambda: noise_png(1400), "The photo is larger than 5 MB."),
        ("kuva.jpg", lambda: b"%PDF-1.4 not an image", "Upload a valid image."),
        ("katkennut.jpg", lambda: noise_jpeg(400)[:20_000], "Upload a valid image."),
        ("kuva.gif", lambda: gif(), "Use a JPEG, PNG or WebP image."),
    ],
)
def test_oversize_and_non_image_photos_are_rejected(
    client_a, expert_a, org_a, name, content, message
):
    data = content()
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    before = snapshot(expert_a)
    response = client_a.post(
        reverse("pankki:record_edit", args=[expert_a.pk]),
        {**valid_data(org_a, email=expert_a.email), "photo": upload},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_photo_error"' in html
    assert message in html
    assert snapshot(expert_a) == before
    assert not Expert.objects.get(pk=expert_a.pk).photo
