"""The personal data training holds. Conventions: kotove/personal_data/."""

from __future__ import annotations

from django.db.models import Q
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
    erased_email,
)

from .models import (
    Application,
    AssignmentCompletion,
    Attendance,
    Course,
    InitialInterview,
    PracticeLectureEvaluation,
    RecognitionApplication,
    RecognitionAttachment,
    new_token,
)


def _applications(person, found):
    """The person's applications: by their account or any address they are known by."""
    condition = Q(user=person.user) if person.user else Q(pk__in=[])
    for email in person.emails:
        condition |= Q(email__iexact=email)
    return Application.objects.filter(condition)


def _evaluated_by(person, found):
    """Practice lecture evaluations that name the person as an evaluator (palaute's evaluation
    form records the names it was answered with)."""
    if not person.names:
        return PracticeLectureEvaluation.objects.none()
    return PracticeLectureEvaluation.objects.filter(evaluators__overlap=sorted(person.names))


def _erase_evaluations(queryset, person) -> None:
    """An evaluator's name is replaced among the evaluators; the participant's own evaluation
    keeps its outcome (for the course's figures) and loses its note."""
    for evaluation in queryset:
        named = [ERASED if name in person.names else name for name in evaluation.evaluators]
        if named != evaluation.evaluators:
            evaluation.evaluators = named
            evaluation.save(update_fields=["evaluators"])
        else:
            evaluation.note = ""
            evaluation.save(update_fields=["note"])


def _recognitions(person, found):
    condition = Q(pk__in=[])
    for email in person.emails:
        condition |= Q(email__iexact=email)
    return RecognitionApplication.objects.filter(condition)


# An application stays (courses count their applicants, participants and completions for the
# network's reports) with nothing that identifies the person; the secret link stops working.
ANONYMISED_APPLICATION = Anonymise(
    {
        "first_name": ERASED,
        "last_name": "",
        "email": erased_email,
        "phone": "",
        "user": None,
        "expert": None,
        "token": lambda application: new_token(),
        "experience": "",
        "previous_activity": "",
        "motivation": "",
        "accessibility_needs": "",
        "basic_training_organiser": "",
        "decision_note": "",
        "completion_override_reason": "",
    }
)

PERSONAL_DATA = [
    PersonalData(
        Application,
        find=_applications,
        via=("expert",),
        erase=ANONYMISED_APPLICATION,
        export_exclude=("token",),
    ),
    # The organisation's interview notes are about the person only: nothing to count.
    PersonalData(InitialInterview, via=("application",), erase=DELETE),
    PersonalData(
        Attendance,
        via=("application",),
        erase=Keep(_("the course's attendance figures; the participant is anonymised")),
        export_exclude=("recorded_by",),
    ),
    PersonalData(
        AssignmentCompletion,
        via=("application",),
        erase=Keep(_("the course's figures; the participant is anonymised")),
        export_exclude=("marked_by",),
    ),
    PersonalData(
        PracticeLectureEvaluation,
        find=_evaluated_by,
        via=("application",),
        erase=Custom(
            _erase_evaluations,
            _("an evaluator's name is removed; the participant's evaluation loses its note"),
        ),
    ),
    # A recognition stays as the national steering group's decision, without the person.
    PersonalData(
        RecognitionApplication,
        find=_recognitions,
        via=("expert",),
        erase=Anonymise(
            {
                "first_name": ERASED,
                "last_name": "",
                "email": erased_email,
                "phone": "",
                "expert": None,
                "grounds": "",
                "decision_note": "",
            }
        ),
    ),
    PersonalData(RecognitionAttachment, via=("application",), erase=DELETE),
]

EXCLUDED = {
    Course: (
        "a course names its coordinator and trainers only by their accounts, which erasure "
        "anonymises"
    ),
}

RETENTION = [
    Retention(
        name="unselected_applications",
        description=_(
            "Applications that were not selected, were withdrawn or whose offered place was "
            "not taken are anonymised."
        ),
        setting="RETENTION_UNSELECTED_APPLICATION_DAYS",
        expired=lambda cutoff: Application.objects.filter(
            status__in=[
                Application.Status.NOT_SELECTED,
                Application.Status.WITHDRAWN,
                Application.Status.DECLINED,
                Application.Status.EXPIRED,
            ],
            status_changed_at__lte=cutoff,
        ).exclude(email__endswith=f"@{ERASED_DOMAIN}"),
    ),
]

# Health data (GDPR art. 9): the applicant's experience and needs, the interview, the grounds
# of a recognition. Every page showing them to someone else writes one audit row.
SPECIAL_CATEGORY = [
    "koulutus.Application.experience",
    "koulutus.Application.accessibility_needs",
    "koulutus.InitialInterview.experience_processing",
    "koulutus.InitialInterview.situation",
    "koulutus.RecognitionApplication.grounds",
]
