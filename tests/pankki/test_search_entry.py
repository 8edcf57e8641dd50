"""The search entry (what orderers' search reads) follows every write to an expert."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from kotove.models import Municipality, Region
from pankki import services, tasks, textsearch
from pankki.models import Consent, Expert, LifeSituation, SearchEntry, TaskType, Theme

from .factories import ExpertFactory, municipality, organisation
from .test_import import csv_upload, dry_run

SEARCH = reverse("pankki:search")


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def entry(expert) -> SearchEntry | None:
    return SearchEntry.objects.filter(expert=expert).first()


def finds(entry_or_none, words: str) -> bool:
    query = SearchQuery(textsearch.to_tsquery(words), search_type="raw", config="simple")
    return SearchEntry.objects.filter(pk=entry_or_none.pk, document=query).exists()


def found(client, **params) -> list[int]:
    return [card.pk for card in client.get(SEARCH, params).context["page"].object_list]


def test_entry_holds_what_the_filters_ask(planner):
    afasia = Theme.objects.get(name_fi="Afasia")
    stroke = Theme.objects.get(name_fi="Aivoverenkiertohäiriö")
    carer = LifeSituation.objects.get(name_fi="Omaishoitaja")
    lecture = TaskType.objects.get(order=9)
    uusimaa = Region.objects.get(code="01")
    expert = ExpertFactory(
        consent=True,
        home_municipality=municipality("Tampere"),
        travel_regions=[uusimaa],
        travel_municipalities=[municipality("Oulu")],
        other_organisations=[organisation("Suomen Syöpäyhdistys")],
        themes=[afasia, stroke],
        life_situations=[carer],
        task_types=[lecture],
        show_health_data=True,
        languages=["fi", "sv"],
        experience_kind=Expert.ExperienceKind.BOTH,
        online=True,
        continuing_training_date=datetime.date(2025, 1, 1),
        presentation_fi="Kerron afasiasta.",
    )
    row = entry(expert)
    tampere, oulu = municipality("Tampere"), municipality("Oulu")
    assert row.shuffle == expert.shuffle and row.paused_until is None
    assert row.home_municipality == tampere
    assert row.municipalities == sorted([tampere.pk, oulu.pk])
    assert row.whole_regions == [uusimaa.pk]
    assert row.regions == sorted({tampere.region_id, oulu.region_id, uusimaa.pk})
    assert row.organisations == sorted(
        [organisation("Aivoliitto").pk, organisation("Suomen Syöpäyhdistys").pk]
    )
    assert row.themes == sorted([afasia.pk, stroke.pk])
    assert row.life_situations == [carer.pk]
    assert row.task_types == [lecture.pk]
    assert row.languages == ["fi", "sv"]
    assert sorted(row.traits) == ["close_one", "continuing", "online", "own"]
    assert finds(row, "afasiasta") and finds(row, "omaishoitaja")


def test_all_finland_travellers_work_in_every_region(db):
    expert = ExpertFactory(consent=True, travels_all_finland=True)
    every = sorted(Region.objects.values_list("pk", flat=True))
    assert entry(expert).whole_regions == every and entry(expert).regions == every


def test_health_data_is_in_the_entry_only_where_the_expert_shows_it(planner):
    afasia = Theme.objects.get(name_fi="Afasia")
    carer = LifeSituation.objects.get(name_fi="Omaishoitaja")
    expert = ExpertFactory(
        consent=True,
        show_health_data=False,
        themes=[afasia],
        life_situations=[carer],
        presentation_fi="Puhun arjesta.",
    )
    row = entry(expert)
    assert (row.themes, row.life_situations) == ([], [])
    assert not finds(row, "afasia") and not finds(row, "omaishoitaja")
    expert.show_health_data = True
    services.save_expert(expert=expert, by=planner)
    row = entry(expert)
    assert (row.themes, row.life_situations) == ([afasia.pk], [carer.pk])
    assert finds(row, "afasia") and finds(row, "omaishoitaja")


def test_only_listed_experts_have_an_entry(db):
    listed = ExpertFactory(consent=True)
    paused = ExpertFactory(
        consent=True, status=Expert.Status.PAUSED, paused_until=datetime.date(2099, 1, 1)
    )
    no_consent = ExpertFactory()
    untrained = ExpertFactory(consent=True, basic_training_date=None)
    recognised = ExpertFactory(
        consent=True, basic_training_date=None, recognition_decision_date=datetime.date(2025, 1, 1)
    )
    left = ExpertFactory(consent=True, status=Expert.Status.LEFT)
    assert sorted(SearchEntry.objects.values_list("pk", flat=True)) == sorted(
        [listed.pk, paused.pk, recognised.pk]
    )
    assert entry(paused).paused_until == datetime.date(2099, 1, 1)
    assert not {no_consent.pk, untrained.pk, left.pk} & set(
        SearchEntry.objects.values_list("pk", flat=True)
    )


def test_record_edit_rewrites_the_entry(client, contact_a, org_a):
    from .test_records import valid_data

    expert = ExpertFactory(consent=True, responsible_organisation=org_a)
    client.force_login(contact_a)
    syopa = organisation("Suomen Syöpäyhdistys")
    response = client.post(
        reverse("pankki:record_edit", args=[expert.pk]),
        valid_data(
            org_a,
            home_municipality=municipality("Oulu").pk,
            travel_regions=[],
            other_organisations=[syopa.pk],
            online=None,
            languages=["sv"],
            presentation_fi="Kerron keliakiasta.",
            show_health_data="on",
        ),
    )
    assert response.status_code == 302
    row = entry(expert)
    oulu = municipality("Oulu")
    assert (row.home_municipality, row.municipalities, row.regions) == (
        oulu,
        [oulu.pk],
        [oulu.region_id],
    )
    assert row.organisations == sorted([org_a.pk, syopa.pk])
    assert row.languages == ["sv"] and "online" not in row.traits
    assert row.themes == [Theme.objects.get(name_fi="Afasia").pk]
    assert finds(row, "keliakiaa") and not finds(row, "kuntoutujana")


def test_consent_given_and_withdrawn_on_the_record_page(client, contact_a, org_a):
    expert = ExpertFactory(responsible_organisation=org_a)
    client.force_login(contact_a)
    url = reverse("pankki:record_consent", args=[expert.pk])
    assert entry(expert) is None
    client.post(url, {"action": "give", "method": Consent.Method.PAPER})
    assert entry(expert) is not None
    client.post(url, {"action": "withdraw"})
    assert entry(expert) is None
    assert Consent.objects.get(expert=expert).withdrawn_at is not None


def test_expert_withdraws_and_gives_consent_on_their_profile(client, expert_user):
    expert = ExpertFactory(user=expert_user, consent=True)
    client.force_login(expert_user)
    client.post(reverse("pankki:own_consent"), {"action": "withdraw"})
    assert entry(expert) is None
    client.post(reverse("pankki:own_consent"), {"action": "give"})
    assert entry(expert) is not None


def test_status_pause_reactivate_and_leave(client, contact_a, org_a):
    expert = ExpertFactory(consent=True, responsible_organisation=org_a)
    client.force_login(contact_a)
    url = reverse("pankki:record_status", args=[expert.pk])
    until = timezone.localdate() + datetime.timedelta(days=30)
    client.post(url, {"status": "paused", "paused_until": until.isoformat()})
    assert entry(expert).paused_until == until
    client.post(url, {"status": "active"})
    assert entry(expert).paused_until is None
    client.post(url, {"status": "left"})
    assert entry(expert) is None


def test_a_pause_ends_by_date_without_any_write(client, orderer):
    expert = ExpertFactory(consent=True)
    with freeze_time("2026-12-01 12:00"):
        services.set_status(
            expert=expert,
            status=Expert.Status.PAUSED,
            paused_until=datetime.date(2026, 12, 10),
            by=orderer,
        )
    client.force_login(orderer)
    # Paused until the 10th: hidden through that day in Finland (UTC+2), shown from midnight.
    with freeze_time("2026-12-10 21:30:00+00:00"):
        assert found(client) == []
        assert client.get(SEARCH).context["page"].paginator.count == 0
    with freeze_time("2026-12-10 22:30:00+00:00"):
        assert found(client) == [expert.pk]
        assert client.get(SEARCH).context["page"].paginator.count == 1


def test_import_updates_the_entries_of_listed_experts(client, contact_a, org_a):
    existing = ExpertFactory(
        consent=True, responsible_organisation=org_a, email="eero.entinen@example.fi"
    )
    client.force_login(contact_a)
    rows = [
        {
            "first_name": existing.first_name,
            "last_name": existing.last_name,
            "email": existing.email,
            "presentation_fi": "Kerron tinnituksesta.",
            "online": "ei",
        }
    ]
    digest = dry_run(client, csv_upload(rows)).context["digest"]
    client.post(reverse("pankki:record_import"), {"digest": digest})
    row = entry(existing)
    assert finds(row, "tinnitus") and "online" not in row.traits


def test_renamed_vocabulary_is_found_by_its_new_name_at_once(client, planner, orderer):
    theme = Theme.objects.get(name_fi="Afasia")
    expert = ExpertFactory(consent=True, themes=[theme], show_health_data=True, presentation_fi="")
    client.force_login(orderer)
    assert f'<option value="{theme.pk}">Afasia</option>' in client.get(SEARCH).content.decode()
    client.force_login(planner)
    response = client.post(
        reverse("admin:pankki_theme_change", args=[theme.pk]),
        {
            "name_fi": "Puhehäiriö",
            "name_sv": "Talstörning",
            "organisation": theme.organisation_id,
            "is_active": "on",
            "order": 0,
        },
    )
    assert response.status_code == 302
    assert finds(entry(expert), "puhehäiriöstä") and not finds(entry(expert), "afasia")
    client.force_login(orderer)
    assert found(client, q="puhehäiriö") == [expert.pk]
    html = client.get(SEARCH).content.decode()  # the form's choices too, not in five minutes
    assert f'<option value="{theme.pk}">Puhehäiriö</option>' in html and "Afasia<" not in html


def test_deleted_vocabulary_leaves_the_entries(client, planner):
    situation = LifeSituation.objects.get(name_fi="Omaishoitaja")
    expert = ExpertFactory(consent=True, life_situations=[situation], show_health_data=True)
    assert entry(expert).life_situations == [situation.pk]
    client.force_login(planner)
    url = reverse("admin:pankki_lifesituation_delete", args=[situation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert entry(expert).life_situations == [] and not finds(entry(expert), "omaishoitaja")


def test_admin_edit_of_an_expert_rewrites_the_entry(client, planner):
    expert = ExpertFactory(consent=True)
    client.force_login(planner)
    page = client.get(reverse("admin:pankki_expert_change", args=[expert.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("photo", "user")
    }
    for name in ("themes", "life_situations", "task_types", "audiences", "other_organisations"):
        data[name] = [obj.pk for obj in data.get(name, [])]
    data["travel_regions"] = [Region.objects.get(code="19").pk]
    data["travel_municipalities"] = []
    data["languages"] = ",".join(expert.languages)
    data.update({"consents-TOTAL_FORMS": 0, "consents-INITIAL_FORMS": 0})
    for name in ("online", "travels_all_finland", "show_health_data"):
        if not data.get(name):
            data.pop(name, None)
    response = client.post(reverse("admin:pankki_expert_change", args=[expert.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Region.objects.get(code="19").pk in entry(expert).whole_regions


def test_nightly_refresh_repairs_entries_after_a_municipality_moves(db):
    expert = ExpertFactory(consent=True, home_municipality=municipality("Oulu"))
    lapland = Region.objects.get(code="19")
    assert entry(expert).regions == [municipality("Oulu").region_id] != [lapland.pk]
    Municipality.objects.filter(name_fi="Oulu").update(region=lapland)  # edited in admin
    gone = ExpertFactory(consent=True)
    Expert.objects.filter(pk=gone.pk).update(consented=False)  # written around the services
    tasks.refresh_search_entries.delay()
    assert entry(expert).regions == [lapland.pk]
    assert entry(gone) is None


def test_entries_match_the_searchable_experts(orderer):
    """Whatever the mix of states, search shows exactly Expert.objects.searchable()."""
    today = timezone.localdate()
    states = [
        {},
        {"status": Expert.Status.PAUSED, "paused_until": today},
        {"status": Expert.Status.PAUSED, "paused_until": today - datetime.timedelta(days=1)},
        {"status": Expert.Status.LEFT},
        {"basic_training_date": None},
        {"basic_training_date": None, "recognition_decision_date": today},
    ]
    for fields in states:
        ExpertFactory(consent=True, **fields)
        ExpertFactory(**fields)
    visible = SearchEntry.objects.visible(today).values_list("pk", flat=True)
    assert sorted(visible) == sorted(Expert.objects.searchable().values_list("pk", flat=True))
    assert SearchEntry.objects.count_visible(today) == Expert.objects.searchable().count() == 3


def locations() -> dict[int, str]:
    """Where each entry's row is stored: a rewritten row moves."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT expert_id, ctid::text FROM pankki_searchentry")
        return dict(cursor.fetchall())


def test_the_nightly_refresh_writes_only_the_entries_that_changed(db):
    first, second, third = ExpertFactory.create_batch(3, consent=True)
    before = locations()
    assert set(before) >= {first.pk, second.pk, third.pk}

    tasks.refresh_search_entries.delay()
    assert locations() == before  # nothing changed, nothing written

    # written around the services, as an edit the nightly run repairs
    Expert.objects.filter(pk=first.pk).update(presentation_fi="Kerron kuntoutuksesta.")
    Expert.objects.filter(pk=second.pk).update(online=not second.online)
    Expert.objects.filter(pk=third.pk).update(consented=False)
    tasks.refresh_search_entries.delay()
    after = locations()
    assert after[first.pk] != before[first.pk] and finds(entry(first), "kuntoutus")
    assert after[second.pk] != before[second.pk]
    assert (SearchEntry.Trait.ONLINE in entry(second).traits) is not second.online
    assert third.pk not in after
    assert {pk: at for pk, at in after.items() if pk not in (first.pk, second.pk)} == {
        pk: at for pk, at in before.items() if pk not in (first.pk, second.pk, third.pk)
    }
