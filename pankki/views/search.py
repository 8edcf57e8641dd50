"""The bank's main page: orderers search experts, open their pages and save searches."""

from __future__ import annotations

import html
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.http import FileResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kotove import personal_data
from kotove.models import MemberOrganisation, Municipality, Role, User, localized_name
from kotove.services import audit, audit_view

from .. import services
from ..filters import ExpertFilter, names
from ..models import Expert, SavedSearch, SearchEntry, TaskType, Theme, WorkLanguage
from ..permissions import can_order, can_search, require
from ..results import results_page


@dataclass(frozen=True)
class Card:
    """What a result card shows, as text (cards_html draws it)."""

    pk: int
    url: str
    full_name: str
    municipality: str
    organisation: str
    themes: str  # empty unless the expert shows them
    languages: str
    task_types: str

    @classmethod
    def build(cls, *, themes, languages, task_types, **fields) -> Card:
        return cls(
            themes=", ".join(themes),
            languages=", ".join(languages),
            task_types=", ".join(task_types),
            **fields,
        )


CARD = (
    '<li><article class="card result-card" aria-labelledby="expert-{pk}">'
    '<h3 id="expert-{pk}"><a href="{url}{link_query}">{full_name}</a></h3>'
    '<dl class="facts">{facts}</dl>{choose}</article></li>'
)
FACT = "<dt>{}</dt><dd>{}</dd>"
CHOOSE = (
    '<div class="checkbox choose"><input type="checkbox" name="expert" value="{pk}" '
    'id="choose-{pk}"> <label for="choose-{pk}">{label}</label></div>'
)


def cards_html(cards: list[Card], *, link_query: str = "", can_order: bool = False) -> str:
    """The result cards as list items. A page has 20 cards, and drawn by a template, with a
    dozen variables each, they were the slowest part of a search page; every value is plain
    text, escaped here with html.escape. `link_query` is added to each card's link (the search
    to return to); orderers get a box to choose the expert for a request."""
    e = html.escape
    municipality, organisation, themes, languages, tasks = map(
        e, (_("Municipality"), _("Organisation"), _("Themes"), _("Languages"), _("Tasks"))
    )
    ask, link_query = _("Ask %(name)s"), e(link_query)
    items = []
    for card in cards:
        facts = [
            (municipality, card.municipality),
            (organisation, card.organisation),
            *([(themes, card.themes)] if card.themes else []),
            (languages, card.languages),
            *([(tasks, card.task_types)] if card.task_types else []),
        ]
        choose_label = e(ask % {"name": card.full_name})
        items.append(
            CARD.format(
                pk=card.pk,
                url=e(card.url),
                link_query=link_query,
                full_name=e(card.full_name),
                facts="".join(FACT.format(label, e(value)) for label, value in facts),
                choose=CHOOSE.format(pk=card.pk, label=choose_label) if can_order else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value escaped above


HEALTH_DATA = {"themes", "life_situations"}


def related_names(relation: str) -> ArraySubquery:
    """The names of an expert's entries in a many-to-many relation, in the page's language and
    the entries' own order, as one column of the expert's row. Themes and life situations are
    read only where the expert shows them."""
    field = Expert._meta.get_field(relation)
    expert = field.related_query_name()
    shown = {f"{expert}__show_health_data": True} if relation in HEALTH_DATA else {}
    entries = field.related_model.objects.filter(**{expert: OuterRef("pk")}, **shown)  # one join
    ordering = field.related_model._meta.ordering
    return ArraySubquery(entries.order_by(*ordering).values(name=localized_name()))


def result_cards(ids: list[int]) -> list[Card]:
    """The cards of a page of experts, in the order of `ids`, in one query of plain columns;
    names come from the cached vocabularies (filters.names). Filtering, counting and ordering
    read the search entries alone; only the page's experts are read."""
    rows = SearchEntry.objects.filter(expert_id__in=ids).values_list(
        "expert_id",
        "expert__first_name",
        "expert__last_name",
        "home_municipality_id",
        "expert__responsible_organisation_id",
        "themes",  # only where the expert shows them
        "expert__languages",
        "task_types",
    )
    municipalities, organisations, themes, task_types = names(
        Municipality, MemberOrganisation, Theme, TaskType
    )
    labels = dict(WorkLanguage.choices)
    url = reverse("pankki:expert", args=[0])  # one reverse() a page, not one a card
    cards = {
        pk: Card.build(
            pk=pk,
            url=url.replace("/0/", f"/{pk}/"),
            full_name=f"{first} {last}",
            municipality=municipalities[municipality],
            organisation=organisations[organisation],
            themes=in_order(themes, theme_ids),
            languages=[str(labels.get(code, code)) for code in languages],
            task_types=in_order(task_types, task_type_ids),
        )
        for pk, first, last, municipality, organisation, theme_ids, languages, task_type_ids in rows
    }
    return [cards[pk] for pk in ids if pk in cards]


def in_order(named: dict[int, str], pks: list[int]) -> list[str]:
    """The names of these entries, in the vocabulary's own order."""
    chosen = set(pks)
    return [name for pk, name in named.items() if pk in chosen]


def search_url(query: str = "") -> str:
    """The search page with the choices in `query`, a search's query string as a page passes
    it on (the expert's page, the request form): re-encoded, so it can only be parameters."""
    params = QueryDict(query).urlencode()
    return f"{reverse('pankki:search')}?{params}" if params else reverse("pankki:search")


def clean_filter(request):
    """The filter over the GET parameters; invalid ones are dropped with a message."""
    data = request.GET.copy()
    data.pop("page", None)
    expert_filter = ExpertFilter(data, queryset=SearchEntry.objects.all(), request=request)
    if not expert_filter.is_valid():
        ignored = [str(expert_filter.form.fields[name].label) for name in expert_filter.errors]
        for name in expert_filter.errors:
            data.pop(name, None)
        messages.warning(
            request,
            _("Some search choices were not valid and were ignored: %(fields)s.")
            % {"fields": ", ".join(ignored)},
        )
        expert_filter = ExpertFilter(data, queryset=SearchEntry.objects.all(), request=request)
        expert_filter.is_valid()
    return expert_filter, data


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the search"), max_length=100)


@login_required
@require_http_methods(["GET", "POST"])
def search(request):
    require(can_search(request.user))
    expert_filter, data = clean_filter(request)
    save_form = SaveSearchForm(request.POST or None)
    if request.method == "POST" and save_form.is_valid():
        services.save_search(user=request.user, name=save_form.cleaned_data["name"], query=data)
        messages.success(
            request, _("The search was saved. We email you when new experts match it.")
        )
        return redirect(f"{request.path}?{data.urlencode()}")
    page = results_page(
        expert_filter.qs,
        text_query=expert_filter.text_query,
        number=request.GET.get("page"),
        day=timezone.localdate(),
    )
    page.object_list = result_cards(page.object_list)
    audit_view(
        request=request,
        action="expert.search",
        keys=personal_data.record_keys(Expert, [c.pk for c in page.object_list if c.themes]),
    )
    context = {
        "filter": expert_filter,
        "page": page,
        "query": data.urlencode(),
        # The expert's page links back to this search (search_url).
        "cards": cards_html(
            page.object_list,
            link_query=f"?{urlencode({'search': request.GET.urlencode()})}" if request.GET else "",
            can_order=can_order(request.user),
        ),
        "save_form": save_form,
        "template": "pankki/_results.html",
        "can_order": can_order(request.user),
    }
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "pankki/_results.html", context)
    return render(request, "pankki/search.html", context)


def organisation_contacts(expert: Expert) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            roles__in=Role.objects.current().filter(
                kind=Role.Kind.ORGANISATION_CONTACT,
                member_organisation=expert.responsible_organisation_id,
            ),
        ).distinct()
    )


