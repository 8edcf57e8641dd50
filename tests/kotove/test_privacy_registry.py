"""Every model that references a person is in the export/erase tree or excluded with a reason.

The rule (kotove/personal_data/): a model holds a person's data when it is the user model,
has a personal field (EmailField, GenericIPAddressField, a field named first_name, last_name,
phone, email, address, birth_date..., or ending in _email / _phone), or has a CASCADE foreign
key to a model that holds a person's data; it references a person when it holds one's data or
has any relation to such a model. A model that lands later is checked without editing this file.
"""

from django.apps import apps
from django.conf import settings

from kotove.personal_data import (
    Anonymise,
    PersonalData,
    person_references,
    privacy_module_path,
    registry,
)

from .test_permissions import project_url_names

HOW = (
    "Add PersonalData({model}, find=... or via=(...), erase=DELETE | Anonymise({{...}}) | "
    "Keep(reason)) to PERSONAL_DATA in {path}; or, if it is deliberately neither exported nor "
    'erased, {model}: "<the reason>" to EXCLUDED there; or, if the flagged field is not about '
    'a person (an organisation\'s address), {model}: "<the reason>" to NOT_PERSONAL. The '
    "conventions are in kotove/personal_data/ and in the README (Personal data)."
)


def test_every_model_that_references_a_person_is_declared():
    declared = registry()
    handled = (
        {entry.model for entry in declared.entries}
        | set(declared.excluded)
        | set(declared.not_personal)
    )
    missing = [
        f"{model._meta.label} references a person ({'; '.join(reasons)}). "
        + HOW.format(model=model.__name__, path=privacy_module_path(model))
        for model, reasons in sorted(
            person_references().items(), key=lambda item: item[0]._meta.label
        )
        if model not in handled
    ]
    assert not missing, "\n\n".join(missing)


def test_the_rule_flags_what_it_should():
    references = person_references()
    assert "personal field 'email'" in references[apps.get_model("pankki.Expert")]
    assert any("CASCADE" in r for r in references[apps.get_model("pankki.Consent")])
    assert references[apps.get_model("kotove.AuditEvent")] == ["personal field 'actor_email'"]
    assert apps.get_model("kotove.Region") not in references
    # NOT_PERSONAL: the organisation's address is nobody's, nor are the themes pointing at it
    assert apps.get_model("kotove.MemberOrganisation") not in references
    assert apps.get_model("pankki.Theme") not in references


def test_each_model_is_declared_once_in_its_own_apps_module():
    seen = {}
    for label, module in registry().modules.items():
        path = f"{label}/privacy.py"
        declared = [e.model for e in getattr(module, "PERSONAL_DATA", [])]
        declared += [*getattr(module, "EXCLUDED", {}), *getattr(module, "NOT_PERSONAL", {})]
        for model in declared:
            assert model not in seen, f"{model._meta.label} is declared twice"
            seen[model] = path
            assert privacy_module_path(model) == path, (
                f"{model._meta.label} is declared in {path}; move it to "
                f"{privacy_module_path(model)}"
            )


def test_reasons_are_given():
    declared = registry()
    for model, reason in [*declared.excluded.items(), *declared.not_personal.items()]:
        assert isinstance(reason, str) and len(reason.split()) >= 3, (
            f"{model._meta.label}: say in a few words why it is excluded"
        )


def test_the_tree_is_well_formed():
    declared = registry()
    models = {entry.model for entry in declared.entries}
    for entry in declared.entries:
        assert isinstance(entry, PersonalData)
        name = entry.model._meta.label
        assert entry.find is not None or entry.via, f"{name}: give find= or via="
        for via in entry.via:
            parent = entry.model._meta.get_field(via).related_model
            assert parent in models, f"{name}.{via} points at {parent._meta.label}, not declared"
        if isinstance(entry.erase, Anonymise):
            for field in entry.erase.values:
                entry.model._meta.get_field(field)  # raises if the field does not exist
        for field in entry.export_exclude:
            entry.model._meta.get_field(field)


def test_special_category_fields_and_self_views_exist():
    declared = registry()
    assert "pankki.Expert.themes" in declared.special_category
    for dotted in declared.special_category:
        app_label, model_name, field = dotted.split(".")
        apps.get_model(app_label, model_name)._meta.get_field(field)
    names = project_url_names()
    for name in declared.self_views:
        assert name in names, f"SELF_VIEWS names {name!r}, which is no URL name"


def test_retention_rules_have_their_settings():
    names = [rule.name for rule in registry().retention]
    assert len(names) == len(set(names))
    for rule in registry().retention:
        assert isinstance(getattr(settings, rule.setting), int), rule.setting
        assert str(rule.description)
