import re
from datetime import date
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kotove.models import AuditEvent, MemberOrganisation, Municipality, Region
from pankki import services, textsearch
from pankki.filters import forget_choices
from pankki.models import Consent, Expert, LifeSituation, TaskType, Theme
from pankki.results import daily_order

SEARCH = reverse("pankki:search")


def expert(
    by,
    first="Testi",
    municipality="Tampere",
    organisation="Aivoliitto",
    consent=True,
    m2m=None,
    **fields,
):
    record = Expert(
        first_name=first,
        last_name=fields.pop("last_name", "Henkilö"),
        email=fields.pop("email", re.sub(r"[^a-z0-9]", "", first.lower()) + "@example.fi"),
        home_municipality=Municipality.objects.get(name_fi=municipality),
        responsible_organisation=MemberOrganisation.objects.get(name_fi=organisation),
        experience_kind=fields.pop("experience_kind", Expert.ExperienceKind.OWN),
        basic_training_date=fields.pop("basic_training_date", date(2024, 5, 1)),
        languages=fields.pop("languages", ["fi"]),
        **fields,
    )
    services.save_expert(expert=record, by=by, m2m=m2m)
    if consent:
        services.give_consent(expert=record, method=Consent.Method.PAPER, by=by)
    return record


def names(response):
    return sorted(
        re.findall(r'id="expert-\d+"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    )


@pytest.fixture
def searcher(client, orderer):
    client.force_login(orderer)
    return lambda **params: client.get(SEARCH, params)


def test_only_searchable_experts_are_found(searcher, planner):
    expert(planner, "Aktiivinen")
    expert(planner, "Tauolla", status=Expert.Status.PAUSED, paused_until=date(2099, 1, 1))
    expert(planner, "Palannut", status=Expert.Status.PAUSED, paused_until=date(2020, 1, 1))
    expert(planner, "Lopettanut", status=Expert.Status.LEFT)
    expert(planner, "Kouluttamaton", basic_training_date=None)
    expert(
        planner, "Tunnustettu", basic_training_date=None, recognition_decision_date=date(2025, 1, 1)
    )
    expert(planner, "Suostumukseton", consent=False)
    assert names(searcher()) == ["Aktiivinen Henkilö", "Palannut Henkilö", "Tunnustettu Henkilö"]


def test_consent_withdrawal_removes_from_search_at_once(searcher, planner):
    record = expert(planner, "Peruva")
    assert names(searcher()) == ["Peruva Henkilö"]
    services.withdraw_consent(expert=record, by=planner)
    assert names(searcher()) == []
    assert Consent.objects.get(expert=record).withdrawn_at is not None


def test_municipality_region_and_distance_filters(searcher, planner):
    tampere, helsinki = (Municipality.objects.get(name_fi=n) for n in ("Tampere", "Helsinki"))
    expert(planner, "Tamperelainen", "Tampere")
    expert(planner, "Kangasalalainen", "Kangasala")
    expert(planner, "Helsinkiläinen", "Helsinki")
    expert(planner, "Matkaaja", "Oulu", travels_all_finland=True)
    expert(planner, "Pirkanmaalle", "Oulu", m2m={"travel_regions": [Region.objects.get(code="06")]})
    assert names(searcher(municipality=tampere.pk)) == [
        "Matkaaja Henkilö", "Pirkanmaalle Henkilö", "Tamperelainen Henkilö",
    ]  # fmt: skip
    assert names(searcher(region=helsinki.region_id)) == [
        "Helsinkiläinen Henkilö",
        "Matkaaja Henkilö",
    ]
    assert names(searcher(near=tampere.pk, distance=30)) == [
        "Kangasalalainen Henkilö",
        "Tamperelainen Henkilö",
    ]
    assert names(searcher(near=tampere.pk, distance=200)) == [
        "Helsinkiläinen Henkilö", "Kangasalalainen Henkilö", "Tamperelainen Henkilö",
    ]  # fmt: skip


def test_theme_and_life_situation_find_only_those_who_show_them(searcher, planner):
    stroke = Theme.objects.get(name_fi="Aivoverenkiertohäiriö")
    carer = LifeSituation.objects.get(name_fi="Omaishoitaja")
    expert(
        planner,
        "Näyttävä",
        show_health_data=True,
        m2m={"themes": [stroke], "life_situations": [carer]},
    )
    expert(
        planner,
        "Salaava",
        show_health_data=False,
        m2m={"themes": [stroke], "life_situations": [carer]},
    )
    assert names(searcher(theme=stroke.pk)) == ["Näyttävä Henkilö"]
    assert names(searcher(life_situation=carer.pk)) == ["Näyttävä Henkilö"]
    cards = re.findall(r"<article.*?</article>", searcher().content.decode(), re.S)
    assert [("Aivoverenkiertohäiriö" in card) for card in sorted(cards)] == [
        "Salaava" not in card for card in sorted(cards)
    ]


def test_experience_organisation_task_language_online_and_training_filters(searcher, planner):
    lecture = TaskType.objects.get(order=9)
    syopa = MemberOrganisation.objects.get(name_fi="Suomen Syöpäyhdistys")
    expert(
        planner,
        "Oma",
        experience_kind=Expert.ExperienceKind.OWN,
        online=False,
        m2m={"task_types": [lecture]},
    )
    expert(
        planner,
        "Läheinen",
        experience_kind=Expert.ExperienceKind.CLOSE_ONE,
        languages=["sv", "fi"],
        online=True,
    )
    expert(planner, "Molemmat", experience_kind=Expert.ExperienceKind.BOTH, online=False,
           continuing_training_date=date(2025, 3, 1), m2m={"other_organisations": [syopa]})  # fmt: skip
    expert(planner, "Syöpäjärjestöstä", organisation="Suomen Syöpäyhdistys", online=False)
    assert names(searcher(experience="own")) == [
        "Molemmat Henkilö",
        "Oma Henkilö",
        "Syöpäjärjestöstä Henkilö",
    ]
    assert names(searcher(experience="close_one")) == ["Läheinen Henkilö", "Molemmat Henkilö"]
    assert names(searcher(organisation=syopa.pk)) == [
        "Molemmat Henkilö",
        "Syöpäjärjestöstä Henkilö",
    ]
    assert names(searcher(task_type=lecture.pk)) == ["Oma Henkilö"]
    assert names(searcher(language="sv")) == ["Läheinen Henkilö"]
    assert names(searcher(online="on")) == ["Läheinen Henkilö"]
    assert names(searcher(continuing="on")) == ["Molemmat Henkilö"]
    assert names(searcher(experience="own", organisation=syopa.pk, continuing="on")) == [
        "Molemmat Henkilö"
    ]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("diabeteksesta", "Diabetes"),
        ("syövästä", "Syöpä"),
        ("omaisena", "Omainen"),
        ("Parkinsonin", "Parkinson"),
        ("diabetes -parkinson", "Diabetes"),
        ('"tyypin 1"', "Diabetes"),
        ("cancern", "Cancer"),
        ("anhöriga", "Anhörig"),
    ],
)
def test_text_finds_inflected_finnish_and_swedish(searcher, planner, query, found):
    expert(planner, "Diabetes", presentation_fi="Elän tyypin 1 diabetes -sairauden kanssa.")
    expert(
        planner,
        "Syöpä",
        presentation_fi="Sairastuin syöpään ja kerron hoidoista; syöpä muutti elämän.",
    )
    expert(planner, "Omainen", presentation_fi="Olen omainen ja omaishoitaja.")
    expert(planner, "Parkinson", presentation_fi="Minulla on Parkinson ja puhun liikkumisesta.")
    expert(planner, "Cancer", presentation_sv="Jag har haft cancer och föreläser om vården.")
    expert(planner, "Anhörig", presentation_sv="Jag är anhörig till en person med psykisk ohälsa.")
    assert names(searcher(q=query)) == [f"{found} Henkilö"]


