"""Demo network for `make run`: orderer organisations and one user per role.

Deterministic for a seed, and idempotent: what exists is left as it is, so a second run keeps
what users changed. Later apps add their own demo data through `load_demo`.
"""

from __future__ import annotations

import random

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils.text import slugify

from .models import Area, MemberOrganisation, Municipality, OrdererOrganisation, Role, User

DEMO_PASSWORD = "kokemus-demo-2026"  # noqa: S105 - printed by `make run` for local demos only
# A fixed TOTP secret so a newcomer can also add the demo accounts to an authenticator app.
DEMO_TOTP_SECRET = "NNXWWZLNOVZS2ZDFNVXS25DPORYC2MRQ"  # noqa: S105

WELLBEING_COUNTIES = [
    ("Helsingin kaupunki, sosiaali-, terveys- ja pelastustoimiala", "091"),
    ("HUS-yhtymä", "091"),
    ("Länsi-Uudenmaan hyvinvointialue", "049"),
    ("Itä-Uudenmaan hyvinvointialue", "638"),
    ("Keski-Uudenmaan hyvinvointialue", "245"),
    ("Vantaan ja Keravan hyvinvointialue", "092"),
    ("Varsinais-Suomen hyvinvointialue", "853"),
    ("Satakunnan hyvinvointialue", "609"),
    ("Kanta-Hämeen hyvinvointialue", "109"),
    ("Pirkanmaan hyvinvointialue", "837"),
    ("Päijät-Hämeen hyvinvointialue", "398"),
    ("Kymenlaakson hyvinvointialue", "286"),
    ("Etelä-Karjalan hyvinvointialue", "405"),
    ("Etelä-Savon hyvinvointialue", "491"),
    ("Pohjois-Savon hyvinvointialue", "297"),
    ("Pohjois-Karjalan hyvinvointialue", "167"),
    ("Keski-Suomen hyvinvointialue", "179"),
    ("Etelä-Pohjanmaan hyvinvointialue", "743"),
    ("Pohjanmaan hyvinvointialue", "905"),
    ("Keski-Pohjanmaan hyvinvointialue", "272"),
    ("Pohjois-Pohjanmaan hyvinvointialue", "564"),
    ("Kainuun hyvinvointialue", "205"),
    ("Lapin hyvinvointialue", "698"),
]
CITIES = [
    ("Helsingin", "091"), ("Espoon", "049"), ("Tampereen", "837"), ("Vantaan", "092"),
    ("Oulun", "564"), ("Turun", "853"), ("Jyväskylän", "179"), ("Kuopion", "297"),
    ("Lahden", "398"), ("Porin", "609"), ("Joensuun", "167"), ("Lappeenrannan", "405"),
    ("Hämeenlinnan", "109"), ("Vaasan", "905"), ("Seinäjoen", "743"), ("Rovaniemen", "698"),
    ("Mikkelin", "491"), ("Kotkan", "285"), ("Salon", "734"), ("Porvoon", "638"),
    ("Kokkolan", "272"), ("Lohjan", "444"), ("Hyvinkään", "106"), ("Nurmijärven", "543"),
    ("Järvenpään", "186"), ("Rauman", "684"), ("Kajaanin", "205"), ("Kouvolan", "286"),
    ("Kirkkonummen", "257"), ("Tuusulan", "858"), ("Keravan", "245"), ("Kangasalan", "211"),
    ("Savonlinnan", "740"), ("Raision", "680"), ("Iisalmen", "140"),
]  # fmt: skip
EDUCATION = [
    ("Metropolia Ammattikorkeakoulu", "091"), ("Laurea-ammattikorkeakoulu", "092"),
    ("Tampereen ammattikorkeakoulu", "837"), ("Turun ammattikorkeakoulu", "853"),
    ("Oulun ammattikorkeakoulu", "564"), ("Jyväskylän ammattikorkeakoulu", "179"),
    ("Savonia-ammattikorkeakoulu", "297"), ("Karelia-ammattikorkeakoulu", "167"),
    ("LAB-ammattikorkeakoulu", "398"), ("Satakunnan ammattikorkeakoulu", "609"),
    ("Hämeen ammattikorkeakoulu", "109"), ("Seinäjoen ammattikorkeakoulu", "743"),
    ("Lapin ammattikorkeakoulu", "698"), ("Kaakkois-Suomen ammattikorkeakoulu", "286"),
    ("Centria-ammattikorkeakoulu", "272"), ("Diakonia-ammattikorkeakoulu", "091"),
    ("Yrkeshögskolan Novia", "905"), ("Arcada", "091"), ("Kajaanin ammattikorkeakoulu", "205"),
    ("Xamk Savonlinna", "740"), ("Helsingin yliopisto, lääketieteellinen tiedekunta", "091"),
    ("Tampereen yliopisto", "837"), ("Turun yliopisto", "853"), ("Oulun yliopisto", "564"),
    ("Itä-Suomen yliopisto", "297"), ("Jyväskylän yliopisto", "179"), ("Åbo Akademi", "853"),
    ("Stadin ammatti- ja aikuisopisto", "091"), ("Tredu", "837"), ("Omnia", "049"),
    ("Gradia", "179"), ("Sedu", "743"), ("Luovi", "564"),
]  # fmt: skip
COMPANY_WORDS = ["Hoiva", "Kuntoutus", "Terveys", "Mielen", "Arjen", "Lähi", "Perhe", "Työterveys"]
COMPANY_SUFFIXES = ["palvelut Oy", "keskus Oy", "talo Oy", "kumppanit Oy"]

