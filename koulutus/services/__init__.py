"""Every write of the training app. Each function lists its side effects.

palaute calls `record_practice_lecture_evaluation` (its evaluation form's outcome) and reads
`Course.objects.ended()` with `Application.objects.participants()` to send course feedback.
"""

from .applications import (
    cancel_participation,
    confirm_places,
    decide_application,
    expire_offers,
    free_places,
    offer_free_places,
    purge_unverified,
    receive_application,
    record_interview,
    respond_to_offer,
    submit_application,
    verify_application,
    withdraw_application,
)
from .courses import (
    confirm_completion,
    record_assignments,
    record_attendance,
    record_practice_lecture_evaluation,
    save_course,
)
from .recognition import decide_recognition, submit_recognition

__all__ = [
    "cancel_participation",
    "confirm_completion",
    "confirm_places",
    "decide_application",
    "decide_recognition",
    "expire_offers",
    "free_places",
    "offer_free_places",
    "purge_unverified",
    "receive_application",
    "record_assignments",
    "record_attendance",
    "record_interview",
    "record_practice_lecture_evaluation",
    "respond_to_offer",
    "save_course",
    "submit_application",
    "submit_recognition",
    "verify_application",
    "withdraw_application",
]