def test_text_or_and_relevance(searcher, planner):
    expert(planner, "Yksi", presentation_fi="Puhun masennuksesta.")
    expert(planner, "Kaksi", presentation_fi="Puhun migreenistä.")
    expert(planner, "Kolme", presentation_fi="Puhun kivusta.")
    assert names(searcher(q="masennus or migreeni")) == ["Kaksi Henkilö", "Yksi Henkilö"]


@pytest.mark.parametrize("query", ["ja tai", "!!! ???", "&|<->"])
def test_text_without_searchable_words_gives_a_clear_empty_result(searcher, planner, query):
    expert(planner, "Joku", presentation_fi="Puhun diabeteksesta ja arjesta.")
    response = searcher(q=query)
    assert response.status_code == 200
    assert names(response) == []
    assert (
        "nothing to search for" in response.content.decode()
        or "ei ollut haettavaa" in response.content.decode()
    )


def test_invalid_ids_are_ignored_with_a_message(searcher, planner):
    expert(planner, "Löytyvä")
    response = searcher(municipality=999999, theme="abc", language="xx", distance="-5")
    assert response.status_code == 200
    assert names(response) == ["Löytyvä Henkilö"]
    messages = [str(m) for m in response.context["messages"]]
    assert (
        len(messages) == 1
        and "Available in municipality" in messages[0]
        or "Saatavilla kunnassa" in messages[0]
    )


