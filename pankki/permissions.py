"""Who may see and change what in the experience bank. Objects a user may not see answer 404."""

from django.http import Http404

from kotove.models import Role

from .models import Expert

SEARCH_ROLES = {
    Role.Kind.PLANNER,
    Role.Kind.ORDERER,
    Role.Kind.ORGANISATION_CONTACT,
    Role.Kind.NATIONAL_GROUP,
    Role.Kind.REGIONAL_CHAIR,
    Role.Kind.REGIONAL_SECRETARY,
    Role.Kind.REGIONAL_MEMBER,
}


def can_search(user) -> bool:
    """Orderers, the network's staff, contacts and steering groups search the bank."""
    return user.is_authenticated and (
        user.is_planner or any(role.kind in SEARCH_ROLES for role in user.active_roles)
    )


def can_manage_records(user) -> bool:
    return user.is_authenticated and (
        user.is_planner or user.has_role(Role.Kind.ORGANISATION_CONTACT)
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def editable_expert(user, pk) -> Expert:
    """The expert record `user` may edit, or 404 (another organisation's expert too)."""
    require(can_manage_records(user))
    try:
        return Expert.objects.editable_by(user).get(pk=pk)
    except Expert.DoesNotExist:
        raise Http404 from None


def own_expert(user) -> Expert:
    """The expert record linked to the signed-in user, or 404."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Expert.objects.get(user=user)
    except Expert.DoesNotExist:
        raise Http404 from None


# Requests and tasks. ------------------------------------------------------------------------


def can_order(user) -> bool:
    """Orderers send requests for their organisation."""
    return user.is_authenticated and user.has_role(Role.Kind.ORDERER)


def has_tasks(user) -> bool:
    """Who has requests and tasks of their own to follow: orderers, contacts, experts."""
    return user.is_authenticated and (
        can_order(user)
        or user.has_role(Role.Kind.ORGANISATION_CONTACT)
        or Expert.objects.filter(user=user).exists()
    )


def visible(queryset, user, pk):
    """The object of `queryset.visible_to(user)` with this pk, or 404."""
    try:
        return queryset.visible_to(user).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None
