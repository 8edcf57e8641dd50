"""Demo requests and tasks: two years of the demo experts' tasks, more where the orderers are
(the big cities), some requests waiting, declined or withdrawn, a few tasks coming up and a few
just done. Called by pankki.demo.load after the experts exist.

Deterministic for a seed and idempotent: nothing is created when demo tasks exist.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from kotove.models import OrdererOrganisation, User

from .models import Audience, Expert, RequestAnswer, Task, TaskRequest, TaskType, WorkLanguage
from .task_services import routes_to_organisation

DAYS_BACK = 730
# Titles by the task type's order (pankki.vocabulary.TASK_TYPES); {theme} is the expert's.
TITLES_FI = [
    "Koulutuksen suunnittelu kokemustoimijan kanssa",
    "Palvelupolun arviointi asiakkaan näkökulmasta",
    "Kokemusneuvoja vastaanotolla: {theme}",
    "Täydennyskoulutus: {theme} asiakkaan silmin",
    "Moniammatillisen tiimin kokous",
    "Yhteiskehittäminen työparina: {theme}",
    "Hoitoketjun kehittäminen: {theme}",
    "Uusien tilojen esteettömyyskävely",
    "Lehtihaastattelu: {theme}",
    "Kokemusluento: {theme}",
    "Simulaatioharjoitus: potilaan kohtaaminen",
    "Elävä kirjasto: {theme}",
    "Opinnäytetyön haastattelu: {theme}",
    "Kehittämistyöryhmän kokous",
    "Hankkeen ohjausryhmän kokous",
    "Paneelikeskustelu osallisuudesta",
    "Seminaaripuheenvuoro: {theme}",
    "Työpaja: asiakaslähtöisyys arjessa",
]
TITLES_SV = {
    9: "Erfarenhetsföreläsning: {theme}",
    15: "Paneldiskussion om delaktighet",
    16: "Seminarieanförande: {theme}",
    17: "Workshop: kundorientering i vardagen",
}
# Meetings and development work have a working group as their audience.
WORKING_GROUP_TYPES = {0, 1, 4, 6, 7, 13, 14}
WORKING_GROUP = 6
# Audience sizes by the vocabulary's order (pankki.vocabulary.AUDIENCES).
SIZES = [(15, 60), (10, 40), (8, 30), (5, 25), (6, 30), (5, 25), (4, 12), (30, 200), (8, 40)]
CANCEL_REASONS = [
    "Sairastuin, valitettavasti. Pahoittelut myöhäisestä peruutuksesta.",
    "Koulutuspäivä siirtyi syksyyn, sovitaan uusi aika myöhemmin.",
    "Ryhmä peruuntui vähäisen osallistujamäärän vuoksi.",
    "Päällekkäinen varaus meillä, pahoittelemme.",
]
ACCEPT_MESSAGES = [
    "Tulen mielelläni! Tarvitsen esityksen ajaksi videotykin.",
    "Kiitos pyynnöstä, sopii hyvin. Olen paikalla vartin ennen alkua.",
    "Sopii. Voin tulla paikan päälle, matkakuluista sovitaan erikseen.",
]
DECLINE_MESSAGES = [
    "Kiitos pyynnöstä, mutta olen tuolloin estynyt. Kysykää mielellään uudelleen!",
    "En valitettavasti pääse tällä kertaa.",
]
SWEDISH_ORDERERS = ("Pohjanmaan", "Novia", "Arcada", "Åbo Akademi")
PERSON_NAMES = [
    ("Hanna", "Koivisto"),
    ("Mikko", "Rantala"),
    ("Sari", "Lehto"),
    ("Janne", "Peltonen"),
    ("Minna", "Kallio"),
    ("Anders", "Sjöberg"),
    ("Liisa", "Hakala"),
]


def _lower(name: str) -> str:
    """ "Nivelrikko" reads "nivelrikko" mid-sentence; "ADHD" and "MS-tauti" keep their case."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("äöåé", "aoae"))


class Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.audiences = list(Audience.objects.filter(is_active=True).order_by("order"))
        self.task_types = list(TaskType.objects.filter(is_active=True).order_by("order"))
        self.orderers = list(
            OrdererOrganisation.objects.filter(is_active=True, municipality__isnull=False)
            .select_related("municipality")
            .order_by("pk")
        )
        self.by_region = {}
        for organisation in self.orderers:
            self.by_region.setdefault(organisation.municipality.region_id, []).append(organisation)
        self.users = {
            role.orderer_organisation_id: user
            for user in User.objects.filter(email__endswith="@demo.kokemus.fi").prefetch_related(
                "roles"
            )
            for role in user.roles.all()
            if role.orderer_organisation_id
        }

    def day(self, earliest: int, latest: int) -> datetime.date:
        """A weekday outside July, `earliest`..`latest` days from today."""
        step = 1 if earliest > 0 else -1  # future days move later, past days earlier
        day = self.today + datetime.timedelta(days=self.rng.randint(earliest, latest))
        if day.month == 7:
            day += datetime.timedelta(days=31 * step)
        while day.weekday() > 4:
            day += datetime.timedelta(days=step)
        return day

    def shared(self, expert: Expert, day: datetime.date, organisation=None) -> dict:
        """What a request and its task share, fitting the expert and the orderer."""
        rng = self.rng
        organisation = organisation or self.orderer_for(expert)
        task_type = rng.choice(list(expert.task_types.all()) or self.task_types)
        kind = self.task_types.index(task_type) if task_type in self.task_types else 9
        audience_index = (
            WORKING_GROUP
            if kind in WORKING_GROUP_TYPES
            else rng.choice([i for i in range(len(self.audiences)) if i != WORKING_GROUP])
        )
        low, high = SIZES[audience_index % len(SIZES)]
        themes = list(expert.themes.all())
        swedish = WorkLanguage.SV in expert.languages and organisation.name.startswith(
            SWEDISH_ORDERERS
        )
        if swedish:
            theme = (themes[0].name_sv or themes[0].name_fi) if themes else "sjukdom"
            title = TITLES_SV.get(kind, TITLES_SV[9]).format(theme=_lower(theme))
        else:
            theme = themes[0].name_fi if themes else "pitkäaikaissairaus"
            title = TITLES_FI[kind % len(TITLES_FI)].format(theme=_lower(theme))
        online = rng.random() < 0.2
        start = datetime.time(rng.randint(8, 15), rng.choice([0, 15, 30]))
        end_minutes = start.hour * 60 + start.minute + rng.choice([45, 60, 90, 120, 180])
        return {
            "title": title,
            "task_type": task_type,
            "audience": self.audiences[audience_index],
            "audience_size": rng.randint(low, high),
            "start_time": start,
            "end_time": datetime.time(min(end_minutes // 60, 23), end_minutes % 60),
            "online": online,
            "municipality": None if online else organisation.municipality,
            "address": "Teams-linkki lähetetään sähköpostilla" if online else "",
            "language": WorkLanguage.SV if swedish else WorkLanguage.FI,
            "fee": None if rng.random() < 0.5 else Decimal(rng.choice([50, 80, 100, 150, 200])),
            "pays_travel_costs": not online,
            "description": "",
        }, organisation

    def orderer_for(self, expert: Expert) -> OrdererOrganisation:
        """Mostly an orderer of the expert's own region: tasks gather where the orderers are."""
        nearby = self.by_region.get(expert.home_municipality.region_id)
        if nearby and self.rng.random() < 0.75:
            return self.rng.choice(nearby)
        return self.rng.choice(self.orderers)

    def orderer_person(self, organisation) -> dict:
        user = self.users.get(organisation.pk)
        if user:
            return {
                "orderer_user": user,
                "orderer_name": user.get_full_name(),
                "orderer_email": user.email,
                "orderer_language": user.language,
            }
        first, last = self.rng.choice(PERSON_NAMES)
        return {
            "orderer_name": f"{first} {last}",
            "orderer_email": f"{_ascii(first)}.{_ascii(last)}.{organisation.pk}@demo.kokemus.fi",
            "orderer_language": "sv" if organisation.name.startswith(SWEDISH_ORDERERS) else "fi",
        }

    def task(self, expert: Expert, day: datetime.date, *, just_done: bool = False) -> Task:
        """A task on `day`: done (or now and then cancelled) when past, agreed when coming."""
        values, organisation = self.shared(expert, day)
        task = Task(
            expert=expert,
            orderer_organisation=organisation,
            date=day,
            created_at=timezone.make_aware(
                datetime.datetime.combine(day - datetime.timedelta(days=30), datetime.time(10))
            ),
            **values,
            **self.orderer_person(organisation),
        )
        if just_done:
            task.status = Task.Status.DONE
            task.done_at = timezone.now() - datetime.timedelta(days=self.rng.randint(0, 3))
        elif day < self.today:
            if self.rng.random() < 0.08:
                task.status = Task.Status.CANCELLED
                task.cancel_reason = self.rng.choice(CANCEL_REASONS)
                task.cancelled_at = task.created_at + datetime.timedelta(days=20)
            else:
                task.status = Task.Status.DONE
                task.done_at = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(17))
                )
        return task

    def request(self, organisation, experts, day, statuses, *, until=None) -> TaskRequest:
        """A request from the demo orderer of `organisation` with one answer per expert."""
        values, _organisation = self.shared(experts[0], day, organisation)
        user = self.users[organisation.pk]
        task_request = TaskRequest.objects.create(
            orderer_organisation=organisation,
            created_by=user,
            date=day,
            date_until=until,
            created_at=timezone.now() - datetime.timedelta(days=self.rng.randint(1, 6)),
            **values,
        )
        task_request.description = "Toivomme kokemuspuheenvuoroa ja aikaa kysymyksille."
        task_request.save(update_fields=["description"])
        for expert, status in zip(experts, statuses, strict=True):
            answer = RequestAnswer.objects.create(
                request=task_request,
                expert=expert,
                via_organisation=routes_to_organisation(expert),
                status=status,
                answered_at=None if status == RequestAnswer.Status.PENDING else timezone.now(),
                answered_by=None if status == RequestAnswer.Status.PENDING else expert.user,
                message={
                    RequestAnswer.Status.ACCEPTED: self.rng.choice(ACCEPT_MESSAGES),
                    RequestAnswer.Status.DECLINED: self.rng.choice(DECLINE_MESSAGES),
                    RequestAnswer.Status.WITHDRAWN: "Koulutus siirtyy ensi vuoteen.",
                }.get(status, ""),
            )
            if status == RequestAnswer.Status.ACCEPTED:
                fields = {f: getattr(task_request, f) for f in values}
                Task.objects.create(
                    expert=expert,
                    answer=answer,
                    orderer_organisation=organisation,
                    date=day,
                    created_by=expert.user,
                    **fields,
                    **self.orderer_person(organisation),
                )
        return task_request


