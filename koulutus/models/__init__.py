"""Training: course types and their rules, courses with sessions and assignments, applications
through organisations (which become participants), attendance, practice lectures, completion
and recognition on special grounds."""

from .applications import (
    Application,
    ApplicationQuerySet,
    AssignmentCompletion,
    Attendance,
    InitialInterview,
    PracticeLectureEvaluation,
    new_token,
)
from .courses import (
    Assignment,
    Course,
    CourseQuerySet,
    CourseType,
    Session,
    contact_organisation_ids,
    find_overlaps,
    regional_area_ids,
)
from .recognition import (
    RecognitionApplication,
    RecognitionAttachment,
    RecognitionQuerySet,
    attachment_path,
)

__all__ = [
    "Application",
    "ApplicationQuerySet",
    "Assignment",
    "AssignmentCompletion",
    "Attendance",
    "Course",
    "CourseQuerySet",
    "CourseType",
    "InitialInterview",
    "PracticeLectureEvaluation",
    "RecognitionApplication",
    "RecognitionAttachment",
    "RecognitionQuerySet",
    "Session",
    "attachment_path",
    "contact_organisation_ids",
    "find_overlaps",
    "new_token",
    "regional_area_ids",
]
