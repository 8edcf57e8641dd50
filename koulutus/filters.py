"""The public course list's filters (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from kotove.models import Area, Language, localized_name

from .models import Course, CourseType


class CourseFilter(django_filters.FilterSet):
    course_type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=CourseType.objects.all(), empty_label=_("All types")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Regional area"),
        queryset=lambda _request: Area.objects.order_by(localized_name()),
        empty_label=_("All areas"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("All languages")
    )
    open = django_filters.BooleanFilter(
        label=_("Only courses open for applications"),
        method="filter_open",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Course
        fields = ["course_type", "area", "language", "open"]

    def filter_open(self, queryset, name, value):
        return queryset.open_for_applications() if value else queryset
