"""Who sees which feedback. Objects a user may not see answer 404.

- The expert sees everything about their own tasks: the summaries, the free-text comments,
  their own self-evaluations and all three answer links.
- The organisation contact sees, for their organisation's experts, task counts and the
  summaries of listener and orderer feedback (no free text, no self-evaluations), and the
  listener link to help print it.
- The orderer sees, for their organisation's tasks, the answers of the orderer form, the
  listener summaries (no listener free text) and the listener and orderer links.
- The planner sees everything.
Summaries follow the small-number rule (palaute.aggregates).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.http import Http404

from kotove.models import Area, MemberOrganisation, Role
from pankki.models import Expert, Task
from pankki.task_models import contact_organisation_ids, orderer_organisation_ids


@dataclass(frozen=True)
class Access:
    listener: bool = False
    listener_comments: bool = False
    orderer: bool = False
    orderer_comments: bool = False
    self_evaluation: bool = False
    links: frozenset = frozenset()

    def __or__(self, other: Access) -> Access:
        return Access(
            **{f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)}
        )

    @property
    def any(self) -> bool:
        return self.listener or self.orderer or self.self_evaluation


EVERYTHING = Access(
    listener=True,
    listener_comments=True,
    orderer=True,
    orderer_comments=True,
    self_evaluation=True,
    links=frozenset({"listener", "orderer", "self_evaluation"}),
)
CONTACT = Access(listener=True, orderer=True, links=frozenset({"listener"}))
ORDERER = Access(
    listener=True, orderer=True, orderer_comments=True, links=frozenset({"listener", "orderer"})
)


contact_organisations = contact_organisation_ids
orderer_organisations = orderer_organisation_ids


def visible_tasks(user):
    """The tasks whose feedback `user` follows in any of their roles: the same as the tasks
    they see in the bank."""
    return Task.objects.visible_to(user)


def task_access(user, task: Task) -> Access:
    """What `user` may see of one task's feedback (nothing: Access().any is False)."""
    if not user.is_authenticated:
        return Access()
    if user.is_planner or task.expert.user_id == user.pk:
        return EVERYTHING
    access = Access()
    if task.expert.responsible_organisation_id in contact_organisations(user):
        access |= CONTACT
    if task.orderer_organisation_id in orderer_organisations(user):
        access |= ORDERER
    return access


def can_follow_experts(user) -> bool:
    """Planners and organisation contacts follow their experts' feedback."""
    return user.is_authenticated and (user.is_planner or bool(contact_organisations(user)))


def followed_experts(user):
    if not can_follow_experts(user):
        return Expert.objects.none()
    if user.is_planner:
        return Expert.objects.all()
    return Expert.objects.filter(responsible_organisation__in=contact_organisations(user))


def require(allowed: bool) -> None:
    if not allowed:
        raise Http404


# Annual reports. ----------------------------------------------------------------------------


def report_scopes(user) -> tuple[bool, list, list]:
    """What `user` may ask reports on: (the whole network?, areas, member organisations).
    Planners and the national group: everything; a regional secretary: their own area; an
    organisation contact: their own organisation."""
    if not user.is_authenticated:
        return False, [], []
    if user.is_planner or user.has_role(Role.Kind.NATIONAL_GROUP):
        return (
            True,
            list(Area.objects.all()),
            list(MemberOrganisation.objects.filter(is_active=True)),
        )
    areas = [r.area for r in user.active_roles if r.kind == Role.Kind.REGIONAL_SECRETARY]
    organisations = [
        r.member_organisation for r in user.active_roles if r.kind == Role.Kind.ORGANISATION_CONTACT
    ]
    return False, areas, organisations


REPORT_ROLES = {
    Role.Kind.NATIONAL_GROUP,
    Role.Kind.REGIONAL_SECRETARY,
    Role.Kind.ORGANISATION_CONTACT,
}


def can_request_reports(user) -> bool:
    """Whoever has a scope to report on (no query: the menu asks on every page)."""
    return user.is_authenticated and (
        user.is_planner or any(role.kind in REPORT_ROLES for role in user.active_roles)
    )


def may_report_on(user, scope: str, area=None, organisation=None) -> bool:
    network, areas, organisations = report_scopes(user)
    match scope:
        case "network":
            return network
        case "area":
            return area is not None and area.pk in {a.pk for a in areas}
        case "organisation":
            return organisation is not None and organisation.pk in {o.pk for o in organisations}
    return False
