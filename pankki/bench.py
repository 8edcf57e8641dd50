"""The search benchmark: a generated register, a fixed query mix and a naive baseline.

Used by `manage.py bench_search`; nothing here is imported by the site itself.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.shortcuts import render
from django.urls import include, path, reverse

from kotove.models import MemberOrganisation, Municipality, Region

from . import services
from .models import Consent, Expert, LifeSituation, TaskType, Theme
from .views.search import Card, cards_html

SENTENCES = [
    "Olen elänyt {theme} kanssa jo vuosia ja kerron arjesta, hoidosta ja kuntoutuksesta.",
    "Sairastuin nuorena, ja {theme} muutti opiskelua, työtä ja perhe-elämää.",
    "Omaisena tiedän, millaista on tukea läheistä, jolla on {theme}.",
    "Puhun mielelläni hoitoon pääsystä ja siitä, miten ammattilainen kohtaa potilaan.",
    "Olen luennoinut sairaanhoitajaopiskelijoille ja lääketieteen opiskelijoille.",
    "Olen ollut mukana palvelujen kehittämisessä hyvinvointialueen työryhmissä.",
    "Vertaistuki ja järjestötoiminta ovat olleet minulle tärkeitä.",
    "Kerron työelämästä ja siitä, miten sairauden kanssa voi jatkaa työssä.",
    "Toimin myös etänä ja sopivasti pienryhmissä tai työpajoissa.",
    "Olen kiinnostunut yhteiskehittämisestä ja simulaatio-opetuksesta.",
    "Minulla on kokemusta myös kuntoutuksesta, masennuksesta ja uupumuksesta.",
    "Elävä kirjasto ja paneelikeskustelut ovat minulle tuttuja.",
]
SWEDISH = [
    "Jag har levt med {theme} länge och berättar om vardagen och vården.",
    "Som anhörig föreläser jag för studerande och yrkesverksamma.",
]
RARE_WORDS = ["fibromyalgia", "keliakia", "afasia", "avanne", "tinnitus", "uniapnea"]


def generate(count: int, seed: int = 1) -> None:
    """Fill the (empty) bench database with `count` searchable experts."""
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.all())
    weights = [
        8 if m.code in {"091", "049", "837", "092", "564", "853"} else 1 for m in municipalities
    ]
    organisations = list(MemberOrganisation.objects.all())
    themes = list(Theme.objects.all())
    task_types, situations = list(TaskType.objects.all()), list(LifeSituation.objects.all())
    regions = list(Region.objects.all())
    for start in range(0, count, 5000):
        experts, themes_of = [], []
        links = {"themes": [], "task_types": [], "life_situations": [], "travel_regions": []}
        for n in range(start, min(count, start + 5000)):
            theme = rng.choice(themes)
            text = " ".join(
                rng.choice(SENTENCES).format(theme=theme.name_fi.lower()) for _ in range(3)
            )
            if rng.random() < 0.01:
                text += f" Tunnen myös aiheen {rng.choice(RARE_WORDS)}."
            swedish = rng.random() < 0.06
            experts.append(
                Expert(
                    first_name=f"Etu{n}",
                    last_name=f"Suku{n % 997}",
                    email=f"bench{n}@example.fi",
                    home_municipality=rng.choices(municipalities, weights)[0],
                    travels_all_finland=rng.random() < 0.05,
                    online=rng.random() < 0.6,
                    languages=["fi", "sv"]
                    if swedish
                    else (["fi", "en"] if rng.random() < 0.2 else ["fi"]),
                    presentation_fi=text,
                    presentation_sv=rng.choice(SWEDISH).format(theme=theme.name_sv.lower())
                    if swedish
                    else "",
                    experience_kind=rng.choice(Expert.ExperienceKind.values),
                    show_health_data=rng.random() < 0.8,
                    responsible_organisation=rng.choice(organisations),
                    basic_training_date=date(2015, 1, 1) + timedelta(days=rng.randrange(4000)),
                    continuing_training_date=date(2024, 1, 1) if rng.random() < 0.15 else None,
                    status=Expert.Status.ACTIVE if rng.random() < 0.93 else Expert.Status.LEFT,
                    shuffle=rng.randrange(2**31),
                    consented=True,
                )
            )
            themes_of.append(theme)
        Expert.objects.bulk_create(experts)
        for expert, theme in zip(experts, themes_of, strict=True):
            links["themes"].append(Expert.themes.through(expert_id=expert.pk, theme_id=theme.pk))
            for task_type in rng.sample(task_types, 3):
                links["task_types"].append(
                    Expert.task_types.through(expert_id=expert.pk, tasktype_id=task_type.pk)
                )
            links["life_situations"].append(
                Expert.life_situations.through(
                    expert_id=expert.pk, lifesituation_id=rng.choice(situations).pk
                )
            )
            if rng.random() < 0.3:
                links["travel_regions"].append(
                    Expert.travel_regions.through(
                        expert_id=expert.pk, region_id=rng.choice(regions).pk
                    )
                )
        for name, items in links.items():
            getattr(Expert, name).through.objects.bulk_create(items)
        Consent.objects.bulk_create(
            Consent(expert=e, text_version="bench", method=Consent.Method.PAPER) for e in experts
        )
    # The entries are written as the site writes them.
    services.refresh_search_entries(expert_ids=Expert.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE pankki_expert")
        cursor.execute("VACUUM ANALYZE pankki_searchentry")


def query_mix(seed: int = 7) -> list[tuple[str, dict]]:
    """50 searches: filters only, text only, both, common and rare terms, distance."""
    rng = random.Random(seed)
    city = {
        m.name_fi: m.pk
        for m in Municipality.objects.filter(
            name_fi__in=["Helsinki", "Tampere", "Oulu", "Kuopio", "Turku", "Rovaniemi", "Seinäjoki"]
        )
    }
    themes = list(Theme.objects.values_list("pk", flat=True))
    organisations = list(MemberOrganisation.objects.values_list("pk", flat=True))
    task_types = list(TaskType.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    common = [
        "diabetes",
        "masennus",
        "syöpä",
        "omainen",
        "luento",
        "kuntoutus",
        "työelämä",
        "sairaanhoitaja",
    ]
    inflected = [
        "diabeteksesta",
        "syövästä",
        "omaisena",
        "masennuksesta",
        "kuntoutuksesta",
        "Parkinsonin",
    ]
    mix: list[tuple[str, dict]] = []
    for _ in range(15):
        params = rng.choice([
            {"municipality": rng.choice(list(city.values()))},
            {"region": rng.choice(regions)},
            {"theme": rng.choice(themes)},
            {"language": "sv"},
            {"organisation": rng.choice(organisations), "online": "on"},
            {"task_type": rng.choice(task_types), "experience": "close_one"},
            {"continuing": "on", "region": rng.choice(regions)},
        ])  # fmt: skip
        mix.append(("filters", params))
    for _ in range(15):
        mix.append(("text", {"q": rng.choice(common + inflected + RARE_WORDS)}))
    for _ in range(10):
        mix.append(
            (
                "text+filters",
                {"q": rng.choice(common + inflected), "theme": rng.choice(themes), "online": "on"},
            )
        )
    for _ in range(10):
        params = {
            "near": rng.choice(list(city.values())),
            "distance": rng.choice([20, 50, 100, 150]),
        }
        if rng.random() < 0.5:
            params["q"] = rng.choice(common)
        mix.append(("distance", params))
    return mix


def naive_search(request):
    """The baseline: the same filters with icontains over the same tables, no full-text index,
    no lemmas, alphabetical order."""
    params = request.GET
    queryset = Expert.objects.filter(
        status=Expert.Status.ACTIVE, consents__withdrawn_at__isnull=True
    )
    if params.get("q"):
        for word in params["q"].split():
            queryset = queryset.filter(
                Q(presentation_fi__icontains=word)
                | Q(presentation_sv__icontains=word)
                | Q(themes__name_fi__icontains=word)
            )
    if params.get("municipality"):
        queryset = queryset.filter(
            Q(home_municipality=params["municipality"]) | Q(travels_all_finland=True)
        )
    if params.get("region"):
        queryset = queryset.filter(home_municipality__region=params["region"])
    if params.get("near") and params.get("distance"):
        from .filters import municipalities_within

        queryset = queryset.filter(
            home_municipality__in=municipalities_within(
                int(params["near"]), float(params["distance"])
            )
        )
    for name, lookup in (
        ("theme", "themes"),
        ("organisation", "responsible_organisation"),
        ("task_type", "task_types"),
    ):
        if params.get(name):
            queryset = queryset.filter(**{lookup: params[name]})
    if params.get("language"):
        queryset = queryset.filter(languages__icontains=params["language"])
    if params.get("online"):
        queryset = queryset.filter(online=True)
    if params.get("experience"):
        queryset = queryset.filter(experience_kind=params["experience"])
    if params.get("continuing"):
        queryset = queryset.filter(continuing_training_date__isnull=False)
    queryset = (
        queryset.distinct()
        .select_related("home_municipality", "responsible_organisation")
        .prefetch_related("themes", "task_types")
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    page.object_list = [
        Card.build(
            pk=expert.pk,
            url=reverse("pankki:expert", args=[expert.pk]),
            full_name=expert.full_name,
            municipality=str(expert.home_municipality),
            organisation=str(expert.responsible_organisation),
            themes=[str(t) for t in expert.themes.all()] if expert.show_health_data else [],
            languages=expert.language_labels,
            task_types=[str(t) for t in expert.task_types.all()],
        )
        for expert in page.object_list
    ]
    context = {"page": page, "cards": cards_html(page.object_list), "query": params.urlencode()}
    return render(request, "pankki/_results.html", context)


urlpatterns = [path("naive/", naive_search, name="naive"), path("", include("kotove.urls"))]