def load(seed: int = 2026) -> None:
    if Task.objects.filter(expert__email__endswith="@demo.kokemus.fi").exists():
        return
    builder = Builder(seed)
    rng = builder.rng
    experts = list(
        Expert.objects.filter(email__endswith="@demo.kokemus.fi")
        .searchable()
        .select_related("home_municipality", "user", "responsible_organisation")
        .prefetch_related("themes", "task_types")
        .order_by("pk")
    )
    tasks = []
    for expert in experts:
        for _n in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 5, 6])):
            tasks.append(builder.task(expert, builder.day(-DAYS_BACK, -1)))
        if rng.random() < 0.06:
            tasks.append(builder.task(expert, builder.day(2, 60)))
    # a few tasks just done: the orderer's and the expert's feedback is due now
    for expert in rng.sample(experts, 8):
        tasks.append(builder.task(expert, builder.day(-6, -1), just_done=True))
    Task.objects.bulk_create(tasks)
    _requests(builder, experts)
    _own_expert(builder)


def _requests(builder: Builder, experts: list[Expert]) -> None:
    """The demo orderers' requests: waiting, declined, withdrawn and accepted ones."""
    Status = RequestAnswer.Status
    rng = builder.rng
    for organisation_id in sorted(builder.users):
        organisation = OrdererOrganisation.objects.select_related("municipality").get(
            pk=organisation_id
        )
        region = organisation.municipality.region_id if organisation.municipality else None
        near = [e for e in experts if e.home_municipality.region_id == region] or experts
        plans = [
            ((14, 40), [Status.PENDING]),
            ((10, 30), [Status.PENDING, Status.PENDING]),
            ((20, 50), [Status.PENDING, Status.DECLINED]),
            ((7, 20), [Status.DECLINED]),
            ((15, 45), [Status.ACCEPTED, Status.DECLINED]),
            ((21, 60), [Status.WITHDRAWN]),
            ((5, 15), [Status.ACCEPTED]),
        ]
        for (earliest, latest), statuses in plans:
            chosen = rng.sample(near, min(len(statuses), len(near)))
            builder.request(
                organisation, chosen, builder.day(earliest, latest), statuses[: len(chosen)]
            )
        # one request for any day in a range
        first = builder.day(30, 35)
        builder.request(
            organisation,
            [rng.choice(near)],
            first,
            [Status.PENDING],
            until=first + datetime.timedelta(days=14),
        )
    # organisation contacts of the demo have requests to answer for their experts
    for short_name in ("Aivoliitto", "Syöpä"):
        via = [
            e
            for e in experts
            if e.responsible_organisation.short_name == short_name
            and e.contact_visibility == Expert.ContactVisibility.VIA_ORGANISATION
        ]
        if via and builder.users:
            organisation = OrdererOrganisation.objects.get(pk=min(builder.users))
            builder.request(organisation, [via[0]], builder.day(20, 40), [Status.PENDING])


def _own_expert(builder: Builder) -> None:
    """The demo expert login gets tasks done, one coming and a request to answer."""
    expert = Expert.objects.filter(user__email="kokemustoimija@demo.kokemus.fi").first()
    if expert is None:
        return
    tasks = [builder.task(expert, builder.day(-700, -10)) for _n in range(5)]
    tasks.append(builder.task(expert, builder.day(-4, -1), just_done=True))
    tasks.append(builder.task(expert, builder.day(10, 30)))
    Task.objects.bulk_create(tasks)
    if builder.users:
        organisation = OrdererOrganisation.objects.select_related("municipality").get(
            pk=min(builder.users)
        )
        builder.request(organisation, [expert], builder.day(14, 40), [RequestAnswer.Status.PENDING])
