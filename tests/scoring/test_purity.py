"""The scoring package is pure Python: no Django, and nothing outside the standard library and
the package itself (checked from the import statements of every module)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "assessments" / "scoring"
ALLOWED_PREFIX = "assessments.scoring"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a module; relative imports are the package."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, ALLOWED_PREFIX))
            elif node.module is not None:
                found.append((node.lineno, node.module))
    return found


def allowed(module: str) -> bool:
    top = module.split(".")[0]
    if module == ALLOWED_PREFIX or module.startswith(ALLOWED_PREFIX + "."):
        return True
    return top != "assessments" and top in sys.stdlib_module_names


def test_every_scoring_module_imports_only_stdlib_and_the_package() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 10  # the check must see the package
    offending = [
        f"{path.relative_to(PACKAGE.parent.parent)}:{line}: {module}"
        for path in modules
        for line, module in imported_modules(path)
        if not allowed(module)
    ]
    assert offending == []


def test_the_check_catches_django_and_third_party_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import json\nfrom django.db import models\nimport numpy as np\n"
        "from assessments import models as m\nfrom . import niosh\n",
        encoding="utf-8",
    )
    modules = [module for _, module in imported_modules(sample)]
    assert [m for m in modules if not allowed(m)] == ["django.db", "numpy", "assessments"]
