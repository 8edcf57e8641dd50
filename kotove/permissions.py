"""Who may do what in the network's core."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import BaseBackend

from .models import Role


class PlannerBackend(BaseBackend):
    """Planners administer everything in Django admin; nobody else has model permissions.

    What admin still refuses (editing the audit log) each ModelAdmin refuses itself.
    """

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and user_obj.is_planner

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and user_obj.is_planner


class UserWithRolesBackend(AuthenticationBackend):
    """allauth's backend, reading the signed-in user and their current roles in one query:
    every page needs both (User.active_roles), and a second query cost each page a
    millisecond."""

    def get_user(self, user_id):
        roles = list(
            Role.objects.current().with_scopes().filter(user_id=user_id).select_related("user")
        )
        if not roles:
            return super().get_user(user_id)
        user = roles[0].user
        for role in roles:
            role.user = user
        user.__dict__["active_roles"] = roles
        return user if self.user_can_authenticate(user) else None
