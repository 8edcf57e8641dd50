"""The privacy notice states the retention times in force, in each language."""

import pytest
from django.urls import reverse
from django.utils import translation

from kotove.views import duration


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "fi",
            [
                "kun poistumisesta on kulunut 2 vuotta",
                "kun päätöksestä on kulunut 1 vuosi",
                "kun palautteesta on kulunut 5 vuotta",
                "säilytetään 6 kuukautta",
            ],
        ),
        (
            "sv",
            ["anonymiseras 2 år efter", "raderas 1 år efter beslutet", "efter 5 år", "i 6 månader"],
        ),
        (
            "en",
            [
                "anonymised 2 years after",
                "deleted 1 year after the decision",
                "after 5 years",
                "for 6 months",
            ],
        ),
    ],
)
def test_notice_shows_the_retention_settings(client, db, language, phrases):
    client.cookies["django_language"] = language
    html = client.get(reverse("privacy")).content.decode()
    for phrase in phrases:
        assert phrase in html, phrase


def test_notice_follows_the_settings(client, db, settings):
    settings.RETENTION_LEFT_EXPERT_DAYS = 1095
    client.cookies["django_language"] = "en"
    assert "anonymised 3 years after" in client.get(reverse("privacy")).content.decode()


def test_duration_words():
    with translation.override("en"):
        words = [duration(d) for d in (730, 365, 1826, 180, 45, 1)]
    assert words == [
        "2 years", "1 year", "5 years", "6 months", "45 days", "1 day",
    ]  # fmt: skip
