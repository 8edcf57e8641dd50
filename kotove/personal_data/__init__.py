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

The parts: declarations.py (what a privacy.py declares with), discovery.py (gathering the
declarations; which models reference a person), finding.py (the plan: the rows found about a
person, which the export and the erasure both work from), export.py and erasure.py (with the
nightly retention). Every name is imported here: use `kotove.personal_data.<name>`.
"""

from .declarations import (
    DELETE,
    ERASED,
    ERASED_DOMAIN,
    Anonymise,
    ByEmail,
    ByUser,
    Custom,
    Delete,
    Erasure,
    Keep,
    Person,
    PersonalData,
    Retention,
    by_email,
    by_user,
    erased_email,
    record_keys,
    shown_keys,
)
from .discovery import (
    PERSONAL_FIELD_NAMES,
    Registry,
    person_references,
    privacy_module_path,
    registry,
    special_category_columns,
    without_special_category,
)
from .erasure import apply_retention, erase, person_from_rows
from .export import EXTRA_LABELS, export_data, export_row, labels, readable_sections
from .finding import Plan, Section, plan

__all__ = [
    "DELETE",
    "ERASED",
    "ERASED_DOMAIN",
    "EXTRA_LABELS",
    "PERSONAL_FIELD_NAMES",
    "Anonymise",
    "ByEmail",
    "ByUser",
    "Custom",
    "Delete",
    "Erasure",
    "Keep",
    "Person",
    "PersonalData",
    "Plan",
    "Registry",
    "Retention",
    "Section",
    "apply_retention",
    "by_email",
    "by_user",
    "erase",
    "erased_email",
    "export_data",
    "export_row",
    "labels",
    "person_from_rows",
    "person_references",
    "plan",
    "privacy_module_path",
    "readable_sections",
    "registry",
    "record_keys",
    "shown_keys",
    "special_category_columns",
    "without_special_category",
]