def test_page_past_the_end_shows_the_last_page(searcher, planner):
    for n in range(23):
        expert(planner, f"Henkilö{n:02d}")
    response = searcher(page=99)
    assert response.context["page"].number == 2
    assert len(names(response)) == 3
    assert searcher(page="abc").context["page"].number == 1


def test_default_order_is_fair_rotates_daily_and_is_not_alphabetical(searcher, planner):
    for n in range(25):
        expert(planner, f"H{n:02d}")

    def order(day):
        queryset = Expert.objects.order_by(daily_order(day).asc(), "pk")
        return list(queryset.values_list("first_name", flat=True))

    monday, again, tuesday = (
        order(date(2026, 11, 30)),
        order(date(2026, 11, 30)),
        order(date(2026, 12, 1)),
    )
    assert monday == again
    assert monday != tuesday
    shown = [card.full_name.split()[0] for card in searcher().context["page"].object_list]
    assert shown == order(timezone.localdate())[:20]
    assert shown != sorted(shown)


def test_search_page_query_count_is_independent_of_results(
    searcher, planner, django_assert_max_num_queries
):
    theme = Theme.objects.get(name_fi="Afasia")
    for n in range(5):
        expert(
            planner,
            f"A{n}",
            show_health_data=True,
            m2m={"themes": [theme], "task_types": TaskType.objects.all()[:3]},
        )
    tampere = Municipality.objects.get(name_fi="Tampere").pk
    searcher(municipality=tampere)  # choice lists come from the cache after the first page
    with django_assert_max_num_queries(10) as few:
        searcher(q="afasia", municipality=tampere)
    for n in range(30):
        expert(
            planner,
            f"B{n}",
            show_health_data=True,
            m2m={"themes": [theme], "task_types": TaskType.objects.all()[:3]},
        )
    with django_assert_max_num_queries(10) as many:
        searcher(q="afasia", municipality=tampere)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_cards_name_retired_and_renamed_themes(searcher, planner):
    """Cards take names from the cached vocabularies: a retired theme the expert still has is
    named, and a name edited in the bank's admin shows at once."""
    afasia, stroke = Theme.objects.filter(name_fi__in=["Afasia", "Aivoverenkiertohäiriö"])
    expert(planner, "Kortti", show_health_data=True, m2m={"themes": [afasia, stroke]})
    assert "Afasia, Aivoverenkiertohäiriö" in searcher().content.decode()
    stroke.is_active = False
    stroke.save()
    afasia.name_fi = "Afasia (puhehäiriö)"
    afasia.save()
    forget_choices()  # as the bank's admin does when it saves a vocabulary entry
    assert "Afasia (puhehäiriö), Aivoverenkiertohäiriö" in searcher().content.decode()


def test_results_update_fragment_for_javascript(client, orderer, planner):
    expert(planner, "Fragmentti")
    client.force_login(orderer)
    html = client.get(SEARCH, HTTP_X_REQUESTED_WITH="fetch").content.decode()
    assert "Fragmentti Henkilö" in html and "<html" not in html


