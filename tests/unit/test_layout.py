"""The direction of dependencies (DESIGN §2), read from the source: each layer imports only the
layers below it, so the pure engine stays callable from the CLI and the tests without an app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLANNER = Path(__file__).resolve().parents[2] / "planner"

# A package and what it must never import (a prefix matches the module and everything in it).
FORBIDDEN = {
    "catalog": ["flask", "sqlalchemy", "planner.engine", "planner.report", "planner.models",
                "planner.services", "planner.web"],
    "answers": ["flask", "sqlalchemy", "planner.engine", "planner.report", "planner.models",
                "planner.services", "planner.web"],
    "engine": ["flask", "sqlalchemy", "planner.report", "planner.models", "planner.services",
               "planner.web", "planner.cli"],
    "report": ["flask", "planner.models", "planner.services", "planner.web", "planner.cli"],
    "models": ["flask", "planner.services", "planner.web"],
    "services": ["planner.web", "planner.cli"],
}  # fmt: skip


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def breaks(module: str, rule: str) -> bool:
    return module == rule or module.startswith(rule + ".")


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(package: str) -> None:
    sources = sorted((PLANNER / package).rglob("*.py"))
    assert sources, f"planner/{package}/ has no modules"
    wrong = [
        f"{path.relative_to(PLANNER.parent)} imports {module}"
        for path in sources
        for module in sorted(imports(path))
        if any(breaks(module, rule) for rule in FORBIDDEN[package])
    ]
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_the_web_layer_but_the_app_factory_and_itself() -> None:
    allowed = {PLANNER / "__init__.py", PLANNER / "cli.py"}
    wrong = [
        f"{path.relative_to(PLANNER.parent)} imports {module}"
        for path in sorted(PLANNER.rglob("*.py"))
        if path not in allowed and PLANNER / "web" not in path.parents
        for module in sorted(imports(path))
        if breaks(module, "planner.web")
    ]
    assert not wrong, "\n".join(wrong)


def test_the_rule_reads_imports_inside_functions_too(tmp_path: Path) -> None:
    source = tmp_path / "late.py"
    source.write_text("def f():\n    from planner.web import share\n", encoding="utf-8")
    assert any(breaks(module, "planner.web") for module in imports(source))
