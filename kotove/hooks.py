"""Places on one app's pages where a later app adds its links or sections.

Apps depend one way (kotove <- pankki <- {alueet, koulutus} <- palaute), yet pankki's task page
links to the task's feedback and a course's pages to its evaluations. The page that offers a
place calls `collect("<place>", **arguments)`; every installed app whose `hooks` module defines
a function of that name answers with a list, and the page shows what they answered. The page's
view documents its places (their arguments and what an item is); kotove only asks the installed
apps, like kotove.navigation.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@cache
def _modules():
    return [
        import_module(f"{app.name}.hooks")
        for app in apps.get_app_configs()
        if app.name != "kotove" and find_spec(f"{app.name}.hooks")
    ]


def collect(place: str, **arguments) -> list:
    """What the installed apps add to `place`, in INSTALLED_APPS order."""
    return [
        item
        for module in _modules()
        if (answer := getattr(module, place, None))
        for item in answer(**arguments)
    ]
