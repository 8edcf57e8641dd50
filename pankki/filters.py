"""The bank's search filters (django-filter).

Choice lists, and the selects' rendered options, come from the cache (five minutes) so a
search page costs the same few queries whatever is chosen. Themes, life situations and task
types edited in the bank's admin show at once in the process that saved them and within
LOCAL_TTL seconds in the others (forget_choices); regions, municipalities and organisations,
edited in the network's admin, within five minutes.
"""

from __future__ import annotations

import math

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.choices import flatten_choices
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, Municipality, Region, localized_name

from . import textsearch
from .models import Expert, LifeSituation, SearchEntry, TaskType, Theme, WorkLanguage

CHOICE_TTL = 300
# Each process keeps what it read from Redis for a few seconds too: a search page reads its
# vocabularies four times, and each Redis read cost more than half a millisecond.
LOCAL_TTL = 5
LOCAL = LocMemCache("pankki-vocabularies", {"TIMEOUT": LOCAL_TTL})


class Cached:
    """A value built from the database (a choice list, rendered options) and cached per
    language for CHOICE_TTL. Calling it gives the value; read_cached() reads several at once."""

    def __init__(self, key: str, build):
        self.key, self.build = key, build

    def __call__(self):
        return read_cached(self)[0]


def read_cached(*values: Cached) -> list:
    """The values, in one cache read; those missing are built and cached."""
    language = get_language()
    keys = [f"pankki:{value.key}:{language}" for value in values]
    found = LOCAL.get_many(keys)
    if len(found) < len(keys):
        shared = cache.get_many([key for key in keys if key not in found])
        built = {
            key: value.build()
            for key, value in zip(keys, values, strict=True)
            if key not in found and key not in shared
        }
        if built:
            cache.set_many(built, CHOICE_TTL)
        LOCAL.set_many({**shared, **built})
        found |= shared | built
    return [found[key] for key in keys]


def _choices(model, **filters) -> Cached:
    return Cached(
        f"choices:{model._meta.model_name}",
        lambda: [(obj.pk, str(obj)) for obj in model.objects.filter(**filters)],
    )


def experience_choices():
    return [
        (Expert.ExperienceKind.OWN, _("Own experience")),
        (Expert.ExperienceKind.CLOSE_ONE, _("Close one's experience")),
    ]


def _themes() -> list:
    groups: dict[str, list] = {}
    themes = Theme.objects.filter(is_active=True).select_related("organisation")
    for theme in themes.order_by(localized_name("organisation__"), localized_name()):
        group = str(theme.organisation) if theme.organisation else str(_("Other themes"))
        groups.setdefault(group, []).append((theme.pk, str(theme)))
    return list(groups.items())


theme_choices = Cached("choices:theme", _themes)
municipality_choices = Cached(
    "choices:municipality",
    lambda: sorted(((m.pk, str(m)) for m in Municipality.objects.all()), key=lambda c: c[1]),
)
region_choices = _choices(Region)
life_situation_choices = _choices(LifeSituation, is_active=True)
organisation_choices = _choices(MemberOrganisation, is_active=True)
task_type_choices = _choices(TaskType, is_active=True)
SELECTS = {
    "municipality": municipality_choices,
    "region": region_choices,
    "theme": theme_choices,
    "life_situation": life_situation_choices,
    "experience": experience_choices,
    "organisation": organisation_choices,
    "task_type": task_type_choices,
}


def _options_html(choices) -> str:
    def options(choices):
        for key, label in choices:
            if isinstance(label, list | tuple):
                inner = mark_safe("".join(options(label)))  # noqa: S308 - built by format_html
                yield format_html('<optgroup label="{}">{}</optgroup>', key, inner)
            else:
                yield format_html('<option value="{}">{}</option>', key, label)

    return "".join(options(choices))


# The <option> elements of every select, rendered once and cached together.
rendered_options = Cached(
    "options", lambda: {key: _options_html(choices()) for key, choices in SELECTS.items()}
)


def names(*models) -> list[dict[int, str]]:
    """Every entry's name by id, retired ones too, in the models' own order and the page's
    language: one cache read for all the models."""
    return read_cached(
        *(
            Cached(
                f"names:{model._meta.model_name}",
                lambda model=model: {obj.pk: str(obj) for obj in model.objects.all()},
            )
            for model in models
        )
    )


def forget_choices() -> None:
    """Drop the cached choice lists, so that an edited vocabulary shows at once."""
    vocabularies = ("theme", "lifesituation", "tasktype", "audience")
    keys = [
        *(f"choices:{name}" for name in vocabularies),
        *(f"form:{name}" for name in vocabularies),
        *(f"names:{name}" for name in vocabularies),
        "options",
    ]
    keys = [f"pankki:{key}:{language}" for key in keys for language, _name in settings.LANGUAGES]
    cache.delete_many(keys)
    LOCAL.delete_many(keys)


# Each municipality's centre (latitude and longitude in radians) and region.
municipality_points = Cached(
    "municipality-points",
    lambda: {
        m.pk: (math.radians(m.latitude), math.radians(m.longitude), m.region_id)
        for m in Municipality.objects.all()
    },
)


def municipalities_within(municipality_id: int, km: float) -> list[int]:
    """Municipalities whose centre lies within `km` of the chosen one's (haversine)."""
    points = municipality_points()
    lat1, lon1, _region = points[municipality_id]
    cos_lat1, limit = math.cos(lat1), math.sin(km / (2 * 6371)) ** 2
    return [
        pk
        for pk, (lat2, lon2, _region) in points.items()
        if math.sin((lat2 - lat1) / 2) ** 2
        + cos_lat1 * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        <= limit
    ]


