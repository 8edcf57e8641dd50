"""Erasure and retention over the whole demo network: every app's privacy.py together, so a
model that lands later is checked by its own demo data. (Each test's changes are rolled back.)"""

import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from freezegun import freeze_time

from kotove import services
from kotove.personal_data import apply_retention, registry
from pankki.models import Expert

from .conftest import SITE, role_users

pytestmark = SITE


def traces(terms: set[str]) -> list[str]:
    """The columns of any table in which one of `terms` still appears."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                rows = model._default_manager.all()
                column = field.name
            elif isinstance(field, models.JSONField):
                rows = model._default_manager.annotate(_text=Cast(field.name, TextField()))
                column = "_text"
            else:
                continue
            condition = Q()
            for term in terms:
                condition |= Q(**{f"{column}__icontains": term})
            if rows.filter(condition).exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_erasing_every_demo_person_leaves_no_trace_of_them(site):
    people = [user for user in role_users().values() if user is not None]
    terms = set()
    for user in people:
        terms |= {user.email, user.get_full_name()}
        for expert in Expert.objects.filter(user=user):
            terms |= {expert.email, expert.full_name}
    assert traces(terms)  # the demo data names them everywhere before
    counts = {}
    for user in people:
        for label, count in services.erase_personal_data(obj=user, by=None).items():
            counts[label] = counts.get(label, 0) + count
    assert not traces(terms), (
        "Erasure left the name or email of an erased person in these columns: declare the "
        "model in its app's privacy.py so that erasure removes them."
    )
    assert counts["kotove.user"] == len(people) and counts["pankki.expert"] >= 1


def test_retention_rules_run_once_over_the_demo_data(site):
    later = timezone.now() + datetime.timedelta(days=3650)
    with freeze_time(later):
        first = apply_retention()
        second = apply_retention()
    assert set(first) == {rule.name for rule in registry().retention}
    assert first["left_experts"] > 0 and first["audit_log"] > 0
    assert not any(second.values()), f"a rule found the same rows again: {second}"
