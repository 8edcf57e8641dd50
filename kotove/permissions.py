"""Who may do what in the network's core."""

from django.contrib.auth.backends import BaseBackend


class PlannerBackend(BaseBackend):
    """Planners administer everything in Django admin; nobody else has model permissions.

    What admin still refuses (editing the audit log) each ModelAdmin refuses itself.
    """

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and user_obj.is_planner

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and user_obj.is_planner
