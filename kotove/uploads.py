"""Attachments users upload (PDF, Word, OpenDocument text, images): checked on the way in,
stored under a random name, served only by a view that checks access, always as a download.

    # models.py
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)

    # forms.py
    file = AttachmentField(label=_("Attachment"))   # cleaned_data["file"].kind: "pdf", ...

    # views.py: find the row through the user's scoped QuerySet (404 otherwise), then
    return serve_attachment(obj.file, filename=obj.original_name)

Nothing under MEDIA_ROOT has a URL: there is no MEDIA_URL route, so a file is reachable only
through such a view. The type is decided by the content, never by the name or the browser's
claim; executable and macro-enabled content is refused.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.functional import lazy
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image

# kind -> (extensions, content type)
KINDS = {
    "pdf": ({".pdf"}, "application/pdf"),
    "docx": (
        {".docx"},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "odt": ({".odt"}, "application/vnd.oasis.opendocument.text"),
    "jpeg": ({".jpg", ".jpeg"}, "image/jpeg"),
    "png": ({".png"}, "image/png"),
    "webp": ({".webp"}, "image/webp"),
}
IMAGE_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000
# A document that unpacks to more than this, or has more entries, is refused (a zip bomb).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 5000


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def sniff(upload) -> str | None:
    """The kind of the file by its content, or None when it is none we accept."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"PK\x03\x04"):
            return _office_kind(upload)
        with Image.open(upload) as image:
            kind = IMAGE_FORMATS.get(image.format)
            width, height = image.size
            if kind and width * height <= MAX_PIXELS:
                image.load()  # decodes: a truncated or corrupt image fails here
                return kind
    except Exception:
        return None
    finally:
        upload.seek(0)
    return None


def _office_kind(upload) -> str | None:
    with zipfile.ZipFile(upload) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
            return None
        names = {entry.filename for entry in entries}
        if any(name.lower().endswith((".bin", ".exe", ".dll", ".js", ".vbs")) for name in names):
            return None  # macros (vbaProject.bin), embedded programs
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            types = archive.read("[Content_Types].xml")
            return None if b"macroEnabled" in types else "docx"
        odt = KINDS["odt"][1].encode()
        if entries and entries[0].filename == "mimetype" and archive.read("mimetype") == odt:
            return "odt"
    return None


class AttachmentField(forms.FileField):
    """A PDF, Word (.docx), OpenDocument text (.odt), JPEG, PNG or WebP file of at most
    ATTACHMENT_MAX_BYTES, whose content matches its name. The cleaned file has `kind` and
    `content_type` set from the content."""

    def __init__(self, *args, kinds=tuple(KINDS), **kwargs):
        self.kinds = tuple(kinds)
        extensions = sorted({ext for kind in self.kinds for ext in KINDS[kind][0]})
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ",".join(extensions)})
        )
        types = ", ".join(e.lstrip(".").upper() for e in extensions)
        kwargs.setdefault(
            "help_text",
            lazy(
                lambda: (
                    _("%(types)s, at most %(size)d MB.")
                    % {"types": types, "size": max_bytes() // 2**20}
                ),
                str,
            )(),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        if data and getattr(data, "size", 0) > max_bytes():  # before anything reads it
            raise ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": max_bytes() // 2**20},
                code="file_size",
            )
        upload = super().to_python(data)
        if upload is None:
            return None
        kind = sniff(upload)
        extension = Path(upload.name).suffix.lower()
        if kind not in self.kinds or extension not in KINDS[kind][0]:
            raise ValidationError(
                _("Use a PDF, Word (.docx), OpenDocument (.odt), JPEG, PNG or WebP file."),
                code="file_type",
            )
        upload.kind, upload.content_type = kind, KINDS[kind][1]
        return upload


def attachment_path(instance, filename: str) -> str:
    """A random name under the model's folder: the stored name reveals nothing and cannot
    clash or climb out of MEDIA_ROOT."""
    extension = Path(filename).suffix.lower()
    extension = extension if any(extension in exts for exts, _type in KINDS.values()) else ""
    return f"{instance._meta.app_label}/{instance._meta.model_name}/{uuid.uuid4().hex}{extension}"


def safe_filename(name: str) -> str:
    """The name the download is offered under (no path, no quotes, no control characters)."""
    name = Path(name or "").name.replace("\x00", "")
    return get_valid_filename(name)[:150] or "liite"


def serve_attachment(file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """Send a stored file as a download, never rendered by the browser: Content-Disposition
    attachment, the type from its content, nosniff, not cached by shared caches. Call it only
    after the access check."""
    name = safe_filename(filename)
    if content_type is None:
        content_type = next(
            (t for exts, t in KINDS.values() if Path(name).suffix.lower() in exts),
            "application/octet-stream",
        )
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Were it ever opened in the browser, it could run nothing and load nothing.
    response["Content-Security-Policy"] = (
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; sandbox"
    )
    return response
