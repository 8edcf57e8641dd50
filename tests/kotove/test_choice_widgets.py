"""The choice widgets' options drawn in Python (kotove/templatetags/choice_widgets.py) give
exactly the HTML of Django's own templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

CHOICES = [
    ("", "---"),
    ('Ryhmä <1> & "muut"', [(1, "Yksi"), (2, "Kaksi <b>")]),
    (3, "Kolme & neljä"),
]


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "pankki/widgets/grouped_checkboxes.html"


WIDGETS = [
    (forms.Select(choices=CHOICES, attrs={"id": "id_x", "class": "a"}), 2),
    (forms.SelectMultiple(choices=CHOICES, attrs={"size": 8}), [2, 3]),
    (forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_x", "required": True}), [1]),
    (forms.CheckboxSelectMultiple(choices=CHOICES), [3]),
    (forms.RadioSelect(choices=CHOICES, attrs={"id": "id_x", "disabled": False}), 3),
    (GroupedCheckboxes(choices=CHOICES, attrs={"id": "id_x"}), [1, 3]),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_options_are_drawn_as_djangos_templates_draw_them(widget, value):
    ours = widget.render("x", value, renderer=get_default_renderer())
    djangos = widget.render("x", value, renderer=DjangoTemplates())

    assert "kotove" not in type(get_default_renderer()).__module__  # TemplatesSetting
    assert ours == djangos
    assert "Kaksi &lt;b&gt;" in ours


def test_an_option_template_of_its_own_is_still_used():
    class Marked(forms.RadioSelect):
        option_template_name = "django/forms/widgets/input.html"

    widget = Marked(choices=[(1, "Yksi")])

    assert widget.render("x", 1) == widget.render("x", 1, renderer=DjangoTemplates())
    assert "<label" not in widget.render("x", 1)
