"""What a report covers, as query filters, and where a task or an expert belongs.

- A task belongs to the regional area of its municipality's region. An online task without a
  municipality belongs to the area of its expert's home municipality: that is where the
  expert is active, and the orderer's place is not known.
- A task belongs to its expert's responsible organisation.
- An expert belongs to the area of their home municipality and to their responsible
  organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.db.models import BigIntegerField, Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kotove.models import Area, MemberOrganisation

from ..models import Report


def place_region(task: str = ""):
    """The region a task counts in (see the module's docstring); `task` is the path to it."""
    return Coalesce(F(f"{task}municipality__region"), F(f"{task}expert__home_municipality__region"))


def region_areas() -> dict[int, int]:
    """Region id -> area id (each region belongs to one area)."""
    return dict(Area.regions.through.objects.values_list("region_id", "area_id"))


def area_of(region: str, mapping: dict[int, int]):
    """The area id of the region in the field or annotation `region`, in SQL; None for a
    region in no area."""
    whens = [When(**{region: region_id}, then=Value(area)) for region_id, area in mapping.items()]
    if not whens:
        return Value(None, output_field=BigIntegerField())
    return Case(*whens, default=None, output_field=BigIntegerField())


@dataclass(frozen=True)
class Scope:
    kind: str
    area: Area | None = None
    organisation: MemberOrganisation | None = None

    @classmethod
    def of(cls, report: Report) -> Scope:
        return cls(report.scope, report.area, report.organisation)

    @property
    def is_network(self) -> bool:
        return self.kind == Report.Scope.NETWORK

    @property
    def is_area(self) -> bool:
        return self.kind == Report.Scope.AREA

    @property
    def is_organisation(self) -> bool:
        return self.kind == Report.Scope.ORGANISATION

    @cached_property
    def region_ids(self) -> list[int]:
        return list(self.area.regions.values_list("pk", flat=True)) if self.area else []

    def tasks(self, queryset, task: str = ""):
        """`queryset` (of tasks, or of rows reaching a task by the path `task`) in scope, with
        `place_region` annotated: the region the task counts in."""
        queryset = queryset.annotate(place_region=place_region(task))
        if self.is_area:
            return queryset.filter(place_region__in=self.region_ids)
        if self.is_organisation:
            return queryset.filter(**{f"{task}expert__responsible_organisation": self.organisation})
        return queryset

    def experts(self, queryset, expert: str = ""):
        """`queryset` (of experts, or of rows reaching one by the path `expert`) in scope."""
        if self.is_area:
            return queryset.filter(**{f"{expert}home_municipality__region__in": self.region_ids})
        if self.is_organisation:
            return queryset.filter(**{f"{expert}responsible_organisation": self.organisation})
        return queryset


@dataclass
class Context:
    """Everything the sections share: the year, the scope, the version, and names by id."""

    year: int
    scope: Scope
    for_planner: bool
    today: date
    region_area: dict[int, int] = field(default_factory=region_areas)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The first day after the year."""
        return date(self.year + 1, 1, 1)

    @property
    def until(self) -> date:
        """The first day not counted: tasks after the day the report is built have not been
        held yet."""
        return min(self.end, self.today + timedelta(days=1))

    @cached_property
    def area_names(self) -> dict[int | None, str]:
        return {area.pk: str(area) for area in Area.objects.all()} | {
            None: str(_("No regional area"))
        }

    @cached_property
    def organisation_names(self) -> dict[int, str]:
        return {org.pk: str(org) for org in MemberOrganisation.objects.all()}

    @cached_property
    def listed_organisations(self) -> list[int]:
        """The organisations a breakdown lists even without figures: every active member
        organisation in the network report."""
        if not self.scope.is_network:
            return []
        return list(MemberOrganisation.objects.filter(is_active=True).values_list("pk", flat=True))

    @cached_property
    def listed_areas(self) -> list[int]:
        """The areas a breakdown lists even without figures: all of them."""
        return [pk for pk in self.area_names if pk is not None]

    def area_column(self, region: str):
        return area_of(region, self.region_area)
