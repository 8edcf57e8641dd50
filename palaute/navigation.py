"""Feedback links in the header and on the front page (see kotove.navigation)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kotove.models import Role

from .permissions import can_follow_experts, can_request_reports, orderer_organisations


def menu(user) -> list[tuple[str, str]]:
    links = []
    if user.has_role(Role.Kind.EXPERT):
        links.append((_("My feedback"), reverse("palaute:own")))
    if can_follow_experts(user):
        links.append((_("Feedback"), reverse("palaute:experts")))
    if orderer_organisations(user):
        links.append((_("Feedback on our tasks"), reverse("palaute:ordered")))
    if can_request_reports(user):
        links.append((_("Annual reports"), reverse("palaute:reports")))
    return links


def role_links(user, role) -> list[tuple[str, str]]:
    reports = reverse("palaute:reports")
    match role.kind:
        case Role.Kind.EXPERT:
            return [(_("Feedback on my tasks"), reverse("palaute:own"))]
        case Role.Kind.ORGANISATION_CONTACT:
            return [
                (_("Feedback on your experts' tasks"), reverse("palaute:experts")),
                (_("Annual reports on your organisation"), reports),
            ]
        case Role.Kind.PLANNER:
            return [
                (_("Feedback of all experts"), reverse("palaute:experts")),
                (_("Annual reports for the network and the funder"), reports),
            ]
        case Role.Kind.NATIONAL_GROUP:
            return [(_("Annual reports for the network and the funder"), reports)]
        case Role.Kind.REGIONAL_SECRETARY:
            return [(_("Annual reports on your area"), reports)]
        case Role.Kind.ORDERER:
            return [(_("Feedback on your tasks"), reverse("palaute:ordered"))]
    return []
