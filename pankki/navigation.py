"""The bank's links in the header and on the front page (see kotove.navigation)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kotove.models import Role

from .models import Expert
from .permissions import can_manage_records, can_search, has_tasks


def menu(user) -> list[tuple[str, str]]:
    links = []
    if can_search(user):
        links.append((_("Experience bank"), reverse("pankki:search")))
    if can_manage_records(user):
        links.append((_("Our experts"), reverse("pankki:records")))
    if user.has_role(Role.Kind.EXPERT):
        links.append((_("My profile"), reverse("pankki:own_profile")))
    if has_tasks(user):
        links.append((_("Requests"), reverse("pankki:requests")))
        links.append((pgettext("agreed tasks", "Tasks"), reverse("pankki:tasks")))
    return links


def role_links(user, role) -> list[tuple[str, str]]:
    search = (_("Search the experience bank"), reverse("pankki:search"))
    record = (_("Record a task agreed outside the service"), reverse("pankki:task_record"))
    match role.kind:
        case Role.Kind.PLANNER:
            return [
                search,
                (
                    _("Requests and tasks in the administration"),
                    reverse("admin:pankki_task_changelist"),
                ),
            ]
        case Role.Kind.NATIONAL_GROUP:
            return [search]
        case Role.Kind.ORGANISATION_CONTACT:
            return [
                (_("Keep your experts' records current"), reverse("pankki:records")),
                (_("Import experts from a file"), reverse("pankki:record_import")),
                (_("Answer requests to your experts"), reverse("pankki:requests")),
                (_("Your experts' tasks"), reverse("pankki:tasks")),
                record,
            ]
        case Role.Kind.ORDERER:
            return [
                search,
                (_("Your saved searches"), reverse("pankki:saved_searches")),
                (_("Your requests and their answers"), reverse("pankki:requests")),
                (_("Your tasks"), reverse("pankki:tasks")),
            ]
        case Role.Kind.EXPERT:
            links = [(_("My profile"), reverse("pankki:own_profile"))]
            if Expert.objects.filter(user=user).exists():
                links += [
                    (_("Requests to you"), reverse("pankki:requests")),
                    (_("Your tasks"), reverse("pankki:tasks")),
                    record,
                ]
            return links
        case Role.Kind.REGIONAL_CHAIR | Role.Kind.REGIONAL_SECRETARY | Role.Kind.REGIONAL_MEMBER:
            region = role.area.regions.order_by("pk").first()
            query = f"?region={region.pk}" if region else ""
            return [(_("Find the experts of your area"), reverse("pankki:search") + query)]
    return []
