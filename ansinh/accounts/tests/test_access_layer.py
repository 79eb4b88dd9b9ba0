"""The access layer is the only place that knows scope (STYLE.md 18): no view or API module filters
by a unit's path itself, and the core (`accounts/access.py`) knows no app's records."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # ansinh/
# A scope filter written by hand: a unit's materialised path, or the Scope's query builders.
FORBIDDEN = re.compile(r"path__(?:i?startswith|i?regex|contains|range|under)\b|\.data_filter\(|\.change_filter\(|\b_under\(")


def _view_and_api_modules() -> list[Path]:
    """Every module of `ansinh/*/views*.py`, `ansinh/*/views/` and `ansinh/api/`, tests excepted."""
    found = set(PACKAGE.glob("*/views*.py")) | set(PACKAGE.glob("*/views/**/*.py")) | set(PACKAGE.glob("api/**/*.py"))
    return sorted(p for p in found if "tests" not in p.relative_to(PACKAGE).parts)


def test_it_finds_the_view_and_api_modules() -> None:
    names = {str(p.relative_to(PACKAGE)) for p in _view_and_api_modules()}
    assert {"api/households.py", "api/plans.py"} <= names
    assert any(name.startswith("households/views") for name in names)
    assert any(name.startswith("plans/views") for name in names)


@pytest.mark.parametrize("module", _view_and_api_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_it_keeps_scope_filters_out_of_views_and_the_api(module: Path) -> None:
    offending = [f"{module.relative_to(PACKAGE)}:{number}: {line.strip()}"
                 for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1)
                 if FORBIDDEN.search(line)]
    assert not offending, ("Filter by scope through the app's access.py (or a QuerySet method), not in a view:\n"
                           + "\n".join(offending))


def test_it_catches_a_view_that_filters_by_path(tmp_path: Path) -> None:
    """The pattern finds what it is there to find (so that the test above can fail)."""
    samples = ['Household.objects.filter(commune__path__startswith=unit.path)',
               'Unit.objects.filter(path__regex=r"^/1/")', 'units.filter(scope.data_filter(""))',
               'Q(**{"path__startswith": p})', 'Scope._under(paths)', 'units.filter(path__under=unit.path)']
    assert all(FORBIDDEN.search(sample) for sample in samples)
    assert not FORBIDDEN.search("households_in_unit(households, unit)")


def test_it_keeps_domain_models_out_of_the_core_access_module() -> None:
    tree = ast.parse((PACKAGE / "accounts" / "access.py").read_text(encoding="utf-8"))
    modules = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    apps = {m.split(".")[1] for m in modules if m.startswith("ansinh.") and m.count(".") >= 1}
    assert apps <= {"accounts", "geo", "lib"}, apps
