"""Each app offers its own links in the header and on the front page.

An app that has a `navigation` module defines `menu(user)` (links in the header) and
`role_links(user, role)` (links on the front page card of one of the user's roles); both return
a list of `(label, url)`. kotove depends on no app: it only asks the installed ones.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@cache
def _modules():
    return [
        import_module(f"{app.name}.navigation")
        for app in apps.get_app_configs()
        if app.name != "kotove" and find_spec(f"{app.name}.navigation")
    ]


def menu(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return []
    return [link for module in _modules() for link in module.menu(user)]


def role_links(user, role) -> list[tuple[str, str]]:
    return [link for module in _modules() for link in module.role_links(user, role)]
