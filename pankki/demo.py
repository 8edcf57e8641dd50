"""Demo experts: 600 spread over the organisations and areas, more in big cities (the load
test asks for more).

Deterministic for a seed and idempotent: nothing is created when demo experts exist.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kotove.models import MemberOrganisation, Municipality, Region, User

from . import demo_tasks, services, textsearch
from .models import Audience, Consent, Expert, LifeSituation, TaskType, Theme, WorkLanguage

DEMO_DOMAIN = "demo.kokemus.fi"
COUNT = 600
FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Ilkka",
    "Johanna",
    "Kari",
    "Leena",
    "Markku",
    "Noora",
    "Pirjo",
    "Riikka",
    "Sami",
    "Tuula",
    "Ville",
    "Anneli",
    "Heikki",
    "Katja",
    "Mikko",
    "Outi",
    "Päivi",
    "Satu",
    "Timo",
    "Elina",
    "Jari",
    "Marja",
    "Pekka",
    "Sari",
    "Tapio",
    "Hanna",
    "Juha",
    "Anna",
    "Björn",
    "Linnea",
    "Mats",
    "Ulrika",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Kinnunen",
    "Salo",
    "Turunen",
    "Lindqvist",
    "Nyström",
    "Lindholm",
    "Karlsson",
    "Aalto",
    "Rantanen",
]
# Weights by region code: people live where the cities are.
REGION_WEIGHTS = {"01": 30, "02": 9, "06": 10, "17": 8, "13": 5, "11": 5, "07": 4, "04": 4, "05": 3, "08": 3, "09": 2, "10": 2, "12": 3, "14": 3, "15": 3, "16": 1, "18": 1, "19": 3, "21": 1}  # fmt: skip
SWEDISH_REGIONS = {"15", "21", "01", "02"}
OPENINGS_FI = [
    "Olen elänyt {theme_gen} kanssa yli kymmenen vuotta.",
    "Kerron kokemuksistani {theme_gen} kanssa elämisestä ja arjen sujumisesta.",
    "Sain diagnoosin ({theme}) nuorena aikuisena, ja se muutti opiskelua ja työtä.",
    "Olen omaisena kulkenut läheiseni rinnalla, kun hänellä todettiin {theme_lower}.",
]
MIDDLES_FI = [
    "Puhun mielelläni siitä, miten hoitoon pääsy, kohtaaminen ja tieto vaikuttivat toipumiseeni.",
    "Haluan auttaa ammattilaisia ymmärtämään, mitä potilaan ja omaisen arjessa tapahtuu vastaanoton jälkeen.",
    "Olen luennoinut sairaanhoitajaopiskelijoille ja ollut mukana palvelujen kehittämisessä.",
    "Vertaistuki ja järjestötoiminta ovat antaneet minulle voimia, ja jaan nyt kokemustietoa muille.",
    "Kerron myös työelämästä ja siitä, miten sairauden kanssa voi jatkaa työssä.",
]
ENDINGS_FI = [
    "Toimin mielelläni myös etänä.",
    "Sopii hyvin pienryhmille ja työpajoihin.",
    "Olen kiinnostunut yhteiskehittämisestä ammattilaisten kanssa.",
    "Voin tulla oppitunnille tai seminaariin puhumaan.",
]
SWEDISH = [
    "Jag har levt med {theme} i många år och berättar gärna om vardagen, vården och hur man blir bemött.",
    "Som anhörig har jag följt min närstående genom diagnos och rehabilitering. Jag föreläser för studerande och yrkesverksamma.",
]


def _genitive(name: str) -> str:
    lower = name.lower()
    return lower + ("n" if lower.endswith(("a", "ä", "o", "ö", "u", "y", "i", "e")) else "in")


def _presentation(rng: random.Random, theme: Theme | None) -> str:
    name = str(theme.name_fi) if theme else "pitkäaikaissairaus"
    opening = rng.choice(OPENINGS_FI).format(
        theme=name, theme_lower=name.lower(), theme_gen=_genitive(name)
    )
    return " ".join([opening, rng.choice(MIDDLES_FI), rng.choice(ENDINGS_FI)])


@transaction.atomic
def load(seed: int = 2026, *, experts: int = COUNT) -> None:
    _load_experts(seed, experts)
    _link_demo_expert_user()
    demo_tasks.load(seed)


def _load_experts(seed: int, count: int) -> None:
    if Expert.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
        return
    rng = random.Random(seed)
    organisations = list(MemberOrganisation.objects.filter(is_active=True))
    themes_by_org = {}
    for theme in Theme.objects.filter(is_active=True):
        themes_by_org.setdefault(theme.organisation_id, []).append(theme)
    municipalities_by_region = {}
    for municipality in Municipality.objects.select_related("region"):
        municipalities_by_region.setdefault(municipality.region.code, []).append(municipality)
    big = {"091", "049", "837", "092", "564", "853", "179", "297", "398", "609"}
    regions = {r.code: r for r in Region.objects.all()}
    task_types, audiences = list(TaskType.objects.all()), list(Audience.objects.all())
    life_situations = list(LifeSituation.objects.all())
    planner = User.objects.filter(email=f"suunnittelija@{DEMO_DOMAIN}").first()
    today = timezone.localdate()
    through = {
        name: getattr(Expert, name).through
        for name in ("themes", "life_situations", "task_types", "audiences", "travel_regions")
    }
    links = {name: [] for name in through}
    experts, consents = [], []
    codes, weights = zip(*REGION_WEIGHTS.items(), strict=True)
    for n in range(count):
        region = rng.choices(codes, weights)[0]
        candidates = municipalities_by_region[region]
        city = [m for m in candidates if m.code in big]
        home = rng.choice(city) if city and rng.random() < 0.6 else rng.choice(candidates)
        organisation = (
            organisations[n % len(organisations)] if n < 64 else rng.choice(organisations)
        )
        own_themes = themes_by_org.get(organisation.pk, [])
        theme = rng.choice(own_themes) if own_themes else None
        swedish = region in SWEDISH_REGIONS and rng.random() < 0.25
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        languages = [WorkLanguage.SV, WorkLanguage.FI] if swedish else [WorkLanguage.FI]
        if rng.random() < 0.2:
            languages.append(WorkLanguage.EN)
        if organisation.short_name == "Kuulo" and rng.random() < 0.5:
            languages.append(WorkLanguage.FI_SIGN)
        trained = today - timedelta(days=rng.randrange(60, 365 * 12))
        status = Expert.Status.ACTIVE
        paused_until = None
        roll = rng.random()
        if roll < 0.06:
            status, paused_until = (
                Expert.Status.PAUSED,
                today + timedelta(days=rng.randrange(20, 200)),
            )
        elif roll < 0.09:
            status = Expert.Status.LEFT
        expert = Expert(
            first_name=first,
            last_name=last,
            email=f"kt{n:03d}.{last.lower().replace('ä', 'a').replace('ö', 'o')}@{DEMO_DOMAIN}",
            phone=f"040 {rng.randrange(1000000, 9999999)}",
            home_municipality=home,
            travels_all_finland=rng.random() < 0.1,
            online=rng.random() < 0.7,
            languages=languages,
            presentation_fi=_presentation(rng, theme),
            presentation_sv=rng.choice(SWEDISH).format(theme=(theme.name_sv or theme.name_fi).lower() if theme else "sjukdom") if swedish else "",
            experience_kind=rng.choices(list(Expert.ExperienceKind.values), [6, 3, 1])[0],
            show_health_data=rng.random() < 0.85,
            age_group=rng.choice(Expert.AgeGroup.values),
            responsible_organisation=organisation,
            basic_training_date=trained,
            basic_training_course=f"Peruskoulutus {trained.year}",
            continuing_training_date=trained + timedelta(days=500) if rng.random() < 0.2 and trained < today - timedelta(days=600) else None,
            status=status,
            paused_until=paused_until,
            left_on=today - timedelta(days=rng.randrange(10, 900)) if status == Expert.Status.LEFT else None,
            # a fifth of the records have not been confirmed for over a year
            confirmed_at=timezone.now() - timedelta(days=rng.randrange(400, 900) if rng.random() < 0.2 else rng.randrange(1, 300)),
            confirmed_by=planner,
            contact_visibility=rng.choice(Expert.ContactVisibility.values),
            shuffle=rng.randrange(2**31),
        )  # fmt: skip
        experts.append(expert)
        if theme:
            links["themes"].append(through["themes"](expert=expert, theme_id=theme.pk))
        for situation in rng.sample(life_situations, rng.randrange(0, 3)):
            links["life_situations"].append(
                through["life_situations"](expert=expert, lifesituation_id=situation.pk)
            )
        for task_type in rng.sample(task_types, rng.randrange(2, 6)):
            links["task_types"].append(
                through["task_types"](expert=expert, tasktype_id=task_type.pk)
            )
        for audience in rng.sample(audiences, rng.randrange(1, 4)):
            links["audiences"].append(through["audiences"](expert=expert, audience_id=audience.pk))
        if not expert.travels_all_finland and rng.random() < 0.5:
            links["travel_regions"].append(
                through["travel_regions"](expert=expert, region_id=regions[region].pk)
            )
        if rng.random() < 0.95:
            consents.append(
                Consent(
                    expert=expert,
                    text_version=services.CONSENT_VERSION,
                    method=Consent.Method.PAPER,
                    recorded_by=planner,
                    given_at=timezone.now() - timedelta(days=rng.randrange(1, 700)),
                )
            )
    Expert.objects.bulk_create(experts, batch_size=2000)
    for name, rows in links.items():
        through[name].objects.bulk_create(rows, batch_size=5000)
    Consent.objects.bulk_create(consents, batch_size=2000)
    Expert.objects.filter(pk__in=[c.expert_id for c in consents]).update(consented=True)
    services.refresh_search_entries(
        expert_ids=Expert.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list(
            "pk", flat=True
        )
    )
    textsearch.lexemes.cache_clear()


def _link_demo_expert_user() -> None:
    """The demo expert login (kotove.demo) gets a record of their own."""
    user = User.objects.filter(email=f"kokemustoimija@{DEMO_DOMAIN}").first()
    if user is None or Expert.objects.filter(user=user).exists():
        return
    expert = (
        Expert.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", status=Expert.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    expert.user, expert.first_name, expert.last_name, expert.email = (
        user,
        user.first_name,
        user.last_name,
        user.email,
    )
    expert.save()
