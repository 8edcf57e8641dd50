"""Finding a person's rows: the plan that the export and the erasure both work from (the admin
shows it before anything is erased). Found once, before anything changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from .declarations import Person, PersonalData
from .discovery import registry


@dataclass
class Section:
    entry: PersonalData
    pks: list

    @property
    def model(self):
        return self.entry.model

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def queryset(self) -> QuerySet:
        return self.model._default_manager.filter(pk__in=self.pks)

    @property
    def erasure(self) -> str:
        return self.entry.describe_erasure()


@dataclass
class Plan:
    """Everything found about a person (or under some records): what the export holds and
    what erasure changes. Found once, before anything changes."""

    person: Person
    sections: list[Section]

    @property
    def counts(self) -> dict[str, int]:
        return {s.entry.label: len(s.pks) for s in self.sections}

    def found(self, model) -> list:
        return next((s.pks for s in self.sections if s.model is model), [])


def plan(person: Person, *, roots: dict[type, Iterable] | None = None) -> Plan:
    """Find the rows about `person`: each entry's own `find`, and the children (`via`) of
    whatever was found, until nothing new turns up; then the late entries (traces).

    With `roots` ({model: pks}) only those rows, their children and traces are found (a
    retention job erasing some records, not the whole person)."""
    entries = registry().entries
    found: dict[type, set] = {model: set(pks) for model, pks in (roots or {}).items()}
    early = [e for e in entries if not e.late]
    for _round in range(len(early) + 1):
        before = sum(len(pks) for pks in found.values())
        for entry in early:
            rows = set()
            if entry.find is not None and roots is None:
                rows |= set(entry.rows(person, found).values_list("pk", flat=True))
            for name in entry.via:
                parent = entry.model._meta.get_field(name).related_model
                if found.get(parent):
                    rows |= set(
                        entry.model._default_manager.filter(
                            **{f"{name}__in": found[parent]}
                        ).values_list("pk", flat=True)
                    )
            if rows:
                found.setdefault(entry.model, set()).update(rows)
        if sum(len(pks) for pks in found.values()) == before:
            break
    for entry in entries:
        if entry.late and entry.find is not None:
            rows = set(entry.rows(person, found).values_list("pk", flat=True))
            if rows:
                found.setdefault(entry.model, set()).update(rows)
    sections = [
        Section(entry, sorted(found[entry.model])) for entry in entries if found.get(entry.model)
    ]
    return Plan(person=person, sections=sections)
