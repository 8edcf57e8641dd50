"""Every write of the experience bank. Each function lists its side effects."""

from __future__ import annotations

import random
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.emails import queue_email
from kotove.models import Municipality, Region, Role, User
from kotove.services import audit, invite_user

from . import textsearch
from .models import Consent, Expert, SavedSearch, SearchEntry, WorkLanguage

# The consent text shown to experts; a new wording gets a new version, old consents keep theirs.
CONSENT_VERSION = "2026-1"


def _search_entry(expert: Expert, region_of: dict[int, int], all_regions: set[int]):
    shown = expert.show_health_data  # health data is findable only where the expert shows it
    vocabulary = [*expert.themes.all(), *expert.life_situations.all()] if shown else []
    travel_regions = {region.pk for region in expert.travel_regions.all()}
    municipalities = {expert.home_municipality_id} | {
        m.pk for m in expert.travel_municipalities.all()
    }
    whole_regions = all_regions if expert.travels_all_finland else travel_regions
    kind = expert.experience_kind
    traits = [
        *([SearchEntry.Trait.OWN] if kind != Expert.ExperienceKind.CLOSE_ONE else []),
        *([SearchEntry.Trait.CLOSE_ONE] if kind != Expert.ExperienceKind.OWN else []),
        *([SearchEntry.Trait.ONLINE] if expert.online else []),
        *([SearchEntry.Trait.CONTINUING] if expert.continuing_training_date else []),
    ]
    text = textsearch.document(
        {
            "fi": [expert.presentation_fi, *(v.name_fi for v in vocabulary)],
            "sv": [expert.presentation_sv, *(v.name_sv for v in vocabulary)],
        }
    )
    return SearchEntry(
        expert_id=expert.pk,
        shuffle=expert.shuffle,
        paused_until=expert.paused_until if expert.status == Expert.Status.PAUSED else None,
        home_municipality_id=expert.home_municipality_id,
        regions=sorted(whole_regions | {region_of[m] for m in municipalities}),
        municipalities=sorted(municipalities),
        whole_regions=sorted(whole_regions),
        organisations=sorted(
            {expert.responsible_organisation_id} | {o.pk for o in expert.other_organisations.all()}
        ),
        themes=sorted(t.pk for t in expert.themes.all()) if shown else [],
        life_situations=sorted(s.pk for s in expert.life_situations.all()) if shown else [],
        task_types=sorted(t.pk for t in expert.task_types.all()),
        languages=list(expert.languages),
        traits=traits,
        document=SearchVector(Value(text), config="simple"),
    )


@transaction.atomic
def refresh_search_entries(*, expert_ids: Iterable[int], chunk_size: int = 1000) -> None:
    """Rewrite the search entries of these experts from their records: listed experts get a
    fresh entry, others lose theirs. Every service that changes what search shows calls this;
    a nightly task rewrites all entries (what a municipality's move to another region changes).

    Side effects: search entries written and deleted."""
    region_of = dict(Municipality.objects.values_list("pk", "region_id"))
    all_regions = set(Region.objects.values_list("pk", flat=True))
    ids = list(expert_ids)
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        SearchEntry.objects.filter(expert_id__in=chunk).delete()
        experts = (
            Expert.objects.listed()
            .filter(pk__in=chunk)
            .prefetch_related(
                "themes",
                "life_situations",
                "travel_regions",
                "travel_municipalities",
                "other_organisations",
                "task_types",
            )
        )
        SearchEntry.objects.bulk_create(
            _search_entry(expert, region_of, all_regions) for expert in experts
        )


@transaction.atomic
def save_expert(*, expert: Expert, by: User, m2m: dict | None = None, request=None) -> Expert:
    """Create or update an expert record with its many-to-many fields.

    Side effects: the search entry, an audit row.
    """
    created = expert.pk is None
    if created:
        expert.shuffle = random.randrange(2**31)
    if expert.status != Expert.Status.PAUSED:
        expert.paused_until = None
    if expert.status == Expert.Status.LEFT and not expert.left_on:
        expert.left_on = timezone.localdate()
    expert.full_clean()
    if created:
        expert.save()
    else:  # `consented` is written only by the consent services, never from a stale instance
        expert.save(
            update_fields=[
                f.name for f in Expert._meta.concrete_fields if f.name not in ("id", "consented")
            ]
        )
    for field, values in (m2m or {}).items():
        getattr(expert, field).set(values)
    refresh_search_entries(expert_ids=[expert.pk])
    audit(
        actor=by,
        action="expert.create" if created else "expert.update",
        obj=expert,
        request=request,
    )
    return expert


@transaction.atomic
def confirm_up_to_date(*, experts, by: User, request=None) -> int:
    """Mark records as checked today. Side effects: one audit row per expert."""
    experts = list(experts)
    now = timezone.now()
    Expert.objects.filter(pk__in=[e.pk for e in experts]).update(confirmed_at=now, confirmed_by=by)
    for expert in experts:
        audit(actor=by, action="expert.confirm", obj=expert, request=request)
    return len(experts)


