"""The steering groups' links in the header and on the front page (see kotove.navigation)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotove.models import Role

from .models import OrganisingMeeting, SteeringGroup
from .permissions import can_decide_grants, follows_a_group


def menu(user) -> list[tuple[str, str]]:
    links = [(_("Regional groups"), reverse("alueet:group_list"))]
    if user.has_role(Role.Kind.EXPERT) or follows_a_group(user):
        links.append((_("Regional events"), reverse("alueet:event_list")))
    return links


def role_links(user, role) -> list[tuple[str, str]]:
    year = timezone.localdate().year
    match role.kind:
        case Role.Kind.PLANNER | Role.Kind.NATIONAL_GROUP:
            links = [(_("Regional steering groups"), reverse("alueet:group_list"))]
            if can_decide_grants(user):
                links.append((_("Development grant applications"), reverse("alueet:grant_list")))
            return links
        case Role.Kind.REGIONAL_CHAIR | Role.Kind.REGIONAL_SECRETARY | Role.Kind.REGIONAL_MEMBER:
            group = SteeringGroup.objects.filter(area=role.area_id).first()
            if group is None:
                return []
            links = [
                (_("Your steering group"), reverse("alueet:group_detail", args=[group.pk])),
                (_("Meetings of the year"), reverse("alueet:meeting_year", args=[group.pk])),
            ]
            if role.kind != Role.Kind.REGIONAL_MEMBER:
                links += [
                    (_("Schedule a meeting"), reverse("alueet:meeting_create", args=[group.pk])),
                    (
                        _("Action plan %(year)d") % {"year": year},
                        reverse("alueet:plan_detail", args=[group.pk, year]),
                    ),
                    (
                        _("Email the area's experts"),
                        reverse("alueet:mailing_create", args=[group.pk]),
                    ),
                ]
            return links
        case Role.Kind.EXPERT:
            return [(_("Events of your area"), reverse("alueet:event_list"))]
        case Role.Kind.ORGANISATION_CONTACT:
            return [
                (
                    _("Nominate candidates: steering group of %(group)s")
                    % {"group": meeting.group},
                    reverse("alueet:nominate", args=[meeting.pk]),
                )
                for meeting in OrganisingMeeting.objects.open_for_nominations().select_related(
                    "group__area"
                )
            ]
    return []
