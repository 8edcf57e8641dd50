"""The personal data the steering groups hold. Conventions: kotove/personal_data/."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotove.personal_data import (
    DELETE,
    ERASED,
    Anonymise,
    Keep,
    PersonalData,
    by_email,
    erased_email,
)

from .models import (
    Attachment,
    CandidateList,
    Draw,
    ExpertMailing,
    GrantApplication,
    Invitation,
    MailingOptOut,
    Meeting,
    Membership,
    Minutes,
    Nomination,
    NominationInvite,
    OrganisingMeeting,
    RegionalEvent,
    Registration,
    SteeringGroup,
    WorkingGroupMember,
)

# A membership stays in the group's history (seats, chairing rotation, the terms' counts);
# the person's name and contact details go.
ANONYMISED_MEMBER = Anonymise(
    {"first_name": ERASED, "last_name": "", "email": erased_email, "phone": "", "user": None}
)


def _candidate_lists(person, found):
    """The frozen lists that name one of the person's nominations."""
    condition = Q(pk__in=[])
    for pk in found.get(Nomination, []):
        condition |= Q(entries__contains=[{"nomination": pk}])
    return CandidateList.objects.filter(condition)


PERSONAL_DATA = [
    PersonalData(
        Membership, find=by_email("email"), via=("user", "expert"), erase=ANONYMISED_MEMBER
    ),
    # The answers to meeting invitations, with the member's note.
    PersonalData(
        Invitation, via=("membership",), erase=DELETE, export_exclude=("token", "membership")
    ),
    PersonalData(
        WorkingGroupMember,
        find=by_email("email"),
        via=("membership",),
        erase=DELETE,
    ),
    PersonalData(
        Nomination,
        find=by_email("email"),
        via=("expert",),
        erase=Anonymise(
            {"first_name": ERASED, "last_name": "", "email": erased_email, "phone": ""}
        ),  # fmt: skip
    ),
    PersonalData(
        CandidateList,
        find=_candidate_lists,
        erase=Keep(_("the published record of the lot: changing it would break its digest")),
    ),
    # A unit's or stakeholder's address that was asked for nominations.
    PersonalData(NominationInvite, find=by_email("email"), erase=DELETE, export_exclude=("token",)),
    PersonalData(Registration, via=("expert",), erase=DELETE),
    PersonalData(MailingOptOut, via=("expert",), erase=DELETE),
]

EXCLUDED = {
    Meeting: "created_by only names who scheduled it; the user row is anonymised",
    Attachment: "uploaded_by only names who uploaded it; the user row is anonymised",
    Minutes: "the group's record: members present are anonymised with their memberships",
    OrganisingMeeting: "created_by only names who opened it; the user row is anonymised",
    Draw: "the public record of the lot; recorded_by and cancelled_by only name who acted",
    GrantApplication: "the group's application; the accounts named only tell who acted",
    RegionalEvent: "created_by only names who added it; the user row is anonymised",
    ExpertMailing: "the group's message; sent_by only names who sent it",
}

NOT_PERSONAL = {
    SteeringGroup: "its email and phone are the group's own public contact details",
}

# Health data (GDPR art. 9): the needs an expert tells when registering for an event.
SPECIAL_CATEGORY = ["alueet.Registration.needs"]