@transaction.atomic
def set_status(*, expert: Expert, status: str, by: User, paused_until=None, request=None) -> Expert:
    """Pause (until a date), reactivate or archive (left) an expert.

    Side effects: the search entry, an audit row."""
    if status == Expert.Status.PAUSED:
        if not paused_until or paused_until <= timezone.localdate():
            raise ValidationError({"paused_until": _("Give a date in the future.")})
        expert.paused_until = paused_until
    else:
        expert.paused_until = None
    expert.left_on = timezone.localdate() if status == Expert.Status.LEFT else None
    expert.status = status
    expert.save(update_fields=["status", "paused_until", "left_on", "updated_at"])
    refresh_search_entries(expert_ids=[expert.pk])
    audit(actor=by, action=f"expert.status.{status}", obj=expert, request=request)
    return expert


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


@transaction.atomic
def invite_expert(*, expert: Expert, by: User, request=None) -> User:
    """Give the expert a login to keep their own presentation, availability and consent.

    Side effects: a user with the expert role, audit rows, an invitation email."""
    user = invite_user(
        email=expert.email,
        by=by,
        first_name=expert.first_name,
        last_name=expert.last_name,
        role=Role.Kind.EXPERT,
    )
    expert.user = user
    expert.save(update_fields=["user", "updated_at"])
    return user


def send_stale_reminders(*, today=None) -> int:
    """Email each organisation contact the list of their experts not confirmed for 12 months.

    Runs monthly from Celery beat; the idempotency key makes it once per contact per month.
    Side effects: emails."""
    today = today or timezone.localdate()
    sent = 0
    contacts = Role.objects.current().filter(
        kind=Role.Kind.ORGANISATION_CONTACT, user__is_active=True
    )
    for role in contacts.select_related("user", "member_organisation"):
        stale = list(
            Expert.objects.filter(responsible_organisation=role.member_organisation)
            .exclude(status=Expert.Status.LEFT)
            .stale()
            .order_by("last_name", "first_name")
        )
        if not stale:
            continue
        queue_email(
            key=f"stale-reminder:{role.pk}:{today:%Y-%m}",
            to=role.user.email,
            template="pankki/email/stale_reminder",
            language=role.user.language,
            context={
                "user": role.user,
                "organisation": role.member_organisation,
                "experts": stale,
                "list_url": settings.SITE_URL + reverse("pankki:records") + "?stale=1",
            },
        )
        sent += 1
    return sent


def _matching_ids(query) -> list[int]:
    from django.http import QueryDict

    from .filters import ExpertFilter
    from .results import matching_ids

    data = query if isinstance(query, QueryDict) else QueryDict(query)
    expert_filter = ExpertFilter(data, queryset=SearchEntry.objects.all())
    if not expert_filter.is_valid():
        return []
    return matching_ids(expert_filter.qs, timezone.localdate())


@transaction.atomic
def save_search(*, user: User, name: str, query) -> SavedSearch:
    """Save the search parameters; the experts matching now are known, later ones are new.

    Side effects: a saved-search row."""
    return SavedSearch.objects.create(
        user=user, name=name, query=query.urlencode(), known_experts=_matching_ids(query)
    )


@transaction.atomic
def delete_saved_search(*, saved_search: SavedSearch, by: User) -> None:
    """Side effects: the row is deleted."""
    saved_search.delete()


def send_saved_search_alerts(*, today=None) -> int:
    """Email each saved search's owner the experts that newly match it (weekly, Celery beat).

    Side effects: emails (one per search per day at most), the known experts are updated."""
    today = today or timezone.localdate()
    sent = 0
    for saved in SavedSearch.objects.filter(notify=True, user__is_active=True).select_related(
        "user"
    ):
        with transaction.atomic():
            current = _matching_ids(saved.query)
            new_ids = sorted(set(current) - set(saved.known_experts))
            if new_ids:
                experts = Expert.objects.filter(pk__in=new_ids).select_related("home_municipality")
                queue_email(
                    key=f"saved-search:{saved.pk}:{today.isoformat()}",
                    to=saved.user.email,
                    template="pankki/email/saved_search_alert",
                    language=saved.user.language,
                    context={
                        "user": saved.user,
                        "search": saved,
                        "experts": [
                            (e, settings.SITE_URL + reverse("pankki:expert", args=[e.pk]))
                            for e in experts
                        ],
                        "search_url": f"{settings.SITE_URL}{reverse('pankki:search')}?{saved.query}",
                    },
                )
                sent += 1
            SavedSearch.objects.filter(pk=saved.pk).update(
                known_experts=current, notified_at=timezone.now() if new_ids else saved.notified_at
            )
    return sent


# Records kept by organisation contacts and by the experts themselves. ----------------------
# (Imports are local below so that this section only appends to the module.)

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

