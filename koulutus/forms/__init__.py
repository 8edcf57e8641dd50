"""Forms of training. They validate and never have side effects."""

from .applications import ApplicationForm, DecisionForm, InterviewForm
from .courses import (
    AssignmentFormSet,
    AttendanceForm,
    CancelForm,
    CompletionForm,
    ConfirmPlacesForm,
    CourseForm,
    PracticeLectureForm,
    SessionFormSet,
)
from .recognition import RecognitionDecisionForm, RecognitionForm

__all__ = [
    "ApplicationForm",
    "AssignmentFormSet",
    "AttendanceForm",
    "CancelForm",
    "CompletionForm",
    "ConfirmPlacesForm",
    "CourseForm",
    "DecisionForm",
    "InterviewForm",
    "PracticeLectureForm",
    "RecognitionDecisionForm",
    "RecognitionForm",
    "SessionFormSet",
]
