"""Personal data: what the platform holds about a person, how it is exported, erased and expired.

Each app that stores data about people declares it in its own `privacy.py` (kotove's also
declares the third-party apps: allauth, the admin log). kotove depends on no app: it only asks
the installed ones, in INSTALLED_APPS order. A module may define:

    PERSONAL_DATA = [PersonalData(...), ...]  # the export/erase tree (parents before children)
    EXCLUDED = {Model: "why it is neither exported nor erased"}
    NOT_PERSONAL = {Model: "why the rule below flags it although it is about nobody"}
    RETENTION = [Retention(...), ...]         # rows that expire, run nightly by Celery beat
    SPECIAL_CATEGORY = ["app.Model.field", ...]  # health data: showing it writes an audit row
    SELF_VIEWS = {"namespace:url_name": "why"}  # pages showing such data only to its subject

Which models reference a person (tests/kotove/test_privacy_registry.py walks every model):
a model *holds a person's data* when it is the user model, has a personal field (an
EmailField or GenericIPAddressField, or a field named like PERSONAL_FIELD_NAMES or ending in
`_email` / `_phone`), or has a CASCADE foreign key / one-to-one to a model that holds a person's
data (its rows are part of that person's data). A model *references a person* when it holds a
person's data or has any foreign key, one-to-one or many-to-many to such a model (e.g. a
`created_by`). Every model that references a person is in PERSONAL_DATA, EXCLUDED or
NOT_PERSONAL of its app's privacy.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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
# Anonymised accounts and records keep a unique, undeliverable address in this domain.
ERASED_DOMAIN = "poistettu.invalid"
# What replaces a person's name in kept rows (audit log, other people's emails).
ERASED = "[poistettu]"


def erased_email(obj) -> str:
    return f"{obj._meta.model_name}-{obj.pk}@{ERASED_DOMAIN}"


def shown_keys(objs: Iterable[models.Model]) -> list[str]:
    """How audit rows name the records they show ("pankki.expert:12")."""
    return sorted({f"{obj._meta.label_lower}:{obj.pk}" for obj in objs})


# The person --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Whom an export or erasure is about: their account (if any), every email address and
    name they are known by. Apps find their rows from these."""

    user: models.Model | None = None
    emails: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, obj) -> Person:
        """The person a user account or a record about a person (with `email`, `user`,
        names) is about."""
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        user = obj if isinstance(obj, user_model) else getattr(obj, "user", None)
        emails, names = set(), set()
        for item in (obj, user):
            if item is None:
                continue
            if getattr(item, "email", ""):
                emails.add(item.email.strip().lower())
            name = f"{getattr(item, 'first_name', '')} {getattr(item, 'last_name', '')}".strip()
            name = name or getattr(item, "name", "")
            if name and " " in name:  # a lone first name would match other people's text
                names.add(name)
        if user is not None:
            emails.update(e.lower() for e in user.emailaddress_set.values_list("email", flat=True))
        return cls(user=user, emails=frozenset(emails), names=frozenset(names))

    def __str__(self):
        return str(self.user) if self.user else ", ".join(sorted(self.emails))


# Declarations ------------------------------------------------------------------------------


class Erasure:
    """What erasure does to the rows of one model."""

    def describe(self) -> str:  # pragma: no cover - each kind says its own
        raise NotImplementedError

    def apply(self, queryset: QuerySet, person: Person) -> None:  # pragma: no cover
        raise NotImplementedError