DEMO_USERS = [
    # email, first, last, language, role kind, scope kind, scope lookup
    ("suunnittelija@demo.kokemus.fi", "Sanna", "Suunnittelija", "fi", Role.Kind.PLANNER, None, None),
    ("yhteys.aivoliitto@demo.kokemus.fi", "Jaana", "Järvinen", "fi", Role.Kind.ORGANISATION_CONTACT, "member_organisation", "Aivoliitto"),
    ("yhteys.syopa@demo.kokemus.fi", "Olli", "Ojala", "fi", Role.Kind.ORGANISATION_CONTACT, "member_organisation", "Suomen Syöpäyhdistys"),
    ("tilaaja@demo.kokemus.fi", "Tiina", "Tilaaja", "fi", Role.Kind.ORDERER, "orderer_organisation", "Pirkanmaan hyvinvointialue"),
    ("bestallare@demo.kokemus.fi", "Björn", "Beställare", "sv", Role.Kind.ORDERER, "orderer_organisation", "Pohjanmaan hyvinvointialue"),
    ("kotove@demo.kokemus.fi", "Kalle", "Kansallinen", "fi", Role.Kind.NATIONAL_GROUP, None, None),
    ("sihteeri.pirkanmaa@demo.kokemus.fi", "Sirpa", "Sihteeri", "fi", Role.Kind.REGIONAL_SECRETARY, "area", "Pirkanmaa"),
    ("sihteeri.uusimaa@demo.kokemus.fi", "Ulla", "Uusimaa", "fi", Role.Kind.REGIONAL_SECRETARY, "area", "Uusimaa"),
    ("pj.pirkanmaa@demo.kokemus.fi", "Pekka", "Puheenjohtaja", "fi", Role.Kind.REGIONAL_CHAIR, "area", "Pirkanmaa"),
    ("jasen.pirkanmaa@demo.kokemus.fi", "Jari", "Jäsen", "fi", Role.Kind.REGIONAL_MEMBER, "area", "Pirkanmaa"),
    ("kokemustoimija@demo.kokemus.fi", "Kaisa", "Kokemus", "fi", Role.Kind.EXPERT, None, None),
]  # fmt: skip
SCOPE_MODELS = {
    "member_organisation": (MemberOrganisation, "name_fi"),
    "orderer_organisation": (OrdererOrganisation, "name"),
    "area": (Area, "name_fi"),
}


def _orderer_organisations(rng: random.Random) -> list[tuple[str, str, str]]:
    rows = [
        (name, OrdererOrganisation.Kind.WELLBEING_COUNTY, code) for name, code in WELLBEING_COUNTIES
    ]
    rows += [
        (f"{city} kaupunki", OrdererOrganisation.Kind.MUNICIPALITY, code) for city, code in CITIES
    ]
    rows += [(name, OrdererOrganisation.Kind.EDUCATION, code) for name, code in EDUCATION]
    codes = [code for _name, code in CITIES]
    for word in COMPANY_WORDS:
        for suffix in rng.sample(COMPANY_SUFFIXES, 2):
            rows.append((f"{word}{suffix}", OrdererOrganisation.Kind.COMPANY, rng.choice(codes)))
    rows += [
        ("KoKoA – Kokemusasiantuntijuuden koulutuksen ja toiminnan kehittämisyhdistys ry", OrdererOrganisation.Kind.OTHER, "091"),
        ("Pirkanmaan Kumppanuustalo", OrdererOrganisation.Kind.OTHER, "837"),
    ]  # fmt: skip
    return rows


def enrol_mfa(user: User) -> None:
    """Pre-enrol a demo user with TOTP and recovery codes, as the real enrolment would."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


@transaction.atomic
def load(seed: int = 2026) -> None:
    rng = random.Random(seed)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for name, kind, code in _orderer_organisations(rng):
        OrdererOrganisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "municipality": municipalities.get(code)}
        )
    for email, first, last, language, kind, scope_field, scope_name in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first, last_name=last, language=language
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        scope = {}
        if scope_field:
            model, field = SCOPE_MODELS[scope_field]
            scope[scope_field] = model.objects.get(**{field: scope_name})
        Role.objects.get_or_create(user=user, kind=kind, **scope)
        if kind in Role.MFA_REQUIRED:
            enrol_mfa(user)
    # Each organisation's own address: requests for its experts go there while it has no
    # contact person in the service (two organisations have one in the demo).
    for organisation in MemberOrganisation.objects.filter(email=""):
        organisation.email = f"kokemustoimijat@{slugify(organisation.name_fi)}.demo.kokemus.fi"
        organisation.save(update_fields=["email"])


def logins() -> list[dict]:
    """One demo login per role, with an unused recovery code where the role needs MFA."""
    rows = []
    for email, *_rest, kind, _scope_field, _scope_name in DEMO_USERS:
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            continue
        code = None
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.RECOVERY_CODES
        ).first()
        if authenticator:
            unused = RecoveryCodes(authenticator).get_unused_codes()
            code = unused[0] if unused else None
        rows.append({"role": Role.Kind(kind).label, "email": email, "recovery_code": code})
    return rows
