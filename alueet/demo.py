"""Demo steering groups: 18 groups with current terms and members, a year of meetings with
minutes, an upcoming organising meeting in Pirkanmaa with more candidates than seats, action
plans, two grant applications and events.

The demo users of kotove.demo hold the Pirkanmaa and Uusimaa chair, secretary and member seats,
so their logins work. Deterministic for a seed and idempotent: nothing is created when demo
terms exist.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kotove.models import MemberOrganisation, OrdererOrganisation, User
from pankki.models import Expert

from .models import (
    ActionPlan,
    GrantApplication,
    GrantBudgetLine,
    Invitation,
    Meeting,
    Membership,
    Minutes,
    Nomination,
    NominationInvite,
    OrganisingMeeting,
    PlanItem,
    RegionalEvent,
    Registration,
    SeatCategory,
    SteeringGroup,
    Term,
    WorkingGroup,
    WorkingGroupMember,
    area_experts,
)
from .models.meetings import AgendaItem
from .services.groups import default_term_end, sync_regional_roles

DOMAIN = "demo.kokemus.fi"
FIRST_NAMES = ["Anu", "Eija", "Hannu", "Irma", "Jukka", "Kirsi", "Lauri", "Minna", "Niko",
               "Oili", "Paula", "Raimo", "Seija", "Tero", "Ulla", "Vesa", "Arja", "Erkki"]  # fmt: skip
LAST_NAMES = ["Aalto", "Heino", "Jokela", "Kallio", "Laakso", "Manninen", "Nurmi", "Ojala",
              "Peltonen", "Rantanen", "Salonen", "Tuominen", "Vainio", "Vuorinen"]  # fmt: skip
# Demo users of kotove.demo: (email, area, position, organisation).
OFFICERS = [
    ("pj.pirkanmaa", "Pirkanmaa", Membership.Position.CHAIR, "Suomen Sydänliitto"),
    ("sihteeri.pirkanmaa", "Pirkanmaa", Membership.Position.SECRETARY, "Aivoliitto"),
    ("jasen.pirkanmaa", "Pirkanmaa", Membership.Position.MEMBER, "Invalidiliitto"),
    ("sihteeri.uusimaa", "Uusimaa", Membership.Position.SECRETARY, "Suomen Syöpäyhdistys"),
]
STAKEHOLDERS = ["Kumppanuustalo", "KoKoA ry", "Sosiaali- ja terveysturvayhdistys"]
AGENDA = [
    "Kokouksen avaus ja läsnäolijat",
    "Edellisen kokouksen pöytäkirja",
    "Kuulumiset järjestöistä ja oppilaitoksista",
    "Virkistys- ja koulutustapahtumat",
    "Kokemustoimijoiden tilausten tilanne alueella",
    "Muut asiat",
]
DECISIONS = [
    "Hyväksyttiin edellisen kokouksen pöytäkirja.",
    "Päätettiin järjestää syksyllä virkistyspäivä alueen kokemustoimijoille.",
    "Sovittiin, että sihteeri kokoaa tilausten tilanteen seuraavaan kokoukseen.",
    "Päätettiin hakea kehittämistukea täydentävään koulutukseen.",
    "Keskusteltiin yhteistyöstä hyvinvointialueen kanssa; puheenjohtaja ottaa yhteyttä.",
]


def _person(rng: random.Random, n: int) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return first, last, f"og{n:03d}.{last.lower().replace('ä', 'a')}@{DOMAIN}"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def load(seed: int = 2026) -> None:
    if Term.objects.filter(memberships__email__endswith=f"@{DOMAIN}").exists():
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    organisations = list(MemberOrganisation.objects.filter(is_active=True).order_by("pk"))
    by_name = {o.name_fi: o for o in organisations}
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DOMAIN}")}
    counter = iter(range(10_000))
    groups = list(SteeringGroup.objects.select_related("area").order_by("area__name_fi"))
    for n, group in enumerate(groups):
        slug = group.area.name_fi.split()[0].lower().translate(str.maketrans("äöå", "aoa"))
        group.email = f"ohjausryhma.{slug}@{DOMAIN}"
        group.phone = f"040 {7100000 + n * 1111}"
        group.description_fi = (
            f"{group.area.name_fi}n alueellinen ohjausryhmä koordinoi kokemustoimintaa "
            "alueella ja järjestää alueen kokemustoimijoille virkistystä ja koulutusta."
            if group.area.name_fi == "Pirkanmaa"
            else ""
        )
        group.save(update_fields=["email", "phone", "description_fi"])
        # Pirkanmaa's term ends soon, so it calls its organising meeting now.
        if group.area.name_fi == "Pirkanmaa":
            starts = today - datetime.timedelta(days=730 - 45)
        else:
            starts = today.replace(day=1) - datetime.timedelta(days=rng.randrange(300, 420))
        previous = Term.objects.create(
            group=group,
            starts_on=starts - datetime.timedelta(days=730),
            ends_on=starts - datetime.timedelta(days=1),
        )
        term = Term.objects.create(group=group, starts_on=starts, ends_on=default_term_end(starts))
        members = _members(rng, group, term, previous, organisations, by_name, users, counter)
        _meetings(rng, group, term, members, today)
        _plan(rng, group, today.year)
    for membership in Membership.objects.filter(user__isnull=False).select_related(
        "term__group__area", "user"
    ):
        sync_regional_roles(user=membership.user, area=membership.term.group.area, by=None)
    pirkanmaa = next(g for g in groups if g.area.name_fi == "Pirkanmaa")
    uusimaa = next(g for g in groups if g.area.name_fi == "Uusimaa")
    _organising(rng, pirkanmaa, by_name, users, counter, today)
    _upcoming_meeting(pirkanmaa, today)
    _grants(pirkanmaa, uusimaa, users, today)
    _events(rng, groups, pirkanmaa, users, today)
    working_group = WorkingGroup.objects.create(
        group=pirkanmaa,
        name="Virkistyspäivän työryhmä",
        purpose="Suunnittelee ja toteuttaa syksyn virkistyspäivän.",
    )
    for membership in pirkanmaa.current_term().memberships.order_by("pk")[:3]:
        WorkingGroupMember.objects.create(
            working_group=working_group,
            membership=membership,
            name=membership.full_name,
            email=membership.email,
            represents=membership.represents_label,
        )


def _members(rng, group, term, previous, organisations, by_name, users, counter):
    """2–3 organisations, 2 experts, 2 units and sometimes a stakeholder; the demo users where
    they belong. The previous term had a chair from another organisation."""
    officers = {o[2]: o for o in OFFICERS if o[1] == group.area.name_fi}
    taken = {by_name[o[3]] for o in officers.values()}
    spare = iter(rng.sample([o for o in organisations if o not in taken], 3))
    chosen, rows = [], []
    for position in Membership.Position.values:
        demo = officers.get(position)
        organisation = by_name[demo[3]] if demo else next(spare)
        chosen.append(organisation)
        if demo:
            user = users[demo[0]]
            first, last, email = user.first_name, user.last_name, user.email
        else:
            user, (first, last, email) = None, _person(rng, next(counter))
        rows.append(Membership(term=term, seat=SeatCategory.ORGANISATION, position=position,
                               member_organisation=organisation, first_name=first,
                               last_name=last, email=email, user=user,
                               starts_on=term.starts_on))  # fmt: skip
    experts = list(area_experts(group.area).available().with_valid_consent().order_by("pk")[:6])
    for expert in rng.sample(experts, min(2, len(experts))):
        rows.append(Membership(term=term, seat=SeatCategory.EXPERT, expert=expert,
                               first_name=expert.first_name, last_name=expert.last_name,
                               email=expert.email, user=expert.user,
                               starts_on=term.starts_on))  # fmt: skip
    units = list(
        OrdererOrganisation.objects.filter(
            municipality__region__areas=group.area,
            kind__in=[
                OrdererOrganisation.Kind.EDUCATION,
                OrdererOrganisation.Kind.WELLBEING_COUNTY,
            ],
        ).order_by("name")[:4]
    ) or [None, None]
    for unit in rng.sample(units, min(2, len(units))):
        first, last, email = _person(rng, next(counter))
        rows.append(Membership(term=term, seat=SeatCategory.UNIT,
                               represents=unit.name if unit else f"Oppilaitos ({group.area.name_fi})",
                               first_name=first, last_name=last, email=email,
                               starts_on=term.starts_on))  # fmt: skip
    if rng.random() < 0.5:
        first, last, email = _person(rng, next(counter))
        rows.append(Membership(term=term, seat=SeatCategory.STAKEHOLDER,
                               represents=rng.choice(STAKEHOLDERS), first_name=first,
                               last_name=last, email=email, starts_on=term.starts_on))  # fmt: skip
    # The previous term: its chair came from an organisation whose turn it was then.
    first, last, email = _person(rng, next(counter))
    previous_chair = rng.choice([o for o in organisations if o not in chosen])
    rows.append(Membership(term=previous, seat=SeatCategory.ORGANISATION,
                           position=Membership.Position.CHAIR, member_organisation=previous_chair,
                           first_name=first, last_name=last, email=email,
                           starts_on=previous.starts_on))  # fmt: skip
    for organisation in chosen[1:]:
        first, last, email = _person(rng, next(counter))
        rows.append(Membership(term=previous, seat=SeatCategory.ORGANISATION,
                               member_organisation=organisation, first_name=first,
                               last_name=last, email=email,
                               starts_on=previous.starts_on))  # fmt: skip
    Membership.objects.bulk_create(rows)
    return [m for m in rows if m.term_id == term.pk]


def _meetings(rng, group, term, members, today):
    """Four meetings over the past year, each with an agenda, answers and published minutes
    (written in bulk: the demo loads on every `make run`)."""
    days = [today - datetime.timedelta(days=months_ago * 30 + rng.randrange(0, 10))
            for months_ago in (11, 8, 5, 2)]  # fmt: skip
    meetings = Meeting.objects.bulk_create(
        Meeting(group=group, title="Ohjausryhmän kokous", starts_at=_at(day, 13),
                ends_at=_at(day, 15), place=rng.choice(["Kirjaston kokoushuone", "Järjestötalo", ""]),
                online_link="https://teams.example.fi/ohjausryhma",
                invited_at=_at(day - datetime.timedelta(days=21), 9))
        for day in days
        if day >= term.starts_on
    )  # fmt: skip
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=n, title=title)
        for meeting in meetings
        for n, title in enumerate(AGENDA, start=1)
    )
    answers = {
        meeting.pk: [rng.choices(["yes", "no", "maybe"], [7, 2, 1])[0] for _ in members]
        for meeting in meetings
    }
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, membership=m, response=a, responded_at=meeting.invited_at)
        for meeting in meetings
        for m, a in zip(members, answers[meeting.pk], strict=True)
    )
    minutes = Minutes.objects.bulk_create(
        Minutes(meeting=meeting,
                decisions="\n".join(f"{n}. {d}" for n, d in enumerate(rng.sample(DECISIONS, 3), 1)),
                published_at=meeting.ends_at + datetime.timedelta(days=7))
        for meeting in meetings
    )  # fmt: skip
    Minutes.present.through.objects.bulk_create(
        Minutes.present.through(minutes_id=item.pk, membership_id=m.pk)
        for item in minutes
        for m, a in zip(members, answers[item.meeting_id], strict=True)
        if a == "yes"
    )


def _upcoming_meeting(group, today):
    day = today + datetime.timedelta(days=12)
    meeting = Meeting.objects.create(
        group=group,
        title="Ohjausryhmän kokous",
        starts_at=_at(day, 13),
        ends_at=_at(day, 15),
        place="Tampereen pääkirjasto Metso, kokoushuone Pirkka",
        online_link="https://teams.example.fi/pirkanmaa",
        description="Kokous on viimeinen tällä toimikaudella.",
        invited_at=timezone.now() - datetime.timedelta(days=2),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=n, title=title)
        for n, title in enumerate(
            [*AGENDA[:3], "Järjestäytymiskokouksen valmistelu", "Muut asiat"], start=1
        )
    )
    members = group.current_term().memberships.order_by("pk")
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, membership=m, response="yes" if n < 3 else "",
                   responded_at=timezone.now() if n < 3 else None)
        for n, m in enumerate(members)
    )  # fmt: skip


def _organising(rng, group, by_name, users, counter, today):
    """Nominations exceed the seats in two categories: the lot will decide."""
    term = group.current_term()
    meeting = OrganisingMeeting.objects.create(
        group=group,
        starts_at=_at(today + datetime.timedelta(days=21), 17),
        place="Tampere-talo, sali 5",
        nomination_deadline=_at(today + datetime.timedelta(days=14), 23),
        term_starts_on=term.ends_on + datetime.timedelta(days=1),
        term_ends_on=default_term_end(term.ends_on + datetime.timedelta(days=1)),
        announced_at=timezone.now() - datetime.timedelta(days=10),
    )
    invites = NominationInvite.objects.bulk_create(
        NominationInvite(organising_meeting=meeting, email=email)
        for email in [f"tamk@{DOMAIN}", f"hyvinvointialue.pirkanmaa@{DOMAIN}"]
    )
    contacts = {"Aivoliitto": users.get("yhteys.aivoliitto")}
    now = timezone.now()
    rows = []
    for name in ["Aivoliitto", "Suomen Sydänliitto", "Hengitysliitto", "Kuuloliitto",
                 "Mielenterveyden keskusliitto"]:  # fmt: skip
        first, last, email = _person(rng, next(counter))
        rows.append(Nomination(organising_meeting=meeting, category=SeatCategory.ORGANISATION,
                               member_organisation=by_name[name], first_name=first,
                               last_name=last, email=email, consent_confirmed_at=now,
                               nominated_by=contacts.get(name)))  # fmt: skip
    for expert in area_experts(group.area).available().with_valid_consent().order_by("-pk")[:4]:
        rows.append(Nomination(organising_meeting=meeting, category=SeatCategory.EXPERT,
                               expert=expert, member_organisation=expert.responsible_organisation,
                               first_name=expert.first_name, last_name=expert.last_name,
                               email=expert.email, consent_confirmed_at=now))  # fmt: skip
    for represents in ["Tampereen ammattikorkeakoulu", "Pirkanmaan hyvinvointialue",
                       "Tampereen yliopisto"]:  # fmt: skip
        first, last, email = _person(rng, next(counter))
        rows.append(Nomination(organising_meeting=meeting, category=SeatCategory.UNIT,
                               represents=represents, first_name=first, last_name=last,
                               email=email, consent_confirmed_at=now,
                               invite=invites[0] if "ammattikorkeakoulu" in represents else None))  # fmt: skip
    Nomination.objects.bulk_create(rows)


def _plan(rng, group, year):
    plan = ActionPlan.objects.create(
        group=group,
        year=year,
        aims="Kokemustoiminta näkyväksi alueella; kokemustoimijoiden virkistys ja osaaminen; "
        "yhteistyö hyvinvointialueen ja oppilaitosten kanssa.",
        approved_on=datetime.date(year, 1, 20),
    )
    items = [
        (PlanItem.Kind.GOAL, "Uusia tilaajia oppilaitoksista", "koko vuosi", None),
        (PlanItem.Kind.EVENT, "Kevään virkistyspäivä", "toukokuu", Decimal("400")),
        (PlanItem.Kind.EVENT, "Vertaistapaaminen", "syyskuu", Decimal("150")),
        (PlanItem.Kind.TRAINING, "Esiintymistaidon täydentävä koulutus", "lokakuu", Decimal("500")),
        (PlanItem.Kind.MEETING, "Ohjausryhmän kokoukset (4)", "koko vuosi", None),
        (PlanItem.Kind.MARKETING, "Esittely hyvinvointialueen henkilöstölle", "syksy", None),
    ]
    rows = []
    for kind, title, timing, budget in items:
        done = rng.random() < 0.6
        rows.append(
            PlanItem(
                plan=plan,
                kind=kind,
                title=title,
                timing=timing,
                budget=budget,
                status=PlanItem.Status.DONE if done else PlanItem.Status.PLANNED,
                outcome="Toteutui suunnitellusti." if done else "",
                actual_cost=budget * Decimal("0.9") if done and budget else None,
                participants=rng.randrange(8, 40) if done and kind == PlanItem.Kind.EVENT else None,
            )  # fmt: skip
        )
    PlanItem.objects.bulk_create(rows)


def _grants(pirkanmaa, uusimaa, users, today):
    secretary = users.get("sihteeri.pirkanmaa")
    waiting = GrantApplication.objects.create(
        group=pirkanmaa,
        year=today.year,
        purpose="Esiintymistaidon täydentävä koulutus alueen kokemustoimijoille (3 h) ja "
        "virkistyspäivä.",
        amount=Decimal("900"),
        status=GrantApplication.Status.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=5),
        submitted_by=secretary,
        created_by=secretary,
    )
    GrantBudgetLine.objects.bulk_create([
        GrantBudgetLine(application=waiting, description="Kouluttajan palkkio", amount=Decimal("500")),
        GrantBudgetLine(application=waiting, description="Tilavuokra", amount=Decimal("150")),
        GrantBudgetLine(application=waiting, description="Kahvitarjoilu", amount=Decimal("250")),
    ])  # fmt: skip
    planner = users.get("suunnittelija")
    granted = GrantApplication.objects.create(
        group=uusimaa,
        year=today.year,
        purpose="Vertaistapaamisten sarja kokemustoimijoille.",
        amount=Decimal("800"),
        status=GrantApplication.Status.GRANTED,
        submitted_at=timezone.now() - datetime.timedelta(days=90),
        submitted_by=users.get("sihteeri.uusimaa"),
        granted_amount=Decimal("700"),
        conditions="Käytöstä raportoidaan vuoden loppuun mennessä.",
        decided_at=timezone.now() - datetime.timedelta(days=60),
        decided_by=users.get("kotove") or planner,
    )
    GrantBudgetLine.objects.bulk_create([
        GrantBudgetLine(application=granted, description="Tilavuokrat (4 kertaa)", amount=Decimal("400")),
        GrantBudgetLine(application=granted, description="Tarjoilut", amount=Decimal("400")),
    ])  # fmt: skip


def _events(rng, groups, pirkanmaa, users, today):
    """A recreation day and a full training in Pirkanmaa, and an event in the area of the demo
    expert login with their registration."""
    recreation = RegionalEvent.objects.create(
        group=pirkanmaa, kind=RegionalEvent.Kind.RECREATION, title="Talven virkistyspäivä",
        description="Ulkoilua, lounas ja yhdessäoloa. Tervetuloa kaikki alueen kokemustoimijat!",
        starts_at=_at(today + datetime.timedelta(days=30), 10),
        ends_at=_at(today + datetime.timedelta(days=30), 15),
        place="Kaupin ulkoilumaja, Tampere", capacity=25,
    )  # fmt: skip
    training = RegionalEvent.objects.create(
        group=pirkanmaa, kind=RegionalEvent.Kind.TRAINING, title="Hissipuhe ja esiintyminen",
        description="Täydentävä koulutus: lyhyt esittely itsestä kokemustoimijana.",
        starts_at=_at(today + datetime.timedelta(days=45), 17),
        ends_at=_at(today + datetime.timedelta(days=45), 20),
        place="Järjestötalo, Tampere", online_link="https://teams.example.fi/koulutus", capacity=3,
    )  # fmt: skip
    experts = list(area_experts(pirkanmaa.area).available().order_by("pk")[:12])
    Registration.objects.bulk_create(
        [Registration(event=recreation, expert=e, status=Registration.Status.CONFIRMED,
                      created_at=timezone.now() - datetime.timedelta(days=9 - n))
         for n, e in enumerate(experts[:8])]
        + [Registration(event=training, expert=e,
                        status=Registration.Status.CONFIRMED if n < 3 else Registration.Status.WAITING,
                        created_at=timezone.now() - datetime.timedelta(days=9 - n))
           for n, e in enumerate(experts[4:9])]
    )  # fmt: skip
    own = (
        Expert.objects.filter(user=users.get("kokemustoimija"))
        .select_related("home_municipality")
        .first()
    )
    if own is None:
        return
    group = next((g for g in groups if g.area.regions.filter(
        municipalities=own.home_municipality_id).exists()), None)  # fmt: skip
    if group is None:
        return
    peer = RegionalEvent.objects.create(
        group=group, kind=RegionalEvent.Kind.PEER, title="Kokemustoimijoiden vertaistapaaminen",
        description="Vaihdetaan kuulumisia ja vinkkejä keikoista.",
        starts_at=_at(today + datetime.timedelta(days=18), 17),
        ends_at=_at(today + datetime.timedelta(days=18), 19),
        place="Järjestötalo", capacity=15,
    )  # fmt: skip
    Registration.objects.create(event=peer, expert=own, status=Registration.Status.CONFIRMED)
