"""PDFs from the project's own templates with WeasyPrint.

User-entered text is rendered into our templates, so the HTML may name any URL. The fetcher
lets WeasyPrint read our static files (and inline data: URIs, e.g. a QR code) and nothing
else: no file:// paths, no network.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint makes Pillow accept truncated images process-wide, which would let a
# broken upload pass the photo validation; we render only our own images, so turn it back off.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Templates link static files as usual ({% static %}); they resolve against this base.
BASE_URL = "https://static.kotove.invalid/"


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            raise ValueError(f"Refused to fetch {url!r}: only our static files are allowed.")
        relative = url.removeprefix(prefix).split("?")[0]
        path = finders.find(relative) if ".." not in relative else None
        if path is None and settings.STATIC_ROOT and ".." not in relative:
            candidate = settings.STATIC_ROOT / relative
            path = str(candidate) if candidate.is_file() else None
        if path is None:
            raise ValueError(f"No static file {relative!r}.")
        with open(path, "rb") as file:
            body = file.read()
        content_type = "text/css" if path.endswith(".css") else None
        return URLFetcherResponse(url, body, {"Content-Type": content_type} if content_type else {})


def html_to_pdf(html: str) -> bytes:
    """A tagged (accessible) PDF of `html`; only our static files are fetched."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_tags=True)


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    """Render `template` (usually extending kotove/pdf_base.html) in `language` to a PDF."""
    with translation.override(language):
        return html_to_pdf(render_to_string(template, context))
