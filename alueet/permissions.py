"""Who may see and change what in the steering groups. Objects a user may not see, or may not
change through a write URL, answer 404.

- Anyone reads the groups' public contact details, and the public links (answers, nominations
  by units and stakeholders, candidate lists and draws, unsubscribing).
- A group's chair, secretary and members (kotove.Role scoped to the area) read its pages; the
  national steering group and the planner read every group's.
- The chair and the secretary manage their own group; the planner manages all.
- The national steering group and the planner decide development grants.
- Organisation contacts (and the planner) nominate to organising meetings open for it.
- Experts register for their own area's events.
"""

from __future__ import annotations

from django.http import Http404

from kotove.models import Role
from pankki.models import Expert

from .models import SteeringGroup
from .models.groups import REGIONAL_ROLES


def require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def visible(queryset, user, **lookup):
    """The object of `queryset` that `user` may read, or 404."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    require(obj is not None)
    return obj


def editable(queryset, user, **lookup):
    """The object of `queryset` that `user` may manage, or 404 (another group's too)."""
    obj = queryset.editable_by(user).filter(**lookup).first()
    require(obj is not None)
    return obj


def can_read(user, group: SteeringGroup) -> bool:
    return SteeringGroup.objects.visible_to(user).filter(pk=group.pk).exists()


def can_manage(user, group: SteeringGroup) -> bool:
    return SteeringGroup.objects.editable_by(user).filter(pk=group.pk).exists()


def follows_a_group(user) -> bool:
    """Reads at least one group's pages (without a query: from the user's roles)."""
    kinds = {Role.Kind.NATIONAL_GROUP} | REGIONAL_ROLES
    return user.is_authenticated and (
        user.is_planner or any(role.kind in kinds for role in user.active_roles)
    )


def can_decide_grants(user) -> bool:
    return user.is_authenticated and (user.is_planner or user.has_role(Role.Kind.NATIONAL_GROUP))


def can_nominate(user) -> bool:
    return user.is_authenticated and (
        user.is_planner or user.has_role(Role.Kind.ORGANISATION_CONTACT)
    )


def own_expert(user) -> Expert | None:
    """The expert record of the signed-in user, if any."""
    if not user.is_authenticated:
        return None
    return Expert.objects.select_related("home_municipality").filter(user=user).first()
