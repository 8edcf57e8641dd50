"""Apps depend one way: kotove <- pankki <- {alueet, koulutus} <- palaute. Later apps reach
earlier pages only through kotove.hooks and kotove.navigation."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
# What each app may import of the project's apps.
ALLOWED = {
    "kotove": {"kotove"},
    "pankki": {"kotove", "pankki"},
    "alueet": {"kotove", "pankki", "alueet"},
    "koulutus": {"kotove", "pankki", "koulutus"},
    "palaute": {"kotove", "pankki", "alueet", "koulutus", "palaute"},
}


def imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_earlier_apps(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - ALLOWED[app])
        for path in (ROOT / app).rglob("*.py")
    }
    assert {path: apps for path, apps in wrong.items() if apps} == {}