class FastSelect(forms.Select):
    """A select whose options are rendered once per language and cached (rendered_options;
    ExpertFilter fetches all its selects' in one cache read) and only marked here with the
    chosen ones. The municipality lists have 308 options each, and a template, or even
    format_html, per option would make every search page and record form slow."""

    def __init__(self, *, key: str, empty_label=None, attrs=None):
        super().__init__(attrs)
        self.key, self.empty_label, self.options = key, empty_label, ""

    def render(self, name, value, attrs=None, renderer=None):
        body = self.options or rendered_options()[self.key]
        for chosen in self.format_value(value):
            option = format_html('<option value="{}">', chosen)
            body = body.replace(option, f"{option[:-1]} selected>", 1)
        if self.empty_label is not None and not self.allow_multiple_selected:
            body = format_html('<option value="">{}</option>', self.empty_label) + body
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(attrs),
            mark_safe(body),  # noqa: S308 - built by format_html
        )


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    """FastSelect for several choices."""


class CachedChoiceField(django_filters.fields.ChoiceField):
    """A choice field that checks a value against a set of its choices' keys: Django would
    normalise each of the 308 municipalities on every search."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, **kwargs)
        self.source = choices

    def valid_value(self, value):
        return str(value) in {str(key) for key, _label in flatten_choices(self.source())}


class CachedChoiceFilter(django_filters.ChoiceFilter):
    field_class = CachedChoiceField


def select_filter(*, key: str, empty_label, **kwargs) -> django_filters.ChoiceFilter:
    return CachedChoiceFilter(
        empty_label=empty_label, widget=FastSelect(key=key, empty_label=empty_label), **kwargs
    )


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search words"),
        method="filter_text",
        help_text=_(
            'For example: diabetes omainen. Put a phrase in "quotes", write or between '
            "alternatives and -word to leave a word out."
        ),
    )
    municipality = select_filter(
        label=_("Available in municipality"),
        choices=municipality_choices,
        key="municipality",
        method="filter_municipality",
        empty_label=_("Any municipality"),
    )
    region = select_filter(
        label=_("Available in region"),
        choices=region_choices,
        key="region",
        method="filter_region",
        empty_label=_("Any region"),
    )
    near = select_filter(
        label=_("Lives near municipality"),
        choices=municipality_choices,
        key="municipality",
        method="filter_nothing",
        empty_label=_("Choose a municipality"),
    )
    distance = django_filters.NumberFilter(
        label=_("Distance at most (km)"), method="filter_nothing", min_value=1, max_value=1500
    )
    theme = select_filter(
        label=_("Theme or diagnosis"),
        choices=theme_choices,
        key="theme",
        method="filter_theme",
        empty_label=_("Any theme"),
    )
    life_situation = select_filter(
        label=_("Life situation"),
        choices=life_situation_choices,
        key="life_situation",
        method="filter_life_situation",
        empty_label=_("Any life situation"),
    )
    experience = select_filter(
        label=_("Experience"),
        choices=experience_choices,
        key="experience",
        method="filter_experience",
        empty_label=_("Either"),
    )
    organisation = select_filter(
        label=_("Organisation"),
        choices=organisation_choices,
        key="organisation",
        method="filter_organisation",
        empty_label=_("Any organisation"),
    )
    task_type = select_filter(
        label=_("Task type"),
        choices=task_type_choices,
        key="task_type",
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
        model = SearchEntry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = rendered_options()  # one cache read for every select
        for search_filter in self.filters.values():
            widget = search_filter.extra.get("widget")
            if isinstance(widget, FastSelect):
                widget.options = options[widget.key]

    # After filtering: the search words' full-text query, or None; and whether the words had
    # nothing searchable (only stop words or symbols). The words are not matched in `qs`:
    # results.py matches them, through their index or not, depending on the page.
    text_query = None
    empty_text = False

    def filter_nothing(self, queryset, name, value):
        return queryset  # near and distance act together in filter_queryset

    def filter_text(self, queryset, name, value):
        expression = textsearch.to_tsquery(value)
        if expression is None:
            self.empty_text = bool(value.strip())
            return queryset.none() if self.empty_text else queryset
        self.text_query = SearchQuery(expression, search_type="raw", config="simple")
        return queryset

    def filter_municipality(self, queryset, name, value):
        region = municipality_points()[int(value)][2]
        return queryset.filter(
            Q(municipalities__contains=[int(value)]) | Q(whole_regions__contains=[region])
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(regions__contains=[int(value)])

    def filter_theme(self, queryset, name, value):
        return queryset.filter(themes__contains=[int(value)])  # only where the expert shows it

    def filter_life_situation(self, queryset, name, value):
        return queryset.filter(life_situations__contains=[int(value)])

    def filter_experience(self, queryset, name, value):
        return queryset.filter(traits__contains=[value])

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(organisations__contains=[int(value)])

    def filter_task_type(self, queryset, name, value):
        return queryset.filter(task_types__contains=[int(value)])

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__overlap=value) if value else queryset

    def filter_online(self, queryset, name, value):
        trait = SearchEntry.Trait.ONLINE
        return queryset.filter(traits__contains=[trait]) if value else queryset

    def filter_continuing(self, queryset, name, value):
        trait = SearchEntry.Trait.CONTINUING
        return queryset.filter(traits__contains=[trait]) if value else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        near, distance = self.form.cleaned_data.get("near"), self.form.cleaned_data.get("distance")
        if near and distance:
            queryset = queryset.filter(
                home_municipality__in=municipalities_within(int(near), float(distance))
            )
        return queryset