def test_expert_page_shows_allowed_contacts_and_is_audited(client, orderer, planner, contact_a):
    direct = expert(
        planner, "Suora", phone="040 1234567", contact_visibility=Expert.ContactVisibility.DIRECT
    )
    via = expert(
        planner,
        "Kautta",
        phone="040 7654321",
        contact_visibility=Expert.ContactVisibility.VIA_ORGANISATION,
    )
    client.force_login(orderer)
    html = client.get(reverse("pankki:expert", args=[direct.pk])).content.decode()
    assert "suora@example.fi" in html and "040 1234567" in html
    html = client.get(reverse("pankki:expert", args=[via.pk])).content.decode()
    assert "kautta@example.fi" not in html and "040 7654321" not in html
    assert contact_a.email in html
    views = AuditEvent.objects.filter(action="expert.view", actor=orderer)
    assert sorted(views.values_list("object_id", flat=True)) == sorted(
        [str(direct.pk), str(via.pk)]
    )


def test_expert_page_lists_in_a_fixed_number_of_queries(
    client, orderer, planner, django_assert_max_num_queries
):
    """The page's lists are names read in the expert's own query, however long they are;
    themes and life situations only where the expert shows them."""
    lists = {
        "travel_regions": Region.objects.filter(name_fi__in=["Pirkanmaa", "Uusimaa"]),
        "travel_municipalities": Municipality.objects.filter(name_fi__in=["Nokia", "Ylöjärvi"]),
        "themes": Theme.objects.filter(name_fi__in=["Afasia", "Aivoverenkiertohäiriö"]),
        "life_situations": LifeSituation.objects.all()[:2],
        "other_organisations": MemberOrganisation.objects.exclude(name_fi="Aivoliitto")[:2],
        "task_types": TaskType.objects.all()[:3],
    }
    shown = expert(planner, "Näkyvä", show_health_data=True, m2m=lists)
    hidden = expert(planner, "Salattu", show_health_data=False, m2m=lists)
    bare = expert(planner, "Tyhjä", show_health_data=True)
    client.force_login(orderer)
    client.get(reverse("pankki:expert", args=[bare.pk]))  # the session's first page saves it
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("pankki:expert", args=[bare.pk]))
    with django_assert_max_num_queries(6) as many:
        html = client.get(reverse("pankki:expert", args=[shown.pk])).content.decode()
    assert len(few.captured_queries) == len(many.captured_queries)
    for entries in lists.values():
        assert ", ".join(str(entry) for entry in entries) in html
    html = client.get(reverse("pankki:expert", args=[hidden.pk])).content.decode()
    assert "Afasia" not in html and str(lists["life_situations"][0]) not in html
    assert ", ".join(str(entry) for entry in lists["task_types"]) in html


@pytest.mark.parametrize(
    "language, texts, shown",
    [
        ("sv", {"presentation_fi": "Kerron afasiasta."}, ("fi", "Kerron afasiasta.")),
        (
            "sv",
            {"presentation_fi": "Kerron.", "presentation_sv": "Jag berättar."},
            ("sv", "Jag berättar."),
        ),
        (
            "fi",
            {"presentation_fi": "Kerron.", "presentation_sv": "Jag berättar."},
            ("fi", "Kerron."),
        ),
        ("fi", {"presentation_sv": "Jag berättar."}, ("sv", "Jag berättar.")),
    ],
)
def test_the_presentation_is_marked_with_its_own_language(
    client, orderer, planner, language, texts, shown
):
    """A screen reader reads a Finnish presentation on a Swedish page with a Finnish voice."""
    listed = expert(planner, "Kieli", **texts)
    client.force_login(orderer)
    page = client.get(reverse("pankki:expert", args=[listed.pk]), HTTP_ACCEPT_LANGUAGE=language)
    lang, text = shown
    assert f'<p lang="{lang}">{text}</p>' in page.content.decode()


def test_the_way_back_to_the_search_keeps_its_choices(client, orderer, planner):
    listed = expert(planner, "Paluu", presentation_fi="Kerron afasiasta.")
    client.force_login(orderer)
    search = "q=afasia&online=on&page=1"
    results = client.get(SEARCH, {"q": "afasia", "online": "on", "page": "1"}).content.decode()
    card_link = f"{reverse('pankki:expert', args=[listed.pk])}?search={quote(search, safe='')}"
    assert f'<a href="{card_link}">' in results
    assert f'<input type="hidden" name="search" value="{escape(search)}">' in results

    page = client.get(card_link).content.decode()
    assert f'<a href="{escape(SEARCH + "?" + search)}">' in page
    # ticking nobody and sending returns to the same search, with the message
    response = client.get(reverse("pankki:request_create"), {"search": search})
    assert response.url == f"{SEARCH}?{search}"
    # the parameter only ever becomes parameters of the search page
    for hostile in ("//evil.example/x", "javascript:alert(1)", "https://evil.example/?q=1"):
        response = client.get(reverse("pankki:request_create"), {"search": hostile})
        assert response.url.startswith(f"{SEARCH}?") and "//" not in response.url


