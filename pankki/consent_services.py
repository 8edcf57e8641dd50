"""The expert's consent and own data: the consent text and its version, giving and withdrawing
consent, and the export of everything the experience bank holds about the expert. Each
function lists its side effects."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kotove.models import User
from kotove.personal_data import export_row
from kotove.services import audit

from .models import Consent, Expert
from .search_services import refresh_search_entries

# The consent text shown to experts; a new wording gets a new version, old consents keep theirs.
CONSENT_VERSION = "2026-1"

# The consent text of CONSENT_VERSION in each language; shown where the consent is given.
CONSENT_TEXT = {
    "fi": (
        "Annan suostumukseni siihen, että nimeni, esittelyni, kotikuntani, kieleni, "
        "tehtävätoiveeni ja koulutustietoni tallennetaan Kokemustoimintaverkoston "
        "Kokemuspankkiin ja näytetään kirjautuneille tilaajille, jotta he voivat pyytää minua "
        "kokemustoimijan tehtäviin. Teemani, diagnoosini ja elämäntilanteeni näytetään "
        "tilaajille vain, jos valitsen niin. Yhteystietoni näytetään tilaajille vain, jos "
        "valitsen niin; muuten tilaajat ottavat yhteyttä taustajärjestöni kautta. Tietojani "
        "ylläpitävät taustajärjestöni yhteyshenkilö ja verkoston suunnittelija. Voin peruuttaa "
        "suostumukseni milloin tahansa palvelussa tai taustajärjestöni kautta, jolloin tietoni "
        "poistuvat heti tilaajien hausta."
    ),
    "sv": (
        "Jag samtycker till att mitt namn, min presentation, min hemkommun, mina språk, mina "
        "önskemål om uppdrag och mina utbildningsuppgifter sparas i Kokemustoimintaverkostos "
        "erfarenhetsbank (Kokemuspankki) och visas för inloggade beställare, så att de kan be "
        "mig om uppdrag som erfarenhetsaktör. Mina teman, diagnoser och livssituationer visas "
        "för beställare endast om jag väljer det. Mina kontaktuppgifter visas för beställare "
        "endast om jag väljer det; annars kontaktar beställarna mig via min "
        "bakgrundsorganisation. Mina uppgifter sköts av kontaktpersonen i min "
        "bakgrundsorganisation och av nätverkets planerare. Jag kan när som helst återkalla "
        "mitt samtycke i tjänsten eller via min bakgrundsorganisation, och då försvinner mina "
        "uppgifter genast ur beställarnas sökning."
    ),
    "en": (
        "I consent to my name, presentation, home municipality, languages, wishes for tasks "
        "and training details being stored in the experience bank (Kokemuspankki) of "
        "Kokemustoimintaverkosto and shown to signed-in orderers, so that they can ask me to "
        "take on tasks as an experience expert. My themes, diagnoses and life situations are "
        "shown to orderers only if I choose so. My contact details are shown to orderers only "
        "if I choose so; otherwise orderers contact me through my background organisation. My "
        "details are kept by the contact person of my background organisation and by the "
        "network's planner. I can withdraw my consent at any time in the service or through my "
        "background organisation, and my details then leave the orderers' search at once."
    ),
}


@transaction.atomic
def give_consent(*, expert: Expert, method: str, by: User | None, request=None) -> Consent:
    """Record the expert's consent to be listed with the current text version.

    Side effects: a consent row, the search entry, an audit row."""
    consent = Consent.objects.create(
        expert=expert, text_version=CONSENT_VERSION, method=method, recorded_by=by
    )
    Expert.objects.filter(pk=expert.pk).update(consented=True)
    expert.consented = True
    refresh_search_entries(expert_ids=[expert.pk])
    audit(actor=by, action="consent.give", obj=expert, request=request, data={"method": method})
    return consent


@transaction.atomic
def withdraw_consent(*, expert: Expert, by: User | None, request=None) -> int:
    """Withdraw every valid consent: the expert leaves search at once.

    Side effects: withdrawal times on consent rows, the search entry removed, an audit row."""
    count = Consent.objects.filter(expert=expert, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    Expert.objects.filter(pk=expert.pk).update(consented=False)
    expert.consented = False
    refresh_search_entries(expert_ids=[expert.pk])
    audit(actor=by, action="consent.withdraw", obj=expert, request=request)
    return count


def change_consent(
    *, expert: Expert, withdraw: bool, method: str | None, by: User | None, request=None
):
    """Withdraw, or give with `method`: what the consent forms of the record and of the own
    profile ask for. Side effects: as give_consent / withdraw_consent."""
    if withdraw:
        return withdraw_consent(expert=expert, by=by, request=request)
    return give_consent(expert=expert, method=method, by=by, request=request)


def _names(items) -> list[dict]:
    return [{"name_fi": item.name_fi, "name_sv": item.name_sv} for item in items]


def _organisation(organisation) -> dict:
    return {"name_fi": organisation.name_fi, "name_sv": organisation.name_sv}


@transaction.atomic
def export_expert_data(*, expert: Expert, by: User, request=None) -> dict:
    """Everything the experience bank holds about the expert, for them to download: the
    record, organisations, consents, tasks, requests and account.

    Side effects: an audit row (expert.export)."""
    expert = (
        Expert.objects.select_related("home_municipality", "responsible_organisation", "user")
        .prefetch_related(
            "travel_regions",
            "travel_municipalities",
            "themes",
            "life_situations",
            "task_types",
            "audiences",
            "other_organisations",
        )
        .get(pk=expert.pk)
    )
    record = {
        name: getattr(expert, name)
        for name in (
            "first_name",
            "last_name",
            "email",
            "phone",
            "travels_all_finland",
            "online",
            "languages",
            "other_languages",
            "presentation_fi",
            "presentation_sv",
            "experience_kind",
            "show_health_data",
            "age_group",
            "basic_training_date",
            "basic_training_course",
            "recognition_decision_date",
            "continuing_training_date",
            "status",
            "paused_until",
            "left_on",
            "confirmed_at",
            "contact_visibility",
            "created_at",
            "updated_at",
        )
    }
    record.update(
        home_municipality=_names([expert.home_municipality])[0],
        travel_regions=_names(expert.travel_regions.all()),
        travel_municipalities=_names(expert.travel_municipalities.all()),
        themes=_names(expert.themes.all()),
        life_situations=_names(expert.life_situations.all()),
        task_types=_names(expert.task_types.all()),
        audiences=_names(expert.audiences.all()),
        photo=expert.photo.url if expert.photo else None,
    )
    data = {
        "exported_at": timezone.now(),
        "record": record,
        "organisations": {
            "responsible": _organisation(expert.responsible_organisation),
            "other": [_organisation(o) for o in expert.other_organisations.all()],
        },
        "consents": [
            {
                "text_version": consent.text_version,
                "text": CONSENT_TEXT.get(by.language, CONSENT_TEXT["fi"])
                if consent.text_version == CONSENT_VERSION
                else None,
                "given_at": consent.given_at,
                "method": consent.method,
                "withdrawn_at": consent.withdrawn_at,
            }
            for consent in expert.consents.all()
        ],
        # what the expert did and was asked to do: each row's fields, choices by their label
        "tasks": [
            export_row(task, exclude=("id", "expert", "answer"), readable=True)
            for task in expert.tasks.order_by("date", "pk")
        ],
        "requests": [
            {
                **export_row(answer.request, exclude=("id",), readable=True),
                "answer": export_row(answer, exclude=("id", "request", "expert"), readable=True),
            }
            for answer in expert.request_answers.select_related("request").order_by("pk")
        ],
        "account": {
            "email": expert.user.email,
            "first_name": expert.user.first_name,
            "last_name": expert.user.last_name,
            "language": expert.user.language,
            "date_joined": expert.user.date_joined,
        }
        if expert.user
        else None,
    }
    audit(actor=by, action="expert.export", obj=expert, request=request)
    return data
