"""The signed-in user is read with their current roles in one query."""

import datetime

from django.utils import timezone

from kotove.models import Role
from kotove.permissions import UserWithRolesBackend
from tests.factories import RoleFactory, UserFactory


def test_user_and_current_roles_in_one_query(db, orderer, django_assert_num_queries):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleFactory(user=orderer, kind=Role.Kind.EXPERT, ends_on=yesterday)  # ended: not current
    label = str(orderer.active_roles[0])  # e.g. "Orderer (Hospital)"
    with django_assert_num_queries(1):
        user = UserWithRolesBackend().get_user(orderer.pk)
        assert user == orderer
        assert [role.kind for role in user.active_roles] == [Role.Kind.ORDERER]
        assert str(user.active_roles[0]) == label  # with its scope
        assert user.active_roles[0].user is user


def test_user_without_roles_and_inactive_user(db):
    backend = UserWithRolesBackend()
    nobody = UserFactory()
    assert backend.get_user(nobody.pk) == nobody
    assert backend.get_user(nobody.pk).active_roles == []
    inactive = RoleFactory(kind=Role.Kind.EXPERT, user=UserFactory(is_active=False)).user
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(10**9) is None


def test_pages_sign_in_through_it(client, orderer):
    client.force_login(orderer)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.active_roles[0].kind == Role.Kind.ORDERER
