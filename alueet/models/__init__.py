"""Regional steering groups: groups, terms and members, meetings, organising meetings and the
lottery, action plans, development grants, regional events and mailings to the area's experts."""

from .events import ExpertMailing, MailingOptOut, RegionalEvent, Registration
from .groups import (
    MEETINGS_TARGET,
    SEAT_LIMITS,
    TOTAL_LIMITS,
    Membership,
    SeatCategory,
    SteeringGroup,
    Term,
    WorkingGroup,
    WorkingGroupMember,
    area_experts,
)
from .meetings import AgendaItem, Attachment, Invitation, Meeting, Minutes
from .organising import (
    CandidateList,
    Draw,
    Nomination,
    NominationInvite,
    OrganisingMeeting,
    SeatAllocation,
)
from .plans import ActionPlan, GrantApplication, GrantBudgetLine, PlanItem

__all__ = [
    "MEETINGS_TARGET",
    "SEAT_LIMITS",
    "TOTAL_LIMITS",
    "ActionPlan",
    "AgendaItem",
    "Attachment",
    "CandidateList",
    "Draw",
    "ExpertMailing",
    "GrantApplication",
    "GrantBudgetLine",
    "Invitation",
    "MailingOptOut",
    "Meeting",
    "Membership",
    "Minutes",
    "Nomination",
    "NominationInvite",
    "OrganisingMeeting",
    "PlanItem",
    "RegionalEvent",
    "Registration",
    "SeatAllocation",
    "SeatCategory",
    "SteeringGroup",
    "Term",
    "WorkingGroup",
    "WorkingGroupMember",
    "area_experts",
]
