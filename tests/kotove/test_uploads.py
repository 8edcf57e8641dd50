"""Attachments: the type comes from the content, the size is capped, downloads never render."""

import io
import zipfile

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.views.static import serve
from PIL import Image

from kotove.uploads import AttachmentField, attachment_path, safe_filename, serve_attachment

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def zipped(entries: dict[str, bytes], first: str | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return output.getvalue()


def docx(extra=None, types=b"<Types/>") -> bytes:
    return zipped({"[Content_Types].xml": types, "word/document.xml": b"<w/>", **(extra or {})})


def odt() -> bytes:
    return zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(output, format="PNG")
    return output.getvalue()


class AttachmentForm(forms.Form):
    file = AttachmentField(label="Liite")


def clean(name: str, content: bytes, content_type="application/octet-stream"):
    form = AttachmentForm(files={"file": SimpleUploadedFile(name, content, content_type)})
    return form, (form.cleaned_data["file"] if form.is_valid() else None)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("poytakirja.pdf", PDF, "pdf"),
        ("muistio.docx", docx(), "docx"),
        ("muistio.odt", odt(), "odt"),
        ("kuva.png", png(), "png"),
    ],
)
def test_accepted_kinds_get_their_type_from_the_content(name, content, kind):
    form, upload = clean(name, content, content_type="text/html")  # the browser's claim is ignored
    assert upload is not None, form.errors
    assert upload.kind == kind and upload.content_type != "text/html"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("sivu.pdf", b"<html><script>alert(1)</script></html>"),  # HTML named .pdf
        ("ohjelma.pdf", b"MZ\x90\x00\x03"),  # a Windows program
        ("kuva.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("kuva.png", PDF),  # content and name disagree
        ("makrot.docx", docx({"word/vbaProject.bin": b"\x00"})),
        ("makrot.docx", docx(types=b"application/vnd.ms-word.document.macroEnabled")),
        ("arkisto.docx", zipped({"a.txt": b"x"})),
        ("katkennut.png", png()[:30]),
        ("tyhja.pdf", b""),
    ],
)
def test_other_content_is_refused_with_an_error_on_the_field(name, content):
    form, upload = clean(name, content)
    assert upload is None
    assert form.errors["file"]


def test_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr("kotove.uploads.MAX_UNPACKED_BYTES", 1024 * 1024)
    form, upload = clean("pommi.docx", docx({"iso.xml": b"\x00" * (2 * 1024 * 1024)}))
    assert upload is None and form.errors["file"]


def test_size_is_checked_before_the_file_is_read(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with translation.override("en"):
        form, upload = clean("iso.pdf", PDF + b"x" * 1024 * 1024)
    assert upload is None
    assert form.errors["file"] == ["The file is larger than 1 MB."]


def test_stored_under_a_random_name_and_served_as_a_download(tmp_path):
    from kotove.models import AccessRequest

    path = attachment_path(AccessRequest(), "../../etc/passwd.pdf")
    assert path.startswith("kotove/accessrequest/") and path.endswith(".pdf") and ".." not in path
    name = default_storage.save(path, ContentFile(PDF))
    response = serve_attachment(default_storage.open(name), filename='Pöytäkirja "1".pdf\x00')
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
    assert safe_filename("../../x/<b>.pdf") == "b.pdf"


def test_no_url_serves_uploaded_files(client):
    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.callback

    assert serve not in list(views(get_resolver().url_patterns))
    assert client.get("/media/experts/kuva.jpg").status_code == 404
