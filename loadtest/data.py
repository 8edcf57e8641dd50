"""The load test's data: the demo network scaled up, signed-in load users and the plan the
driver follows. Runs with Django set up against the load database (never the development one).
"""

from __future__ import annotations

import random
from datetime import timedelta
from importlib import import_module
from importlib.util import find_spec
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from kotove import demo
from kotove.models import MemberOrganisation, OrdererOrganisation, Role, User
from palaute.models import FeedbackLink, FormKind, Response
from pankki import bench
from pankki.models import Expert, Task

LOAD_DOMAIN = "load.kokemus.fi"


def build(*, experts: int, seed: int = 2026) -> None:
    """The demo network with `experts` experts, made as `load_demo` makes it: the demo users,
    two years of tasks, their feedback links and answers. Expects an empty, migrated database."""
    demo.load(seed=seed)
    for app in apps.get_app_configs():
        if app.name != "kotove" and find_spec(f"{app.name}.demo"):
            module = import_module(f"{app.name}.demo")
            if app.name == "pankki":
                module.load(seed=seed, experts=experts)
            else:
                module.load(seed=seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as after any mass import (README, Performance)


def _user(email: str, kind: str, **scope) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        first, last = email.split("@")[0].split("-", 1)
        user = User.objects.create_user(
            email, None, first_name=first.title(), last_name=last.title()
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Role.objects.create(user=user, kind=kind, **scope)
        if kind in Role.MFA_REQUIRED:
            demo.enrol_mfa(user)
    return user


def _session(user: User) -> str:
    """A signed-in session made on the server, as Django's test client makes one: the load
    clients skip the login form and, for contacts, the second factor (both are rate limited
    and not what is measured)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def searches(seed: int) -> list[str]:
    """Query strings: the search benchmark's mix (filters, text, both, distance), the bank's
    landing page and later pages of broad searches."""
    mix = [urlencode(params) for _kind, params in bench.query_mix(seed)]
    return mix + ["", "", "", "page=2", "page=3", "online=on&page=2", "language=sv"]


def plan(*, clients: int, base_url: str, seed: int = 7) -> dict:
    """What the driver needs: one orderer and one organisation contact session per client,
    the pages they open and the open listener links of recent tasks."""
    rng = random.Random(seed)
    orderer_organisations = list(OrdererOrganisation.objects.order_by("pk"))
    member_organisations = list(
        MemberOrganisation.objects.filter(
            pk__in=Expert.objects.values("responsible_organisation")
        ).order_by("pk")
    )
    orderers, contacts = [], []
    for n in range(clients):
        orderer = _user(
            f"tilaaja-{n}@{LOAD_DOMAIN}",
            Role.Kind.ORDERER,
            orderer_organisation=orderer_organisations[n % len(orderer_organisations)],
        )
        orderers.append(_session(orderer))
        contact = _user(
            f"yhteys-{n}@{LOAD_DOMAIN}",
            Role.Kind.ORGANISATION_CONTACT,
            member_organisation=member_organisations[n % len(member_organisations)],
        )
        records = list(Expert.objects.editable_by(contact).values_list("pk", flat=True))
        contacts.append(
            {"session": _session(contact), "records": rng.sample(records, min(len(records), 200))}
        )
    experts = list(Expert.objects.searchable().values_list("pk", flat=True))
    today = timezone.localdate()
    tokens = list(
        FeedbackLink.objects.filter(
            kind=FormKind.LISTENER,
            task__date__lte=today,
            task__date__gte=today - timedelta(days=settings.FEEDBACK_LINK_DAYS),
        )
        .exclude(task__status=Task.Status.CANCELLED)
        .values_list("token", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):  # the clients send no Accept-Language
        thanks = gettext("Thank you for your feedback")  # palaute's message (no new string)
    return {
        "base_url": base_url,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "paths": {
            "search": reverse("pankki:search"),
            "profile": reverse("pankki:expert", args=[0]),
            "record": reverse("pankki:record_edit", args=[0]),
            "answer": reverse("palaute:answer", args=["TOKEN"]),
        },
        "orderers": orderers,
        "contacts": contacts,
        "searches": searches(seed),
        "experts": rng.sample(experts, min(len(experts), 5000)),
        "tokens": tokens,
        "thanks": thanks,
    }


def feedback_answers() -> int:
    return Response.objects.count()