def test_swedish_pages_list_themes_in_swedish_order(client, orderer):
    client.force_login(orderer)
    form = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="sv").context["filter"].form
    groups = dict(form.fields["theme"].choices)
    assert list(groups) == sorted(groups, key=str)  # the organisations, in Swedish
    hjarn = [label for _pk, label in groups["Hjärnförbundet"]]
    assert hjarn == sorted(hjarn) and "Afasi" in hjarn


def test_unsearchable_expert_page_is_404(client, orderer, planner):
    hidden = expert(planner, "Piilossa", consent=False)
    client.force_login(orderer)
    assert client.get(reverse("pankki:expert", args=[hidden.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="expert.view").exists()


def test_saved_search_emails_new_matches_once(client, orderer, planner, on_commit):
    expert(planner, "Vanha", presentation_fi="Puhun afasiasta.")
    client.force_login(orderer)
    client.post(f"{SEARCH}?q=afasia", {"name": "Afasia Pirkanmaa"})
    saved = orderer.saved_searches.get()
    assert saved.query == "q=afasia"
    with on_commit():
        assert services.send_saved_search_alerts() == 0
        expert(planner, "Uusi", presentation_fi="Afasia on minulle tuttu.")
        assert services.send_saved_search_alerts(today=date(2026, 12, 7)) == 1
        assert services.send_saved_search_alerts(today=date(2026, 12, 14)) == 0
    (message,) = mail.outbox
    assert message.to == [orderer.email]
    assert "Uusi Henkilö" in message.body and "Vanha Henkilö" not in message.body


@pytest.mark.parametrize(
    "language, label",
    [("sv", "Sökningens namn (obligatoriskt)"), ("en", "Name of the search (required)")],
)
def test_the_save_search_box_speaks_the_pages_language(client, orderer, language, label):
    client.force_login(orderer)
    page = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    name, required = label.rsplit(" ", 1)
    expected = f'<label for="id_name">{name} <span class="required-mark">{required}</span>:</label>'
    assert expected in page


def test_saved_search_can_be_removed_only_by_its_owner(client, orderer, contact_a):
    saved = services.save_search(
        user=orderer, name="Oma", query=__import__("django.http").http.QueryDict("q=x")
    )
    client.force_login(contact_a)
    assert client.post(reverse("pankki:delete_saved_search", args=[saved.pk])).status_code == 404
    client.force_login(orderer)
    client.post(reverse("pankki:delete_saved_search", args=[saved.pk]))
    assert not orderer.saved_searches.exists()


def test_photo_is_served_only_to_those_who_may_see_the_expert(
    client, planner, orderer, contact_a, contact_b
):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "JPEG")
    record = expert(planner, "Kuvallinen")
    record.photo.save("kuva.jpg", ContentFile(buffer.getvalue()))
    url = reverse("pankki:expert_photo", args=[record.pk])
    client.force_login(orderer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == buffer.getvalue()
    services.withdraw_consent(expert=record, by=planner)
    assert client.get(url).status_code == 404
    client.force_login(contact_a)  # the expert's own organisation keeps the record
    assert client.get(url).status_code == 200
    client.force_login(contact_b)
    assert client.get(url).status_code == 404


def test_a_known_word_is_indexed_without_its_stem_a_name_with_it():
    # Kuntoutuksesta: the word and its lemma; the stem "kuntoutuks" would only repeat the
    # lemma's long posting list. Parkinson: unknown to the lemmatizer, so its stem is kept.
    assert textsearch.document({"fi": ["kuntoutuksesta Parkinson"]}).split() == [
        "kuntoutuksesta",
        "kuntoutus",
        *textsearch.lexemes("Parkinson", "fi"),
    ]
    assert "kuntoutuks" in textsearch.lexemes("kuntoutuksesta", "fi")  # queries still ask it
