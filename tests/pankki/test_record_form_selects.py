"""The record form's municipality lists come from the search's cached options (FastSelect):
the expert's own choices are marked, and what is sent is still validated."""

import pytest
from django.urls import reverse

from kotove.models import Municipality

from .factories import ExpertFactory, municipality


@pytest.fixture
def expert(org_a):
    expert = ExpertFactory(
        responsible_organisation=org_a, home_municipality=municipality("Tampere")
    )
    expert.travel_municipalities.set([municipality("Nokia"), municipality("Ylöjärvi")])
    return expert


def test_the_record_form_marks_the_experts_municipalities(client, contact_a, expert):
    client.force_login(contact_a)
    html = client.get(reverse("pankki:record_edit", args=[expert.pk])).content.decode()

    home = html[html.index('<select name="home_municipality"') :]
    home = home[: home.index("</select>")]
    travel = html[html.index('<select name="travel_municipalities"') :]
    travel = travel[: travel.index("</select>")]
    assert home.count(" selected>") == 1
    assert f'<option value="{municipality("Tampere").pk}" selected>' in home
    assert home.count("<option") == Municipality.objects.count() + 1  # the empty choice
    assert " multiple" in travel[: travel.index(">")]
    assert travel.count(" selected>") == 2
    for name in ("Nokia", "Ylöjärvi"):
        assert f'<option value="{municipality(name).pk}" selected>' in travel


def test_an_unknown_municipality_is_refused_on_the_field(client, contact_a, expert):
    client.force_login(contact_a)
    url = reverse("pankki:record_edit", args=[expert.pk])
    html = client.get(url).content.decode()
    assert 'value="999999"' not in html

    response = client.post(url, {"home_municipality": "999999", "travel_municipalities": ["1x"]})

    assert response.status_code == 200
    form = response.context["form"]
    assert "home_municipality" in form.errors
    assert "travel_municipalities" in form.errors
    expert.refresh_from_db()
    assert expert.home_municipality == municipality("Tampere")