class Delete(Erasure):
    """The rows are deleted (and their uploaded files)."""

    def describe(self):
        return _("deleted")

    def apply(self, queryset, person):
        files = [
            f.name for f in queryset.model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        if files:
            for obj in queryset.only("pk", *files):
                _delete_files(obj, files)
        queryset.delete()


DELETE = Delete()


@dataclass(frozen=True)
class Anonymise(Erasure):
    """The rows stay (counts and statistics keep them) with these fields replaced: a value,
    or a function of the row. A many-to-many field given [] is cleared; a file field given ""
    loses its file."""

    values: dict[str, object]

    def describe(self):
        return _("anonymised: %(fields)s") % {"fields": ", ".join(self.values)}

    def describe_for(self, model) -> str:
        labels = [str(model._meta.get_field(name).verbose_name) for name in self.values]
        return _("anonymised: %(fields)s") % {"fields": ", ".join(labels)}

    def apply(self, queryset, person):
        model = queryset.model
        m2m = [n for n in self.values if model._meta.get_field(n).many_to_many]
        files = [n for n in self.values if isinstance(model._meta.get_field(n), models.FileField)]
        plain = {n: v for n, v in self.values.items() if n not in m2m}
        if not m2m and not files and not any(callable(v) for v in plain.values()):
            queryset.update(**plain)
            return
        for obj in queryset:
            _delete_files(obj, files)
            for name, value in plain.items():
                setattr(obj, name, value(obj) if callable(value) else value)
            if plain:
                obj.save(update_fields=list(plain))
            for name in m2m:
                getattr(obj, name).clear()


@dataclass(frozen=True)
class Keep(Erasure):
    """The rows stay as they are, for the reason given (they are exported all the same)."""

    reason: str

    def describe(self):
        return _("kept: %(reason)s") % {"reason": self.reason}

    def apply(self, queryset, person):
        pass


@dataclass(frozen=True)
class Custom(Erasure):
    """A function `(queryset, person)` does the erasure; `description` says what it does."""

    function: Callable[[QuerySet, Person], None]
    description: str

    def describe(self):
        return str(self.description)

    def apply(self, queryset, person):
        self.function(queryset, person)


@dataclass(frozen=True)
class ByUser:
    """Finds the rows whose `fields` (foreign keys to the user model, or "pk" on the user model
    itself) are the person's account."""

    fields: tuple[str, ...]

    def query(self, model, person: Person) -> QuerySet:
        if person.user is None:
            return model._default_manager.none()
        condition = Q()
        for name in self.fields:
            condition |= Q(**{name: person.user.pk if name == "pk" else person.user})
        return model._default_manager.filter(condition)


@dataclass(frozen=True)
class ByEmail:
    """Finds the rows whose `fields` hold one of the person's email addresses (any case)."""

    fields: tuple[str, ...]

    def query(self, model, person: Person) -> QuerySet:
        condition = Q()
        for name in self.fields:
            for email in person.emails:
                condition |= Q(**{f"{name}__iexact": email})
        return model._default_manager.filter(condition) if condition else model.objects.none()


def by_user(*fields: str) -> ByUser:
    return ByUser(fields or ("user",))


def by_email(*fields: str) -> ByEmail:
    return ByEmail(fields or ("email",))


@dataclass(frozen=True)
class PersonalData:
    """How one model's rows about a person are found, exported and erased.

    find: the rows found directly from the person: by_user("user"), by_email("email"), or a
        function (person, found) -> QuerySet, where `found` maps the models found so far to
        their primary keys;
    via: foreign keys to models higher in the tree: the rows of rows found there (children);
    export: True (every field but `export_exclude`), False (not exported: say why in a
        comment), or a function (obj, person) -> dict | None (None leaves the row out);
    late: found after all other entries, from what they found (the audit log, the outbox).
    """

    model: type[models.Model]
    erase: Erasure
    find: ByUser | ByEmail | Callable[[Person, dict], QuerySet] | None = None
    via: tuple[str, ...] = ()
    export: Callable | bool = True
    export_exclude: tuple[str, ...] = ()
    late: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows(self, person: Person, found: dict) -> QuerySet:
        if hasattr(self.find, "query"):
            return self.find.query(self.model, person)
        return self.find(person, found)

    def describe_erasure(self) -> str:
        if isinstance(self.erase, Anonymise):
            return self.erase.describe_for(self.model)
        return self.erase.describe()


@dataclass(frozen=True)
class Retention:
    """Rows that expire: every night the rows `expired(cutoff)` returns (cutoff = now minus the
    days in `setting`) are erased as their PersonalData declares (with their children and the
    traces naming them), or, when `erase` is given, get only that erasure."""

    name: str
    description: str
    setting: str
    expired: Callable[[datetime.datetime], QuerySet]
    erase: Erasure | None = None

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting))


# Discovery ---------------------------------------------------------------------------------


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


# Export and erasure -------------------------------------------------------------------------


@dataclass
class Section:
    entry: PersonalData
    pks: list

    @property
    def model(self):
        return self.entry.model

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def queryset(self) -> QuerySet:
        return self.model._default_manager.filter(pk__in=self.pks)

    @property
    def erasure(self) -> str:
        return self.entry.describe_erasure()


@dataclass
class Plan:
    """Everything found about a person (or under some records): what the export holds and
    what erasure changes. Found once, before anything changes."""

    person: Person
    sections: list[Section]

    @property
    def counts(self) -> dict[str, int]:
        return {s.entry.label: len(s.pks) for s in self.sections}

    def found(self, model) -> list:
        return next((s.pks for s in self.sections if s.model is model), [])


def plan(person: Person, *, roots: dict[type, Iterable] | None = None) -> Plan:
    """Find the rows about `person`: each entry's own `find`, and the children (`via`) of
    whatever was found, until nothing new turns up; then the late entries (traces).

    With `roots` ({model: pks}) only those rows, their children and traces are found (a
    retention job erasing some records, not the whole person)."""
    entries = registry().entries
    found: dict[type, set] = {model: set(pks) for model, pks in (roots or {}).items()}
    early = [e for e in entries if not e.late]
    for _round in range(len(early) + 1):
        before = sum(len(pks) for pks in found.values())
        for entry in early:
            rows = set()
            if entry.find is not None and roots is None:
                rows |= set(entry.rows(person, found).values_list("pk", flat=True))
            for name in entry.via:
                parent = entry.model._meta.get_field(name).related_model
                if found.get(parent):
                    rows |= set(
                        entry.model._default_manager.filter(
                            **{f"{name}__in": found[parent]}
                        ).values_list("pk", flat=True)
                    )
            if rows:
                found.setdefault(entry.model, set()).update(rows)
        if sum(len(pks) for pks in found.values()) == before:
            break
    for entry in entries:
        if entry.late and entry.find is not None:
            rows = set(entry.rows(person, found).values_list("pk", flat=True))
            if rows:
                found.setdefault(entry.model, set()).update(rows)
    sections = [
        Section(entry, sorted(found[entry.model])) for entry in entries if found.get(entry.model)
    ]
    return Plan(person=person, sections=sections)


