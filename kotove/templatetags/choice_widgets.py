"""Choice widgets' options rendered in Python, to the same HTML as Django's templates
(newlines included: tests/kotove/test_choice_widgets.py compares them).

Django renders each <option>, checkbox and radio button through three nested template
includes, about 0.2 ms each: an expert record form, with two lists of 308 municipalities and
the vocabularies' checkboxes, spent most of its 175 ms there. The widget templates under
templates/django/forms/widgets/ call `option_html` per option instead.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

DJANGO_OPTION_TEMPLATES = {
    "django/forms/widgets/select_option.html",
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
}


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.filter
def option_html(option: dict) -> str:
    """One option of a Select, CheckboxSelectMultiple or RadioSelect (`widget.optgroups`)."""
    if option["template_name"] not in DJANGO_OPTION_TEMPLATES:  # a widget's own option template
        return render_to_string(option["template_name"], {"widget": option})
    value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
    attrs = _attrs(option["attrs"])
    if option["type"] == "select":
        return mark_safe(f'<option value="{value}"{attrs}>{label}</option>\n')  # noqa: S308
    name = conditional_escape(option["name"])
    value = "" if option["value"] is None else f' value="{value}"'
    html = f'<input type="{option["type"]}" name="{name}"{value}{attrs}>\n'
    if option["wrap_label"]:
        id_ = option["attrs"].get("id")
        label_for = f' for="{conditional_escape(id_)}"' if id_ else ""
        html = f"<label{label_for}>{html} {label}</label>"
    return mark_safe(f"{html}\n\n")  # noqa: S308 - every part is escaped above
