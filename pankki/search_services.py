"""Writes of the experience bank's search: the search entries that search reads (rewritten from
the records) and saved searches with their alerts. Each function lists its side effects."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import OuterRef, Value
from django.urls import reverse
from django.utils import timezone

from kotove.emails import queue_email
from kotove.models import Municipality, Region, User

from . import textsearch
from .models import Expert, LifeSituation, SavedSearch, SearchEntry, Theme

RELATIONS = (
    "themes",
    "life_situations",
    "travel_regions",
    "travel_municipalities",
    "other_organisations",
    "task_types",
)


def _ids(relation: str) -> ArraySubquery:
    """The ids an expert has in a many-to-many relation, read from its link table alone."""
    field = Expert._meta.get_field(relation)
    links = field.remote_field.through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")})
    return ArraySubquery(links.values(f"{field.m2m_reverse_field_name()}_id"))


def _search_entry(expert: Expert, names: dict, region_of: dict[int, int], all_regions: set[int]):
    """`expert` carries its relations' ids (`<relation>_ids`); `names` maps a theme's or a life
    situation's (model, id) to its Finnish and Swedish names."""
    shown = expert.show_health_data  # health data is findable only where the expert shows it
    themes = sorted(expert.themes_ids) if shown else []
    life_situations = sorted(expert.life_situations_ids) if shown else []
    vocabulary = [names[Theme, pk] for pk in themes] + [
        names[LifeSituation, pk] for pk in life_situations
    ]
    municipalities = {expert.home_municipality_id, *expert.travel_municipalities_ids}
    whole_regions = all_regions if expert.travels_all_finland else set(expert.travel_regions_ids)
    kind = expert.experience_kind
    traits = [
        *([SearchEntry.Trait.OWN] if kind != Expert.ExperienceKind.CLOSE_ONE else []),
        *([SearchEntry.Trait.CLOSE_ONE] if kind != Expert.ExperienceKind.OWN else []),
        *([SearchEntry.Trait.ONLINE] if expert.online else []),
        *([SearchEntry.Trait.CONTINUING] if expert.continuing_training_date else []),
    ]
    text = textsearch.document(
        {
            "fi": [expert.presentation_fi, *(name_fi for name_fi, _sv in vocabulary)],
            "sv": [expert.presentation_sv, *(name_sv for _fi, name_sv in vocabulary)],
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
        organisations=sorted({expert.responsible_organisation_id, *expert.other_organisations_ids}),
        themes=themes,
        life_situations=life_situations,
        task_types=sorted(expert.task_types_ids),
        languages=list(expert.languages),
        traits=traits,
        document=SearchVector(Value(text), config="simple"),
        words_digest=int.from_bytes(
            hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
        ),
    )


# What decides whether an entry changed: every column but the document, which its words'
# digest stands for.
COMPARED = [f.attname for f in SearchEntry._meta.concrete_fields if f.name != "document"]


def _compared(entry: SearchEntry) -> tuple:
    return tuple(getattr(entry, name) for name in COMPARED)


@transaction.atomic
def refresh_search_entries(*, expert_ids: Iterable[int], chunk_size: int = 1000) -> None:
    """Rewrite the search entries of these experts from their records: listed experts get a
    fresh entry, others lose theirs. Every service that changes what search shows calls this;
    a nightly task refreshes all entries (what a municipality's move to another region changes).
    An expert's relations are read as ids from their link tables, in the expert's own query.
    Only entries that changed are written: a nightly run that finds nothing new leaves the
    table, its indexes and its visibility map as they were, so counts stay index-only.

    Side effects: search entries written and deleted."""
    region_of = dict(Municipality.objects.values_list("pk", "region_id"))
    all_regions = set(Region.objects.values_list("pk", flat=True))
    names = {
        (model, pk): (name_fi, name_sv)
        for model in (Theme, LifeSituation)
        for pk, name_fi, name_sv in model.objects.values_list("pk", "name_fi", "name_sv")
    }
    ids = list(expert_ids)
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        experts = (
            Expert.objects.listed()
            .filter(pk__in=chunk)
            .annotate(**{f"{relation}_ids": _ids(relation) for relation in RELATIONS})
        )
        fresh = {
            entry.expert_id: entry
            for entry in (
                _search_entry(expert, names, region_of, all_regions) for expert in experts
            )
        }
        current = {
            entry.expert_id: _compared(entry)
            for entry in SearchEntry.objects.filter(expert_id__in=chunk).defer("document")
        }
        changed = {pk for pk, entry in fresh.items() if current.get(pk) != _compared(entry)}
        SearchEntry.objects.filter(
            expert_id__in=[pk for pk in current if pk in changed or pk not in fresh]
        ).delete()
        SearchEntry.objects.bulk_create(fresh[pk] for pk in changed)


def _matching_ids(query) -> list[int]:
    from django.http import QueryDict

    from .filters import ExpertFilter
    from .results import matching_ids

    data = query if isinstance(query, QueryDict) else QueryDict(query)
    expert_filter = ExpertFilter(data, queryset=SearchEntry.objects.all())
    if not expert_filter.is_valid():
        return []
    return matching_ids(expert_filter.qs, expert_filter.text_query, timezone.localdate())


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
