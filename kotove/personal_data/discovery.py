"""Discovery: the declarations gathered from the installed apps' privacy.py modules, the
special-category (health) columns, and the rule of which models reference a person (what
tests/kotove/test_privacy_registry.py checks every model against)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import QuerySet

from .declarations import PersonalData, Retention


@dataclass
class Registry:
    entries: list[PersonalData] = field(default_factory=list)
    excluded: dict[type, str] = field(default_factory=dict)
    not_personal: dict[type, str] = field(default_factory=dict)
    retention: list[Retention] = field(default_factory=list)
    special_category: list[str] = field(default_factory=list)
    self_views: dict[str, str] = field(default_factory=dict)
    modules: dict[str, object] = field(default_factory=dict)

    def entry(self, model) -> PersonalData | None:
        return next((e for e in self.entries if e.model is model), None)


@cache
def registry() -> Registry:
    result = Registry()
    for app in apps.get_app_configs():
        if not find_spec(f"{app.name}.privacy"):
            continue
        module = import_module(f"{app.name}.privacy")
        result.modules[app.label] = module
        result.entries.extend(getattr(module, "PERSONAL_DATA", []))
        result.excluded.update(getattr(module, "EXCLUDED", {}))
        result.not_personal.update(getattr(module, "NOT_PERSONAL", {}))
        result.retention.extend(getattr(module, "RETENTION", []))
        result.special_category.extend(getattr(module, "SPECIAL_CATEGORY", []))
        result.self_views.update(getattr(module, "SELF_VIEWS", {}))
    # Traces (the audit log, the outbox) are found last, from what the others found.
    result.entries.sort(key=lambda entry: entry.late)
    return result


def special_category_columns(model) -> list[str]:
    """The model's own columns that hold special-category (health) data (privacy.py
    SPECIAL_CATEGORY)."""
    label = model._meta.label
    names = [d.rsplit(".", 1)[1] for d in registry().special_category if d.startswith(f"{label}.")]
    return [name for name in names if not model._meta.get_field(name).many_to_many]


def without_special_category(queryset: QuerySet, *, related: Iterable[str] = ()) -> QuerySet:
    """`queryset` without its model's health data columns (and those of the `related` foreign
    keys, which it selects), for pages that show the records but not that data: what is not
    read cannot leak (least privilege; tests/site watches the SQL of every page)."""
    columns = special_category_columns(queryset.model)
    for name in related:
        model = queryset.model._meta.get_field(name).related_model
        columns += [f"{name}__{column}" for column in special_category_columns(model)]
    if related:
        queryset = queryset.select_related(*related)
    return queryset.defer(*columns) if columns else queryset


# Which models reference a person ------------------------------------------------------------


PERSONAL_FIELD_NAMES = {
    "email",
    "first_name",
    "last_name",
    "full_name",
    "phone",
    "phone_number",
    "home_address",
    "street_address",
    "postal_address",
    "birth_date",
    "date_of_birth",
    "personal_identity_code",
    "ip_address",
}


def _personal_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.EmailField | models.GenericIPAddressField)
        or f.name in PERSONAL_FIELD_NAMES
        or f.name.endswith(("_email", "_phone"))
    ]


def _checked_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy and not model._meta.auto_created and model._meta.managed
    ]


@cache
def person_references() -> dict[type, list[str]]:
    """Every model that references a person, with the reasons (fields and relations) it does."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    not_personal = registry().not_personal
    checked = _checked_models()
    holds = {user_model: ["the user model"]}
    for model in checked:
        if model not in not_personal and (names := _personal_fields(model)):
            holds.setdefault(model, []).extend(f"personal field {name!r}" for name in names)
    changed = True
    while changed:  # rows deleted with a person's row are part of that person's data
        changed = False
        for model in checked:
            if model in holds or model in not_personal:
                continue
            for f in model._meta.concrete_fields:
                if (
                    f.is_relation
                    and f.related_model in holds
                    and f.remote_field.on_delete is models.CASCADE
                ):
                    holds[model] = [f"{f.name!r} → {f.related_model._meta.label} (CASCADE)"]
                    changed = True
                    break
    result = {model: list(reasons) for model, reasons in holds.items()}
    for model in checked:
        if model in not_personal:
            continue
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if f.is_relation and f.related_model in holds and model not in holds:
                result.setdefault(model, []).append(f"{f.name!r} → {f.related_model._meta.label}")
    return result


def privacy_module_path(model) -> str:
    """The file where `model`'s declaration belongs: its app's privacy.py; kotove's for the
    apps that are not ours (allauth, the admin log)."""
    config = apps.get_app_config(model._meta.app_label)
    if not config.path.startswith(str(settings.BASE_DIR)) or "site-packages" in config.path:
        return "kotove/privacy.py"
    return f"{config.name.replace('.', '/')}/privacy.py"
