"""Training's links in the header and on the front page (see kotove.navigation)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kotove.models import Role

from .permissions import can_create_course, is_contact

# Roles whose holders take part in, run or handle training.
TRAINING_ROLES = {
    Role.Kind.EXPERT,
    Role.Kind.ORGANISATION_CONTACT,
    Role.Kind.REGIONAL_CHAIR,
    Role.Kind.REGIONAL_SECRETARY,
}


def menu(user) -> list[tuple[str, str]]:
    links = [(_("Training"), reverse("koulutus:courses"))]
    if user.is_planner or any(role.kind in TRAINING_ROLES for role in user.active_roles):
        links.append((_("My trainings"), reverse("koulutus:my_courses")))
    if is_contact(user):
        links.append((_("Training applications"), reverse("koulutus:applications")))
    return links


def role_links(user, role) -> list[tuple[str, str]]:
    match role.kind:
        case Role.Kind.PLANNER:
            return [
                (_("Create a course"), reverse("koulutus:course_create")),
                (_("Courses and their rules"), reverse("admin:app_list", args=["koulutus"])),
                (_("Recognition on special grounds"), reverse("koulutus:recognitions")),
            ]
        case Role.Kind.ORGANISATION_CONTACT:
            return [
                (
                    _("Decide your organisation's training applications"),
                    reverse("koulutus:applications"),
                ),
                (
                    _("Apply for recognition on special grounds"),
                    reverse("koulutus:recognition_create"),
                ),
                (
                    _("Create a course your organisation organises"),
                    reverse("koulutus:course_create"),
                ),
            ]
        case Role.Kind.NATIONAL_GROUP:
            return [(_("Decide recognitions on special grounds"), reverse("koulutus:recognitions"))]
        case Role.Kind.EXPERT:
            return [
                (_("Find training"), reverse("koulutus:courses")),
                (_("My trainings"), reverse("koulutus:my_courses")),
            ]
        case Role.Kind.REGIONAL_CHAIR | Role.Kind.REGIONAL_SECRETARY if can_create_course(user):
            return [(_("Organise supplementary training"), reverse("koulutus:course_create"))]
    return []
