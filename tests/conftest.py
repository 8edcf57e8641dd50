"""Standard actors: planner, contact of organisation A and B, orderer, secretary of area X
and Y, expert, national group member, anonymous. Roles that must use MFA come enrolled."""

import os
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from kotove.celery import app as celery_app
from kotove.demo import enrol_mfa
from kotove.models import MemberOrganisation, Role
from pankki import filters

from .factories import OrdererOrganisationFactory, RoleFactory, area

# Tasks run in the test process; one test runs a real worker (tests/kotove/test_celery_worker.py).
celery_app.conf.task_always_eager = True


@pytest.fixture(scope="session", autouse=True)
def _own_cache_per_worker():
    """Parallel test processes (pytest-xdist) each get their own Redis database, so one
    process's cache.clear() never wipes another's sessions and rate-limit counters."""
    worker_id = os.environ.get("PYTEST_XDIST_WORKER")
    if worker_id is None:
        yield
        return
    offset = int(worker_id.removeprefix("gw")) + 1
    location, found = re.subn(
        r"(db=|/)(\d+)$",
        lambda match: f"{match[1]}{int(match[2]) + offset}",
        settings.CACHES["default"]["LOCATION"],
    )
    if not found:  # no database named: redis-py's default is 0
        location += f"?db={offset}"
    with override_settings(
        CACHES={"default": {**settings.CACHES["default"], "LOCATION": location}}
    ):
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    filters.LOCAL.clear()
    yield


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what services queue with transaction.on_commit (emails) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_actor(kind, *, mfa=True, **scope):
    role = RoleFactory(kind=kind, **scope)
    if mfa and kind in Role.MFA_REQUIRED:
        enrol_mfa(role.user)
    return role.user


@pytest.fixture
def org_a(db):
    return MemberOrganisation.objects.get(name_fi="Aivoliitto")


@pytest.fixture
def org_b(db):
    return MemberOrganisation.objects.get(name_fi="Suomen Syöpäyhdistys")


@pytest.fixture
def orderer_org(db):
    return OrdererOrganisationFactory(name="Testin hyvinvointialue")


@pytest.fixture
def area_x(db):
    return area("Pirkanmaa")


@pytest.fixture
def area_y(db):
    return area("Uusimaa")


@pytest.fixture
def planner(db):
    return make_actor(Role.Kind.PLANNER)


@pytest.fixture
def contact_a(org_a):
    return make_actor(Role.Kind.ORGANISATION_CONTACT, member_organisation=org_a)


@pytest.fixture
def contact_b(org_b):
    return make_actor(Role.Kind.ORGANISATION_CONTACT, member_organisation=org_b)


@pytest.fixture
def orderer(orderer_org):
    return make_actor(Role.Kind.ORDERER, orderer_organisation=orderer_org)


@pytest.fixture
def secretary_x(area_x):
    return make_actor(Role.Kind.REGIONAL_SECRETARY, area=area_x)


@pytest.fixture
def secretary_y(area_y):
    return make_actor(Role.Kind.REGIONAL_SECRETARY, area=area_y)


@pytest.fixture
def national_member(db):
    return make_actor(Role.Kind.NATIONAL_GROUP)


@pytest.fixture
def expert_user(db):
    return make_actor(Role.Kind.EXPERT)


ACTORS = [
    "anonymous",
    "planner",
    "contact_a",
    "contact_b",
    "orderer",
    "secretary_x",
    "secretary_y",
    "national_member",
    "expert_user",
]


@pytest.fixture
def actor_client(request, client, db):
    """A client signed in as the actor named by the test's `actor` parameter."""

    def sign_in(name):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
