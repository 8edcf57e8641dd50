"""Fixtures of the expert-record tests (test_records*.py): experts of organisations A and B, and
organisation A's contact signed in."""

import pytest

from .factories import ExpertFactory


@pytest.fixture
def expert_a(org_a):
    return ExpertFactory(responsible_organisation=org_a, first_name="Aino", last_name="Aivonen")


@pytest.fixture
def expert_b(org_b):
    return ExpertFactory(responsible_organisation=org_b, first_name="Bertta", last_name="Syövänen")


@pytest.fixture
def client_a(client, contact_a):
    client.force_login(contact_a)
    return client