def _delete_files(obj, names: list[str]) -> None:
    """Delete the stored files once the transaction commits (a rollback keeps them)."""
    for name in names:
        file = getattr(obj, name)
        if file:
            storage, path = file.storage, file.name
            transaction.on_commit(lambda s=storage, p=path: s.delete(p))


def _value(obj, f, *, readable: bool):
    if f.many_to_many:
        return [str(item) for item in getattr(obj, f.name).all()]
    value = getattr(obj, f.name)
    if f.is_relation:
        return str(value) if value is not None else None
    if isinstance(f, models.FileField):
        return value.name or None
    if readable and f.choices and not isinstance(value, list):
        return str(dict(f.flatchoices).get(value, value))
    if readable and isinstance(value, list) and f.base_field.choices:
        labels = dict(f.base_field.flatchoices)
        return [str(labels.get(item, item)) for item in value]
    return value


def export_row(obj, exclude=(), *, readable=False) -> dict:
    """Every concrete and many-to-many field of the row, but `exclude`: foreign keys by their
    text, files by their name; with `readable`, choices by their label."""
    fields = [*obj._meta.concrete_fields, *obj._meta.many_to_many]
    return {
        f.name: _value(obj, f, readable=readable)
        for f in fields
        if f.name not in exclude and not f.name.endswith("_ptr")
    }


def labels(model) -> dict[str, str]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return {f.name: str(f.verbose_name) for f in fields}


def export_data(the_plan: Plan, *, readable: bool = False) -> dict:
    """The export: one section per model, one dict per row."""
    sections = []
    for section in the_plan.sections:
        entry = section.entry
        if entry.export is False:
            continue
        rows = []
        for obj in section.queryset():
            if callable(entry.export):
                row = entry.export(obj, the_plan.person)
            else:
                row = export_row(obj, entry.export_exclude, readable=readable)
            if row is not None:
                rows.append(row)
        if rows:
            sections.append(
                {
                    "model": entry.label,
                    "title": section.title,
                    "labels": labels(entry.model),
                    "rows": rows,
                }
            )
    return {"exported_at": timezone.now(), "person": str(the_plan.person), "sections": sections}


# Labels of the keys that exporters write beside model fields (the audit log's rows).
EXTRA_LABELS = {
    "time": _lazy("time"),
    "by": _lazy("by"),
    "object": _lazy("object"),
    "object_type": _lazy("object type"),
}


def _display(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_display(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_display(item)}" for key, item in value.items())
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def readable_sections(data: dict) -> list[dict]:
    """The export as the PDF shows it: per section, per row, (label, text) without the empty."""
    sections = []
    for section in data["sections"]:
        labels = {**EXTRA_LABELS, **section["labels"]}
        rows = [
            [
                (str(labels.get(key, key)), _display(value))
                for key, value in row.items()
                if value not in (None, "", [], {})
            ]
            for row in section["rows"]
        ]
        sections.append({"title": section["title"], "rows": rows})
    return sections


@transaction.atomic
def erase(the_plan: Plan) -> dict[str, int]:
    """Apply the plan: traces first (they need what the other rows said), then the entries
    children first (declared after their parents). Returns the counts per model."""
    ordered = [s for s in the_plan.sections if s.entry.late] + [
        s for s in reversed(the_plan.sections) if not s.entry.late
    ]
    for section in ordered:
        section.entry.erase.apply(section.queryset(), the_plan.person)
    return the_plan.counts


def person_from_rows(rows: Iterable[models.Model]) -> Person:
    """The emails and names in some records, without their accounts: what traces to scrub
    when only these records are erased."""
    emails, names = set(), set()
    for row in rows:
        person = Person.of(row)
        emails |= person.emails - {e for e in person.emails if e.endswith(ERASED_DOMAIN)}
        names |= person.names
    return Person(emails=frozenset(emails), names=frozenset(names))


def apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every app's retention rules; rows past their time are erased. One transaction and
    one audit row per rule that found rows. Returns the counts per rule."""
    from .services import audit

    now = now or timezone.now()
    counts = {}
    for rule in registry().retention:
        cutoff = now - datetime.timedelta(days=rule.days)
        with transaction.atomic():
            queryset = rule.expired(cutoff)
            if rule.erase is not None:
                counts[rule.name] = count = queryset.count()
                if count:
                    rule.erase.apply(queryset, Person())
            else:
                pks = list(queryset.values_list("pk", flat=True))
                counts[rule.name] = count = len(pks)
                if count:
                    rows = queryset.model._default_manager.filter(pk__in=pks)
                    erase(plan(person_from_rows(rows), roots={queryset.model: pks}))
            if count:
                audit(
                    actor=None,
                    action=f"retention.{rule.name}",
                    data={"count": count, "days": rule.days},
                )
    return counts
