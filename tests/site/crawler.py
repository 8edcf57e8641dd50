"""Crawl the site as each role: every page a user can reach by following links from the front
page and from every URL that takes no arguments, with the demo data in place.

For each response it keeps what the checks need: the status, the headers, whether the view
read special-category (health) data, how many audit rows it wrote, and the forms on the page.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.apps import apps
from django.db import connection
from django.urls import Resolver404, resolve

from kotove.models import AuditEvent
from kotove.personal_data import registry

# Links a crawler must not follow: they end the session or leave the site.
NEVER = ("/static/", "/media/", "/accounts/logout/", "/admin/logout/")


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str  # the path of the page it is on
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        """Forms alike: the same fields sent to the same view (e.g. every row's remove button
        in a list is one form)."""
        path = urlsplit(self.action).path
        names = tuple(sorted(f.name for f in self.fields))
        return (self.method, url_name(path) or path, names)


class PageParser(HTMLParser):
    """The links and forms of a page."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.url, attrs["href"]))
        elif tag == "img" and attrs.get("src"):
            self.links.append(urljoin(self.url, attrs["src"]))
        elif tag == "form":
            action = urljoin(self.url, attrs.get("action") or self.url)
            self._form = Form(self.url, action, (attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind not in ("submit", "button", "image", "reset"):
                self._form.fields.append(Field(attrs["name"], kind, attrs.get("value") or ""))
        elif tag == "select":
            kind = "select-multiple" if "multiple" in attrs else "select"
            self._select = Field(attrs["name"], kind)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


@dataclass
class Visit:
    role: str
    url: str
    name: str
    status: int
    response: object
    special: bool  # the view read special-category data
    audit_rows: int


def special_category_markers() -> list[str]:
    """SQL fragments that show a query read special-category data: the table of a
    many-to-many field, or "table"."column" of a concrete field (privacy.py SPECIAL_CATEGORY)."""
    markers = []
    for dotted in registry().special_category:
        app_label, model_name, name = dotted.split(".")
        field_ = apps.get_model(app_label, model_name)._meta.get_field(name)
        if field_.many_to_many:
            markers.append(f'"{field_.remote_field.through._meta.db_table}"')
        else:
            markers.append(f'"{field_.model._meta.db_table}"."{field_.column}"')
    return markers


class QueryWatch:
    """Notes whether any query during a request reads special-category data."""

    def __init__(self, markers):
        self.markers = markers
        self.hit = False

    def __call__(self, execute, sql, params, many, context):
        if not self.hit and any(marker in sql for marker in self.markers):
            self.hit = True
        return execute(sql, params, many, context)


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def fetch(client, role: str, url: str, markers) -> Visit:
    watch = QueryWatch(markers)
    before = AuditEvent.objects.count()
    with connection.execute_wrapper(watch):
        response = client.get(url, secure=True)
    return Visit(
        role=role,
        url=url,
        name=url_name(urlsplit(url).path) or "",
        status=response.status_code,
        response=response,
        special=watch.hit,
        audit_rows=AuditEvent.objects.count() - before,
    )


# Third-party pages behave alike for every role: crawled as these only.
ACCOUNT_ROLES = ("anonymous", "planner", "orderer")
# The admin is the planner's; its pages share one code path, so each kind of admin page
# (changelist, change, add, delete, history, the personal data pages…) is visited for this
# many models, and always for models with special-category data.
ADMIN_MODELS_PER_KIND = 2


def admin_kind(name: str) -> tuple[str, str]:
    """("pankki_expert", "change") for "admin:pankki_expert_change"."""
    rest = name.removeprefix("admin:")
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if rest.startswith(prefix):
            return prefix[:-1], rest.removeprefix(prefix)
    return "", rest


def special_models() -> set[str]:
    return {"_".join(dotted.lower().split(".")[:2]) for dotted in registry().special_category}


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    forms: dict[str, list[Form]] = field(default_factory=dict)  # role -> distinct forms

    def run(self, clients: dict, seeds: list[str], *, states=(), per_name: int = 1) -> Crawl:
        """Visit from `seeds` as each role; at most `per_name` URLs per URL name without a
        query string and as many with one (filters, pages), per role, besides the pages in
        `states` (objects in a state whose page offers other links and forms), always
        visited."""
        markers = special_category_markers()
        special = special_models()
        for role, client in clients.items():
            seen: set[str] = set()
            counts: Counter = Counter()
            admin_kinds: dict[str, set] = {}
            forms: dict[tuple, Form] = {}
            queue = deque([*states, *seeds])
            always = set(states)
            while queue:
                url = queue.popleft()
                parts = urlsplit(url)
                if parts.netloc not in ("", "testserver") or url in seen:
                    continue
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                name = url_name(parts.path)
                if name is None or path.startswith(NEVER):
                    continue
                bucket = (name, bool(parts.query))
                if counts[bucket] >= per_name and url not in always:
                    continue
                if name.startswith("admin:") and role != "planner" and counts["admin"]:
                    continue  # one refusal is enough
                if name.startswith(("account", "mfa_")) and role not in ACCOUNT_ROLES:
                    continue
                if name.startswith("admin:") and role == "planner":
                    model, kind = admin_kind(name)
                    models = admin_kinds.setdefault(kind, set())
                    full = len(models) >= ADMIN_MODELS_PER_KIND
                    if full and model not in models and model not in special:
                        continue
                    models.add(model)
                counts["admin" if name.startswith("admin:") else ""] += 1
                seen.add(url)
                if url not in always:  # the other objects' pages are crawled as usual
                    counts[bucket] += 1
                visit = fetch(client, role, path, markers)
                self.visits.append(visit)
                response = visit.response
                if visit.status in (301, 302) and response.get("Location"):
                    queue.append(urljoin(path, response["Location"]))
                if visit.status != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                parser = PageParser(path)
                parser.feed(response.content.decode("utf-8", "replace"))
                queue.extend(parser.links)
                for form in parser.forms:
                    forms.setdefault(form.key, form)
                    queue.append(form.action)  # a GET to a POST-only URL must refuse (405)
                    if form.method == "get":  # a search form: its page with its own values
                        query = [(f.name, f.value) for f in form.fields if f.value]
                        if query:
                            queue.append(form.action.split("?")[0] + "?" + _encode(query))
            self.forms[role] = list(forms.values())
        return self

    def reached(self) -> set[str]:
        return {visit.name for visit in self.visits if visit.status != 404}


def _encode(pairs) -> str:
    from urllib.parse import urlencode

    return urlencode(pairs)


def query_params(url: str) -> list[str]:
    return [key for key, _value in parse_qsl(urlsplit(url).query)]
