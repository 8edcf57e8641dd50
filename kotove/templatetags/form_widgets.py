"""Choice widgets' options rendered in Python, to the same HTML as Django's templates
(newlines included: tests/kotove/test_form_widgets.py compares them).

Django renders each <option>, checkbox and radio button through three nested template
includes, and even a template loop costs some 40 µs per option: an expert record form, with two
lists of 308 municipalities and the vocabularies' checkboxes, spent most of its 175 ms there.
The widget templates under templates/django/forms/widgets/ hand `widget.optgroups` to
`options_html` instead, and they and the label template write attributes with `html_attrs`
rather than including attrs.html.
"""

import html

from django import template
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

DJANGO_OPTION_TEMPLATES = {
    "django/forms/widgets/select_option.html",
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
}
# What a group starts with, what each option is wrapped in, and what ends a group.
LAYOUTS = {
    "select": ('\n  <optgroup label="{}">', "\n  {}", "\n  </optgroup>"),
    "inputs": ("\n  <div><label>{}</label>", "<div>\n    {}</div>", "\n  </div>"),
    "fieldsets": (
        '\n  <fieldset class="choice-group"><legend>{}</legend>',
        "<div>\n    {}</div>",
        "\n  </fieldset>",
    ),
}


@register.filter
def html_attrs(attrs: dict) -> str:
    """A widget's or label's attributes as django/forms/widgets/attrs.html writes them, without
    a template include per element."""
    return mark_safe(_attrs(attrs or {}))  # noqa: S308 - escaped in _attrs


def _escape(value) -> str:
    """conditional_escape(value), without its check of the arguments for lazy strings that
    makes it cost twice as much: the checks for a page of options took a millisecond."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict) -> str:
    """One option of a Select, CheckboxSelectMultiple or RadioSelect."""
    if option["template_name"] not in DJANGO_OPTION_TEMPLATES:  # a widget's own option template
        return render_to_string(option["template_name"], {"widget": option})
    value, label = _escape(option["value"]), _escape(option["label"])
    attrs = _attrs(option["attrs"])
    if option["type"] == "select":
        return f'<option value="{value}"{attrs}>{label}</option>\n'
    name = _escape(option["name"])
    value = "" if option["value"] is None else f' value="{value}"'
    html = f'<input type="{option["type"]}" name="{name}"{value}{attrs}>\n'
    if option["wrap_label"]:
        id_ = option["attrs"].get("id")
        label_for = f' for="{_escape(id_)}"' if id_ else ""
        html = f"<label{label_for}>{html} {label}</label>"
    return f"{html}\n\n"


@register.filter
def options_html(optgroups, layout: str) -> str:
    """Every group and option of `widget.optgroups`, laid out as in LAYOUTS[layout]."""
    group_start, wrap, group_end = LAYOUTS[layout]
    parts = []
    for group, options, _index in optgroups:
        if group:
            parts.append(group_start.format(_escape(group)))
        parts.extend(wrap.format(_option(option)) for option in options)
        if group:
            parts.append(group_end)
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


@register.filter
def required_mark(label: str) -> str:
    """A required field's label with "(required)" in words, before the label's colon: "Name
    (required):". Every required field says so in its label, read aloud as well as seen."""
    mark = format_html(' <span class="required-mark">{}</span>', _("(required)"))
    label = conditional_escape(label)
    if label.endswith(":"):
        return mark_safe(f"{label[:-1]}{mark}:")  # noqa: S308 - both parts are escaped
    return mark_safe(f"{label}{mark}")  # noqa: S308 - both parts are escaped
