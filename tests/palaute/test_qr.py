"""The listener link's QR code decodes to the link, and the printable page carries it."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from palaute import services

from .factories import TaskFactory


@pytest.fixture
def link(db, settings):
    settings.SITE_URL = "https://kokemuspankki.example"
    return services.ensure_links(task=TaskFactory())["listener"]


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_png_decodes_to_the_listener_link(client, link):
    response = client.get(reverse("palaute:qr_png", args=[link.token]))
    assert response["Content-Type"] == "image/png"
    assert 'filename="palaute-qr.png"' in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert decode(image) == [f"https://kokemuspankki.example/palaute/vastaa/{link.token}/"]


def test_svg_is_a_titled_vector_image(client, link):
    response = client.get(reverse("palaute:qr_svg", args=[link.token]))
    svg = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml"
    assert "<svg" in svg and "<title>Palautelinkin QR-koodi</title>" in svg


@pytest.mark.parametrize(
    ("language", "heading", "step"),
    [
        ("fi", "Anna palautetta", "Avaa puhelimesi kamera"),
        ("sv", "Ge respons", "Öppna telefonens kamera"),
    ],
)
def test_printable_page_has_the_code_the_address_and_instructions(
    client, link, language, heading, step
):
    response = client.get(reverse("palaute:handout", args=[link.token]), {"kieli": language})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert heading in text and step in text
    assert link.token[:20] in text.replace("\n", "")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
