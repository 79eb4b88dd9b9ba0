"""The register does not depend on the poverty review: `ansinh.poverty` imports
`ansinh.households`, never the reverse at import time, except where a household's pages show its
poverty status (the registry views and the list's filter form)."""

from __future__ import annotations

import ast
from pathlib import Path

import ansinh.households

ROOT = Path(ansinh.households.__file__).parent
# The households pages show a household's poverty status, explanation and form B1 items.
ALLOWED = {"views/registry.py", "forms.py"}


def _top_level_imports(path: Path) -> set[str]:
    """Modules imported at module level (not inside a function: those are lazy)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_it_imports_the_poverty_review_only_where_a_page_shows_a_status() -> None:
    modules = [path for path in ROOT.rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts]
    assert len(modules) > 8
    importing = {str(path.relative_to(ROOT)) for path in modules
                 if any(name == "ansinh.poverty" or name.startswith("ansinh.poverty.")
                        for name in _top_level_imports(path))}
    assert importing <= ALLOWED, importing - ALLOWED


def test_it_sees_a_top_level_import_but_not_a_lazy_one(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from ansinh.poverty.models import ReviewRound\n\n\ndef f():\n"
                     "    from ansinh.poverty import engine\n", encoding="utf-8")
    assert _top_level_imports(probe) == {"ansinh.poverty.models"}
