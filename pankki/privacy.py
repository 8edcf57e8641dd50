"""The personal data the experience bank holds. Conventions: kotove/personal_data/."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.personal_data import (
    DELETE,
    ERASED,
    ERASED_DOMAIN,
    Anonymise,
    Custom,
    Keep,
    PersonalData,
    Retention,
    by_email,
    by_user,
    erased_email,
)

from .models import Consent, Expert, RequestAnswer, SavedSearch, SearchEntry, Task, TaskRequest


def _year(field: str):
    """Keeps the year only: trained experts per year stay countable."""
    return lambda expert: getattr(expert, field) and getattr(expert, field).replace(month=1, day=1)


# What an expert record keeps when anonymised: the organisation, the home municipality, the
# experience kind, task types and audiences, training years and the status (left): the
# network's statistics count them; nothing else in it identifies the person.
ANONYMISED_EXPERT = Anonymise(
    {
        "first_name": ERASED,
        "last_name": "",
        "email": erased_email,
        "phone": "",
        "user": None,
        "presentation_fi": "",
        "presentation_sv": "",
        "photo": "",
        "other_languages": "",
        "languages": [],
        "themes": [],
        "life_situations": [],
        "travel_regions": [],
        "travel_municipalities": [],
        "show_health_data": False,
        "age_group": "",
        "basic_training_course": "",
        "basic_training_date": _year("basic_training_date"),
        "recognition_decision_date": _year("recognition_decision_date"),
        "continuing_training_date": _year("continuing_training_date"),
        "confirmed_by": None,
        "status": Expert.Status.LEFT,
        "left_on": lambda expert: expert.left_on or timezone.localdate(),
        "paused_until": None,
        "consented": False,
        "contact_visibility": Expert.ContactVisibility.VIA_ORGANISATION,
    }
)


def _orderer_tasks(person, found):
    """Tasks the person ordered: by their account or by the contact address given."""
    condition = Q(orderer_user=person.user) if person.user else Q(pk__in=[])
    for email in person.emails:
        condition |= Q(orderer_email__iexact=email)
    return Task.objects.filter(condition)


def _erase_tasks(queryset, person):
    """Tasks stay: the network counts them, and the expert's side is anonymised with the
    expert. The person's own contact details go from the tasks they ordered."""
    ordered = Q(orderer_user=person.user) if person.user else Q(pk__in=[])
    for email in person.emails:
        ordered |= Q(orderer_email__iexact=email)
    queryset.filter(ordered).update(
        orderer_user=None, orderer_name=ERASED, orderer_email=f"tilaaja@{ERASED_DOMAIN}"
    )


PERSONAL_DATA = [
    PersonalData(
        Expert,
        find=by_email("email"),
        via=("user",),
        erase=ANONYMISED_EXPERT,
        export_exclude=("shuffle",),
    ),
    PersonalData(Consent, via=("expert",), erase=DELETE, export_exclude=("expert",)),
    # Built from the record (presentations, themes shown, places…), which its export holds.
    PersonalData(SearchEntry, via=("expert",), erase=DELETE, export=False),
    PersonalData(
        SavedSearch, via=("user",), erase=DELETE, export_exclude=("user", "known_experts")
    ),
    PersonalData(
        TaskRequest,
        find=by_user("created_by"),
        erase=Keep(_("the organisation's request; the account that sent it is anonymised")),
    ),
    # The expert's answers: kept for the counts, without the message they wrote.
    PersonalData(RequestAnswer, via=("expert",), erase=Anonymise({"message": ""})),
    PersonalData(
        Task,
        find=_orderer_tasks,
        via=("expert",),
        erase=Custom(_erase_tasks, _("kept for the counts; the person's contact details removed")),
    ),
]

RETENTION = [
    Retention(
        name="left_experts",
        description=_("Records of experts who left are anonymised."),
        setting="RETENTION_LEFT_EXPERT_DAYS",
        expired=lambda cutoff: (
            Expert.objects.filter(status=Expert.Status.LEFT)
            .filter(Q(left_on__lte=cutoff.date()) | Q(left_on__isnull=True, updated_at__lte=cutoff))
            .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        ),
    ),
]

# Health data (GDPR art. 9): every page, export or PDF showing it to someone other than the
# expert writes one audit row naming the experts shown.
SPECIAL_CATEGORY = ["pankki.Expert.themes", "pankki.Expert.life_situations"]
SELF_VIEWS = {"pankki:own_profile": "the expert's own record, shown to the expert"}