PHOTO_MAX_SIDE = 1600


def clean_photo(*, upload):
    """Re-encode an uploaded photo as a JPEG without its metadata (EXIF location, camera,
    time; comments), turned upright and at most 1600 px a side, under a random file name.

    Side effects: none; the returned file is stored when the record is saved."""
    import io
    import uuid

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        if image.mode not in ("RGB", "L"):
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, "white")
            image.paste(rgba, mask=rgba.getchannel("A"))
        image.info = {}
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


@transaction.atomic
def import_experts(*, filename: str, content: bytes, organisation, by: User, request=None) -> dict:
    """Create and update `organisation`'s experts from an import file: all rows or nothing.
    New records count as confirmed up to date by `by`.

    The file is checked again here, inside the transaction (pankki.importer); if any row has
    an error nothing is written and ValidationError lists the errors.
    Side effects: expert records created and updated with their search entries and one
    audit row each (as save_expert), and an audit row for the import."""
    from . import importer

    result = importer.parse(filename=filename, content=content, organisation=organisation)
    if not result.is_valid:
        raise ValidationError(
            result.errors
            or [f"{error.row} {error.column}: {error.message}" for error in result.row_errors]
            or [_("The file has no rows to import.")]
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in result.rows:
        if row.action == row.UNCHANGED:
            counts["unchanged"] += 1
            continue
        expert = row.expert or Expert(
            responsible_organisation=organisation, confirmed_at=timezone.now(), confirmed_by=by
        )
        values = dict(row.values)
        m2m = {"themes": values.pop("themes")} if "themes" in values else {}
        for name, value in values.items():
            setattr(expert, name, value)
        save_expert(expert=expert, by=by, m2m=m2m, request=request)
        counts["created" if row.expert is None else "updated"] += 1
    audit(
        actor=by,
        action="expert.import",
        obj=organisation,
        request=request,
        data={"file": filename, **counts},
    )
    return counts


def _names(items) -> list[dict]:
    return [{"name_fi": item.name_fi, "name_sv": item.name_sv} for item in items]


def _organisation(organisation) -> dict:
    return {"name_fi": organisation.name_fi, "name_sv": organisation.name_sv}


@transaction.atomic
def export_expert_data(*, expert: Expert, by: User, request=None) -> dict:
    """Everything the experience bank holds about the expert, for them to download.

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


# Qualifications recorded by training (koulutus) and recognition. ---------------------------


def find_expert(*, email: str, user: User | None = None, organisation=None) -> Expert | None:
    """The person's expert record: the one linked to `user`, else one with `email` (in
    `organisation` first)."""
    if user is not None and user.pk:
        linked = Expert.objects.filter(user=user).first()
        if linked:
            return linked
    matches = Expert.objects.filter(email__iexact=email.strip())
    if organisation is not None:
        own = matches.filter(responsible_organisation=organisation).order_by("pk").first()
        if own:
            return own
    return matches.order_by("pk").first()


@transaction.atomic
def record_qualification(
    *,
    by: User | None,
    organisation,
    first_name: str,
    last_name: str,
    email: str,
    home_municipality,
    experience_kind: str,
    user: User | None = None,
    phone: str = "",
    languages: list[str] | None = None,
    basic_training_date=None,
    basic_training_course: str = "",
    continuing_training_date=None,
    recognition_decision_date=None,
    request=None,
) -> Expert:
    """Record a completed training or a recognition on the person's expert record: link the
    existing record (by user, then email) or create one in `organisation`. A date already on
    the record is kept (the first qualification counts). A new record has no consent, so it is
    not searchable until the expert consents.

    Side effects: the record created or updated (as save_expert: search entry, audit row),
    an audit row expert.qualify."""
    expert = find_expert(email=email, user=user, organisation=organisation)
    if expert is None:
        expert = Expert(
            first_name=first_name,
            last_name=last_name,
            email=email.strip().lower(),
            phone=phone,
            home_municipality=home_municipality,
            experience_kind=experience_kind or Expert.ExperienceKind.OWN,
            responsible_organisation=organisation,
            # The contact completes the record with the expert; Finnish until then.
            languages=languages or [WorkLanguage.FI],
        )
    if (
        user is not None
        and expert.user_id is None
        and not Expert.objects.filter(user=user).exists()
    ):
        expert.user = user
    dates = {
        "basic_training_date": basic_training_date,
        "continuing_training_date": continuing_training_date,
        "recognition_decision_date": recognition_decision_date,
    }
    for field, value in dates.items():
        if value and not getattr(expert, field):
            setattr(expert, field, value)
            if field == "basic_training_date":
                expert.basic_training_course = basic_training_course[:200]
    save_expert(expert=expert, by=by, request=request)
    audit(
        actor=by,
        action="expert.qualify",
        obj=expert,
        request=request,
        data={field: str(value) for field, value in dates.items() if value},
    )
    return expert
