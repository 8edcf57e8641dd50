"""What an app's privacy.py declares its personal data with: the person, the kinds of erasure,
how rows are found, PersonalData and Retention (conventions: the package's docstring)."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

# Anonymised accounts and records keep a unique, undeliverable address in this domain.
ERASED_DOMAIN = "poistettu.invalid"
# What replaces a person's name in kept rows (audit log, other people's emails).
ERASED = "[poistettu]"


def erased_email(obj) -> str:
    return f"{obj._meta.model_name}-{obj.pk}@{ERASED_DOMAIN}"


def shown_keys(objs: Iterable[models.Model]) -> list[str]:
    """How audit rows name the records they show ("pankki.expert:12")."""
    return sorted({f"{obj._meta.label_lower}:{obj.pk}" for obj in objs})


def record_keys(model: type[models.Model], pks: Iterable[int]) -> list[str]:
    """shown_keys of the records of `model` with these primary keys, without the records."""
    return sorted({f"{model._meta.label_lower}:{pk}" for pk in pks})


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


# Erasure, finders, entries -----------------------------------------------------------------


class Erasure(ABC):
    """What erasure does to the rows of one model."""

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def apply(self, queryset: QuerySet, person: Person) -> None: ...


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
    export_labels: what the readable export calls the keys such a function writes beside the
        model's fields;
    late: found after all other entries, from what they found (the audit log, the outbox).
    """

    model: type[models.Model]
    erase: Erasure
    find: ByUser | ByEmail | Callable[[Person, dict], QuerySet] | None = None
    via: tuple[str, ...] = ()
    export: Callable | bool = True
    export_exclude: tuple[str, ...] = ()
    export_labels: Mapping[str, str] = field(default_factory=dict)
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


def _delete_files(obj, names: list[str]) -> None:
    """Delete the stored files once the transaction commits (a rollback keeps them)."""
    for name in names:
        file = getattr(obj, name)
        if file:
            storage, path = file.storage, file.name
            transaction.on_commit(lambda s=storage, p=path: s.delete(p))
