"""Who may see and do what in training. Objects a user may not see answer 404."""

from __future__ import annotations

from django.http import Http404

from kotove.models import Role
from kotove.personal_data import without_special_category

from .models import (
    Application,
    Course,
    CourseType,
    RecognitionApplication,
    contact_organisation_ids,
    regional_area_ids,
)


def require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def is_contact(user) -> bool:
    return bool(contact_organisation_ids(user))


def creatable_kinds(user) -> list[str]:
    """Course types a user may create: planners any; organisation contacts the basic and
    continuing training their organisations organise; regional chairs and secretaries their
    area's supplementary training."""
    if not user.is_authenticated:
        return []
    if user.is_planner:
        return list(CourseType.Kind.values)
    kinds = []
    if is_contact(user):
        kinds += [CourseType.Kind.BASIC, CourseType.Kind.CONTINUING]
    if regional_area_ids(user):
        kinds.append(CourseType.Kind.SUPPLEMENTARY)
    return kinds


def can_create_course(user) -> bool:
    return bool(creatable_kinds(user))


def managed_course(user, pk) -> Course:
    """A course whose places and completions `user` manages (coordinator, the regional group
    for supplementary training, planner), or 404."""
    return _get(Course.objects.managed_by(user).select_related("course_type"), pk)


def running_course(user, pk) -> Course:
    """A course whose attendance and assignments `user` records (also trainers), or 404."""
    return _get(Course.objects.run_by(user).select_related("course_type"), pk)


def can_manage(user, course: Course) -> bool:
    return Course.objects.managed_by(user).filter(pk=course.pk).exists()


def visible_course(user, pk) -> Course:
    return _get(
        Course.objects.visible_to(user).select_related("course_type", "area", "coordinator"), pk
    )


def decidable_application(user, pk, *, health_data: bool) -> Application:
    """An application of the user's own organisation (they are its contact), or 404; with its
    health data only for the page that shows it (a refused or saved action reads none)."""
    applications = Application.objects.visible_to(user).select_related(
        "course__course_type", "organisation", "home_municipality"
    )
    return _get(applications if health_data else without_special_category(applications), pk)


def participant(user, course: Course, pk) -> Application:
    """A participant (confirmed place) of a course the user runs, or 404 (without the health
    data: the participant's pages do not show it)."""
    participants = course.applications.participants().select_related("organisation")
    return _get(without_special_category(participants), pk)


def can_download_certificate(user, application: Application) -> bool:
    """The participant themself, their organisation's contacts and whoever manages the
    course."""
    if not user.is_authenticated or not application.completed_on:
        return False
    return (
        application.user_id == user.pk
        or (application.expert_id and application.expert.user_id == user.pk)
        or application.organisation_id in contact_organisation_ids(user)
        or can_manage(user, application.course)
    )


def can_see_recognitions(user) -> bool:
    return user.is_authenticated and (
        user.is_planner or user.has_role(Role.Kind.NATIONAL_GROUP) or is_contact(user)
    )


def visible_recognition(user, pk, *, health_data: bool) -> RecognitionApplication:
    """A recognition the user may see, or 404; with its grounds only for the page that shows
    them."""
    recognitions = RecognitionApplication.objects.visible_to(user).select_related(
        "organisation", "home_municipality", "submitted_by", "decided_by"
    )
    return _get(recognitions if health_data else without_special_category(recognitions), pk)


def can_decide_recognition(user) -> bool:
    return user.is_authenticated and user.has_role(Role.Kind.NATIONAL_GROUP)