@login_required
def expert_detail(request, pk):
    """The expert's page for orderers, with the contact details the expert allows.
    Every view is audited: it may show health data."""
    require(can_search(request.user))
    expert = get_object_or_404(
        Expert.objects.searchable()
        .select_related("home_municipality", "responsible_organisation")
        # its lists as names, in its own query
        .annotate(**{f"{relation}_names": related_names(relation) for relation in Expert.LISTS}),
        pk=pk,
    )
    audit(actor=request.user, action="expert.view", obj=expert, request=request)
    direct = expert.contact_visibility == Expert.ContactVisibility.DIRECT
    return render(
        request,
        "pankki/expert_detail.html",
        {
            "expert": expert,
            "direct": direct,
            "contacts": [] if direct else organisation_contacts(expert),
            "can_order": can_order(request.user),
            "search_url": search_url(request.GET.get("search", "")),
        },
    )


@login_required
def expert_photo(request, pk):
    """Photos are personal data: served only to those who may see the expert's page or record."""
    user = request.user
    visible = Expert.objects.none()
    if can_search(user):
        visible = Expert.objects.searchable()
    visible = visible | Expert.objects.editable_by(user) | Expert.objects.filter(user=user)
    expert = get_object_or_404(visible.exclude(photo=""), pk=pk)
    response = FileResponse(expert.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_http_methods(["GET"])
def saved_searches(request):
    require(can_search(request.user))
    return render(
        request,
        "pankki/saved_search_list.html",
        {"searches": SavedSearch.objects.filter(user=request.user)},
    )


@login_required
@require_POST
def delete_saved_search(request, pk):
    require(can_search(request.user))
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.delete_saved_search(saved_search=saved, by=request.user)
    messages.success(request, _("The saved search was removed."))
    return redirect("pankki:saved_searches")
