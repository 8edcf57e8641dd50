"""Views of training, by who uses them: public.py (anyone), organisation.py (contacts),
courses.py and running.py (who runs courses), recognition.py."""

from django.core.exceptions import ValidationError


def add_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)
