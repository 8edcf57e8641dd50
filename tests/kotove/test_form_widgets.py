"""The widgets' options and attributes drawn in Python (kotove/templatetags/form_widgets.py and
the widget templates under templates/django/forms/) give exactly the HTML of Django's own
templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation

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


class EveryWidget(forms.Form):
    name = forms.CharField(label="Nimi <b>", max_length=20, help_text="Apu & ohje")
    email = forms.EmailField(
        required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    count = forms.IntegerField(min_value=1, disabled=True)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "lang": "fi"}), required=False)
    agree = forms.BooleanField(required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    choice = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    several = forms.MultipleChoiceField(choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=CHOICES)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": 'x" onmouseover="alert(1)', "day": "huomenna", "several": ["2"], "one": "3"},
    ],
)
def test_a_whole_form_renders_as_with_djangos_templates(data):
    initial = {"name": "Aino", "note": "<script>", "agree": True, "count": 2, "choice": 1}
    ours = EveryWidget(data, initial=initial)
    djangos = EveryWidget(data, initial=initial, renderer=DjangoTemplates())

    # the same HTML, but that a required field's label says so
    assert without_marks(str(ours)) == str(djangos)
    for name, field in ours.fields.items():
        label = str(ours[name].label_tag())
        assert without_marks(label) == str(djangos[name].label_tag())
        assert (REQUIRED_MARK in label) == field.required, name


REQUIRED_MARK = ' <span class="required-mark">(pakollinen)</span>'


@pytest.fixture(autouse=True)
def finnish():
    with translation.override("fi"):
        yield


def without_marks(html: str) -> str:
    return html.replace(REQUIRED_MARK, "")


def test_a_required_fields_label_says_so_before_its_colon():
    html = str(EveryWidget()["name"].label_tag())
    assert html == f'<label for="id_name">Nimi &lt;b&gt;{REQUIRED_MARK}:</label>'
    assert str(EveryWidget()["email"].label_tag()) == '<label for="id_email">Email:</label>'
