"""Erasure: applying a plan, and the nightly retention rules that erase what has expired."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from .declarations import ERASED_DOMAIN, Person
from .discovery import registry
from .finding import Plan, plan


@transaction.atomic
def erase(the_plan: Plan) -> dict[str, int]:
    """Apply the plan: traces first (they need what the other rows said), then the entries
    children first (declared after their parents). Returns the counts per model."""
    ordered = [s for s in the_plan.sections if s.entry.late] + [
        s for s in reversed(the_plan.sections) if not s.entry.late
    ]
    for section in ordered:
        section.entry.erase.apply(section.queryset(), the_plan.person)
    return the_plan.counts


def person_from_rows(rows: Iterable[models.Model]) -> Person:
    """The emails and names in some records, without their accounts: what traces to scrub
    when only these records are erased."""
    emails, names = set(), set()
    for row in rows:
        person = Person.of(row)
        emails |= person.emails - {e for e in person.emails if e.endswith(ERASED_DOMAIN)}
        names |= person.names
    return Person(emails=frozenset(emails), names=frozenset(names))


def apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every app's retention rules; rows past their time are erased. One transaction and
    one audit row per rule that found rows. Returns the counts per rule."""
    from ..services import audit

    now = now or timezone.now()
    counts = {}
    for rule in registry().retention:
        cutoff = now - datetime.timedelta(days=rule.days)
        with transaction.atomic():
            queryset = rule.expired(cutoff)
            if rule.erase is not None:
                counts[rule.name] = count = queryset.count()
                if count:
                    rule.erase.apply(queryset, Person())
            else:
                pks = list(queryset.values_list("pk", flat=True))
                counts[rule.name] = count = len(pks)
                if count:
                    rows = queryset.model._default_manager.filter(pk__in=pks)
                    erase(plan(person_from_rows(rows), roots={queryset.model: pks}))
            if count:
                audit(
                    actor=None,
                    action=f"retention.{rule.name}",
                    data={"count": count, "days": rule.days},
                )
    return counts
