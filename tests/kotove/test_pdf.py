"""PDF rendering fetches our static files only, whatever user text the HTML holds."""

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from kotove.pdf import StaticOnlyFetcher, html_to_pdf, render_pdf


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def web_server():
    """A local web server that records every request it gets."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def test_pdf_fetches_no_local_file_nor_external_url(web_server):
    base, seen = web_server
    html = (
        "<html lang='fi'><body><h1>Otsikko</h1>"
        '<img src="file:///etc/passwd" alt="x">'
        f'<img src="{base}/tracker.png" alt="y">'
        f'<link rel="stylesheet" href="{base}/evil.css">'
        "<object data='file:///etc/hostname'></object>"
        "</body></html>"
    )
    pdf = html_to_pdf(html)
    assert seen == []
    text = pdf_text(pdf)
    assert "Otsikko" in text
    assert "root:" not in text


def test_base_template_renders_in_the_language_asked():
    pdf = render_pdf("kotove/pdf_base.html", {}, language="sv")
    assert "Kokemustoimintaverkosto" in pdf_text(pdf)


def test_fetcher_serves_static_files_and_refuses_the_rest():
    fetcher = StaticOnlyFetcher()
    assert b"@page" in fetcher.fetch("https://static.kotove.invalid/static/css/pdf.css").read()
    for url in (
        "file:///etc/passwd",
        "https://static.kotove.invalid/static/../../../etc/passwd",
        "https://example.com/static/css/pdf.css",
        "https://static.kotove.invalid/media/experts/x.jpg",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_user_text_in_a_real_pdf_fetches_nothing(web_server, client, planner, org_a):
    """The expert's own presentation in the personal data PDF the planner downloads: the text
    is printed as text, and neither the local file nor the web address is read."""
    from django.urls import reverse

    from tests.pankki.factories import ExpertFactory

    base, seen = web_server
    hostile = (
        '<img src="file:///etc/passwd"> '
        f'<img src="{base}/seuranta.png"> '
        f'<link rel="stylesheet" href="{base}/tyyli.css"> '
        f'<a href="{base}/linkki">linkki</a> url({base}/tausta.png)'
    )
    expert = ExpertFactory(
        responsible_organisation=org_a, presentation_fi=hostile, presentation_sv=hostile
    )
    client.force_login(planner)
    response = client.get(
        reverse("admin:pankki_expert_personal_data", args=[expert.pk]), {"format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert seen == []
    assert 'src="file:///etc/passwd"' in text.replace("\n", " ")
    assert "root:" not in text
