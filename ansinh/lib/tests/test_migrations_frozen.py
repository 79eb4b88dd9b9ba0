"""A migration never imports a live module of the project: the data it loads is frozen beside it
(`migrations/_*.py`), so a later edit to the shipped data cannot change what an old migration does."""

from __future__ import annotations

import ast
from pathlib import Path

import ansinh

ROOT = Path(ansinh.__file__).parent


def _package(path: Path) -> str:
    return ".".join(path.relative_to(ROOT.parent).parts[:-1])


def _imports(path: Path, package: str) -> list[str]:
    """Every module a file imports (absolute), relative imports resolved against its package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found += [module] if node.module else [f"{module}.{alias.name}" for alias in node.names]
    return found


def _live_imports(path: Path, package: str) -> list[str]:
    """The project modules a migration file imports, other than its own frozen data modules."""
    frozen = package + "._"
    return [module for module in _imports(path, package)
            if (module == "ansinh" or module.startswith("ansinh.")) and not module.startswith(frozen)]


def test_it_finds_no_migration_importing_a_live_module() -> None:
    migrations = sorted(ROOT.glob("*/migrations/*.py"))
    assert len(migrations) > 10
    offenders = {str(path.relative_to(ROOT)): _live_imports(path, _package(path)) for path in migrations}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_it_catches_a_live_import(tmp_path: Path) -> None:
    """The check itself can fail: absolute and relative imports of live modules are found,
    and a migration's frozen data module is allowed."""
    probe = tmp_path / "0009_probe.py"
    probe.write_text(
        "from ansinh.poverty.standards_data import load_standards\n"
        "from ..models import Household\n"
        "import ansinh.plans.catalogue_data\n"
        "from ._0002_data import load_standards as frozen\n",
        encoding="utf-8")
    assert _live_imports(probe, "ansinh.households.migrations") == [
        "ansinh.poverty.standards_data", "ansinh.households.models", "ansinh.plans.catalogue_data"]
