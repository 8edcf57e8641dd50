"""The record form's option lists: the municipalities come from the search's cached options
(FastSelect), the checkboxes from cached vocabularies, the responsible organisations from the
one query that finds them. The expert's own choices are marked (or, after a refused save, those
sent), and what is sent is still validated."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from kotove.models import MemberOrganisation, Municipality, Region
from pankki.filters import forget_choices
from pankki.models import Audience, LifeSituation, TaskType, Theme

from .factories import ExpertFactory, municipality


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def expert(org_a):
    expert = ExpertFactory(
        responsible_organisation=org_a, home_municipality=municipality("Tampere")
    )
    expert.travel_municipalities.set([municipality("Nokia"), municipality("Ylöjärvi")])
    return expert


def checked(html: str, name: str) -> set[int]:
    """The values of the checked boxes of one field."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"[^>]*>', html)
    marked = re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"[^>]* checked>', html)
    assert boxes, name
    return {int(pk) for pk in marked}


def some(model, start: int, stop: int) -> list:
    return list(model.objects.filter(is_active=True).order_by("pk")[start:stop])


@pytest.fixture
def chosen(expert, org_b):
    """The expert's checkbox choices, by field, as sets of ids."""
    values = {
        "travel_regions": list(Region.objects.order_by("pk")[:2]),
        "themes": some(Theme, 0, 3),
        "life_situations": some(LifeSituation, 0, 2),
        "other_organisations": [org_b],
        "task_types": some(TaskType, 0, 2),
        "audiences": some(Audience, 0, 1),
    }
    for name, objects in values.items():
        getattr(expert, name).set(objects)
    return {name: {obj.pk for obj in objects} for name, objects in values.items()}


def test_the_record_form_checks_the_experts_choices(client, contact_a, expert, chosen):
    client.force_login(contact_a)
    html = client.get(reverse("pankki:record_edit", args=[expert.pk])).content.decode()

    for name, pks in chosen.items():
        assert checked(html, name) == pks, name


def test_a_refused_save_shows_the_boxes_as_sent(client, contact_a, expert, chosen):
    sent = {
        "travel_regions": [Region.objects.order_by("pk")[2]],
        "themes": some(Theme, 3, 5),
        "life_situations": some(LifeSituation, 2, 3),
        "other_organisations": [],
        "task_types": some(TaskType, 2, 5),
        "audiences": some(Audience, 1, 3),
    }
    client.force_login(contact_a)
    url = reverse("pankki:record_edit", args=[expert.pk])
    data = {name: [obj.pk for obj in objects] for name, objects in sent.items()}

    html = client.post(url, {**data, "first_name": ""}).content.decode()

    assert 'id="id_first_name_error"' in html
    for name, pks in data.items():
        assert checked(html, name) == set(pks), name
    for name, pks in chosen.items():
        assert set(getattr(expert, name).values_list("pk", flat=True)) == pks, name


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


def select(html: str, name: str) -> str:
    html = html[html.index(f'<select name="{name}"') :]
    return html[: html.index("</select>")]


def test_a_contact_of_one_organisation_has_it_chosen_without_an_empty_choice(
    client, contact_a, expert, org_a
):
    client.force_login(contact_a)
    html = client.get(reverse("pankki:record_edit", args=[expert.pk])).content.decode()

    organisations = select(html, "responsible_organisation")
    assert organisations.count("<option") == 1
    assert f'<option value="{org_a.pk}" selected>{escape(org_a.name_fi)}</option>' in organisations
    assert " required" not in organisations[: organisations.index(">")]


def test_a_planner_chooses_from_the_active_organisations_and_the_experts_own(
    client, planner, expert, org_a
):
    MemberOrganisation.objects.filter(pk=org_a.pk).update(is_active=False)
    client.force_login(planner)
    html = client.get(reverse("pankki:record_edit", args=[expert.pk])).content.decode()

    organisations = select(html, "responsible_organisation")
    active = MemberOrganisation.objects.filter(is_active=True)
    assert organisations.count("<option") == active.count() + 2  # the empty choice, org_a
    assert '<option value="">---------</option>' in organisations
    assert organisations.count(" selected>") == 1
    assert f'<option value="{org_a.pk}" selected>' in organisations
    assert " required" in organisations[: organisations.index(">")]
    for organisation in active:
        assert f'<option value="{organisation.pk}">{escape(organisation.name_fi)}</option>' in (
            organisations
        )


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


def test_a_retired_theme_the_expert_has_is_shown_apart_and_kept(client, contact_a, expert):
    kept, retired = Theme.objects.filter(organisation__isnull=False)[:2]
    expert.themes.set([kept, retired])
    Theme.objects.filter(pk=retired.pk).update(is_active=False)
    forget_choices()  # as the bank's admin does when it edits a vocabulary
    client.force_login(contact_a)
    url = reverse("pankki:record_edit", args=[expert.pk])

    form = client.get(url).context["form"]
    html = str(form["themes"])

    no_longer = html[html.index("<legend>No longer in use</legend>") :]
    assert f'value="{retired.pk}"' in no_longer and "checked" in no_longer
    assert html.count(f'value="{retired.pk}"') == 1
    assert f'value="{kept.pk}"' in html[: html.index("<legend>No longer in use</legend>")]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data = {
        name: [str(getattr(v, "pk", v)) for v in value]
        if isinstance(value, list)
        else getattr(value, "pk", value)
        for name, value in data.items()
        if name != "photo"
    }
    data["presentation_fi"] = "Päivitetty esittely."
    assert client.post(url, data).status_code == 302
    assert set(expert.themes.all()) == {kept, retired}


def test_a_retired_life_situation_the_expert_has_not_is_refused(client, contact_a, expert, org_a):
    had, retired = some(LifeSituation, 0, 2)
    expert.life_situations.set([had])
    LifeSituation.objects.filter(pk__in=[had.pk, retired.pk]).update(is_active=False)
    forget_choices()
    client.force_login(contact_a)
    url = reverse("pankki:record_edit", args=[expert.pk])
    page = client.get(url)
    html, data = page.content.decode(), page.context["form"].initial
    assert f'name="life_situations" value="{had.pk}"' in html
    assert f'name="life_situations" value="{retired.pk}"' not in html

    response = client.post(
        url,
        {
            "first_name": expert.first_name,
            "last_name": expert.last_name,
            "email": expert.email,
            "contact_visibility": data["contact_visibility"],
            "home_municipality": expert.home_municipality_id,
            "experience_kind": expert.experience_kind,
            "responsible_organisation": org_a.pk,
            "life_situations": [had.pk, retired.pk],
        },
    )

    assert "life_situations" in response.context["form"].errors
    assert set(expert.life_situations.all()) == {had}


def test_a_vocabulary_edit_shows_on_the_record_form_at_once(client, contact_a, expert):
    client.force_login(contact_a)
    url = reverse("pankki:record_edit", args=[expert.pk])
    client.get(url)  # the lists are cached now
    life = LifeSituation.objects.filter(is_active=True).first()
    life.name_en = life.name_fi = "Aivan uusi elämäntilanne"
    life.save()
    forget_choices()

    assert "Aivan uusi elämäntilanne" in client.get(url).content.decode()
