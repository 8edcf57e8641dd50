"""Views of the steering groups: access helper, form, service call, redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def message_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def warn(request, warnings) -> None:
    for warning in warnings:
        messages.warning(request, warning)
