import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client):
    """Assertions read the English source strings: pages are requested, and services raise
    their errors, in English (emails and certificates stay in the recipient's language)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
