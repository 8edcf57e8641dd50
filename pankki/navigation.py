"""The bank's links in the header and on the front page (see kotove.navigation)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kotove.models import Role

from .permissions import can_manage_records, can_search


def menu(user) -> list[tuple[str, str]]:
    links = []
    if can_search(user):
        links.append((_("Experience bank"), reverse("pankki:search")))
    if can_manage_records(user):
        links.append((_("Our experts"), reverse("pankki:records")))
    if user.has_role(Role.Kind.EXPERT):
        links.append((_("My profile"), reverse("pankki:own_profile")))
    return links


def role_links(user, role) -> list[tuple[str, str]]:
    search = (_("Search the experience bank"), reverse("pankki:search"))
    match role.kind:
        case Role.Kind.PLANNER | Role.Kind.NATIONAL_GROUP:
            return [search]
        case Role.Kind.ORGANISATION_CONTACT:
            return [
                (_("Keep your experts' records current"), reverse("pankki:records")),
                (_("Import experts from a file"), reverse("pankki:record_import")),
            ]
        case Role.Kind.ORDERER:
            return [search, (_("Your saved searches"), reverse("pankki:saved_searches"))]
        case Role.Kind.EXPERT:
            return [(_("My profile"), reverse("pankki:own_profile"))]
        case Role.Kind.REGIONAL_CHAIR | Role.Kind.REGIONAL_SECRETARY | Role.Kind.REGIONAL_MEMBER:
            region = role.area.regions.order_by("pk").first()
            query = f"?region={region.pk}" if region else ""
            return [(_("Find the experts of your area"), reverse("pankki:search") + query)]
    return []
