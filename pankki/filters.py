"""The bank's search filters (django-filter).

Choice lists come from the cache (five minutes) so a search page costs the same few queries
whatever is chosen; a vocabulary edited in admin shows up within five minutes.
"""

from __future__ import annotations

import math

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, Municipality, Region

from . import textsearch
from .models import Expert, LifeSituation, TaskType, Theme, WorkLanguage

CHOICE_TTL = 300


def _cached(key: str, build):
    key = f"pankki:{key}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CHOICE_TTL)
    return value


def _choices(model, **filters):
    return lambda: _cached(
        f"choices:{model._meta.model_name}",
        lambda: [(obj.pk, str(obj)) for obj in model.objects.filter(**filters)],
    )


def theme_choices():
    def build():
        groups: dict[str, list] = {}
        themes = Theme.objects.filter(is_active=True).select_related("organisation")
        for theme in themes.order_by("organisation__name_fi", "name_fi"):
            group = str(theme.organisation) if theme.organisation else str(_("Other themes"))
            groups.setdefault(group, []).append((theme.pk, str(theme)))
        return list(groups.items())

    return _cached("choices:theme", build)


def municipality_choices():
    return _cached(
        "choices:municipality",
        lambda: sorted(((m.pk, str(m)) for m in Municipality.objects.all()), key=lambda c: c[1]),
    )


def municipality_points() -> dict[int, tuple[float, float, int]]:
    """Each municipality's centre and region, from the cache."""
    points = cache.get("pankki:municipality-points")
    if points is None:
        points = {m.pk: (m.latitude, m.longitude, m.region_id) for m in Municipality.objects.all()}
        cache.set("pankki:municipality-points", points, CHOICE_TTL)
    return points


def municipalities_within(municipality_id: int, km: float) -> list[int]:
    """Municipalities whose centre lies within `km` of the chosen one's (haversine)."""
    points = municipality_points()
    lat1, lon1 = map(math.radians, points[municipality_id][:2])
    found = []
    for pk, (lat, lon, _region) in points.items():
        lat2, lon2 = math.radians(lat), math.radians(lon)
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        if 2 * 6371 * math.asin(math.sqrt(a)) <= km:
            found.append(pk)
    return found


class FastSelect(forms.Select):
    """Renders its options in Python. The municipality lists have 308 options each, and
    Django's template per option would make every search page slow."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}

        def options(choices):
            for key, label in choices:
                if isinstance(label, list | tuple):
                    inner = mark_safe("".join(options(label)))  # noqa: S308 - built by format_html
                    yield format_html('<optgroup label="{}">{}</optgroup>', key, inner)
                else:
                    mark = " selected" if str(key) in selected else ""
                    yield format_html('<option value="{}"{}>{}</option>', key, mark, label)

        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        body = mark_safe("".join(options(self.choices)))  # noqa: S308 - built by format_html
        return format_html('<select name="{}"{}>{}</select>', name, attrs, body)


def _has(relation: str, **lookups):
    through = getattr(Expert, relation).through
    return Exists(through.objects.filter(expert_id=OuterRef("pk"), **lookups))


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search words"),
        method="filter_text",
        help_text=_('For example: diabetes nurses. Use "quotes" for a phrase, or, and -word.'),
    )
    municipality = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Available in municipality"),
        choices=municipality_choices,
        method="filter_municipality",
        empty_label=_("Any municipality"),
    )
    region = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Available in region"),
        choices=_choices(Region),
        method="filter_region",
        empty_label=_("Any region"),
    )
    near = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Lives near municipality"),
        choices=municipality_choices,
        method="filter_nothing",
        empty_label=_("Choose a municipality"),
    )
    distance = django_filters.NumberFilter(
        label=_("Distance at most (km)"), method="filter_nothing", min_value=1, max_value=1500
    )
    theme = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Theme or diagnosis"),
        choices=theme_choices,
        method="filter_theme",
        empty_label=_("Any theme"),
    )
    life_situation = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Life situation"),
        choices=_choices(LifeSituation, is_active=True),
        method="filter_life_situation",
        empty_label=_("Any life situation"),
    )
    experience = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Experience"),
        choices=[
            (Expert.ExperienceKind.OWN, _("Own experience")),
            (Expert.ExperienceKind.CLOSE_ONE, _("Close one's experience")),
        ],
        method="filter_experience",
        empty_label=_("Either"),
    )
    organisation = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Organisation"),
        choices=_choices(MemberOrganisation, is_active=True),
        method="filter_organisation",
        empty_label=_("Any organisation"),
    )
    task_type = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Task type"),
        choices=_choices(TaskType, is_active=True),
        method="filter_task_type",
        empty_label=_("Any task type"),
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Working language"),
        choices=WorkLanguage.choices,
        method="filter_language",
        widget=forms.CheckboxSelectMultiple,
    )
    online = django_filters.BooleanFilter(
        label=_("Takes online tasks"),
        method="filter_online",
        widget=forms.CheckboxInput,
    )
    continuing = django_filters.BooleanFilter(
        label=_("Has the developer-influencer training"),
        method="filter_continuing",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Expert
        fields: list[str] = []

    # True after filtering when the words had nothing searchable (only stop words or symbols).
    empty_text = False

    def filter_nothing(self, queryset, name, value):
        return queryset  # near and distance act together in filter_queryset

    def filter_text(self, queryset, name, value):
        expression = textsearch.to_tsquery(value)
        if expression is None:
            self.empty_text = bool(value.strip())
            return queryset.none() if self.empty_text else queryset
        query = SearchQuery(expression, search_type="raw", config="simple")
        return queryset.filter(search__document=query).annotate(
            rank=SearchRank(F("search__document"), query)
        )

    def filter_municipality(self, queryset, name, value):
        region = municipality_points()[int(value)][2]
        return queryset.filter(
            Q(home_municipality=value)
            | Q(travels_all_finland=True)
            | _has("travel_municipalities", municipality=value)
            | _has("travel_regions", region=region)
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            Q(home_municipality__region=value)
            | Q(travels_all_finland=True)
            | _has("travel_regions", region=value)
            | _has("travel_municipalities", municipality__region=value)
        )

    def filter_theme(self, queryset, name, value):
        # Themes are health data: only experts who show them can be found by them.
        return queryset.filter(_has("themes", theme=value), show_health_data=True)

    def filter_life_situation(self, queryset, name, value):
        return queryset.filter(_has("life_situations", lifesituation=value), show_health_data=True)

    def filter_experience(self, queryset, name, value):
        return queryset.filter(experience_kind__in=[value, Expert.ExperienceKind.BOTH])

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(
            Q(responsible_organisation=value)
            | _has("other_organisations", memberorganisation=value)
        )

    def filter_task_type(self, queryset, name, value):
        return queryset.filter(_has("task_types", tasktype=value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__overlap=value) if value else queryset

    def filter_online(self, queryset, name, value):
        return queryset.filter(online=True) if value else queryset

    def filter_continuing(self, queryset, name, value):
        return queryset.filter(continuing_training_date__isnull=False) if value else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        near, distance = self.form.cleaned_data.get("near"), self.form.cleaned_data.get("distance")
        if near and distance:
            queryset = queryset.filter(
                home_municipality__in=municipalities_within(int(near), float(distance))
            )
        return queryset

    @property
    def has_text(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get("q"))
