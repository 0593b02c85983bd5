"""An import-linter contract for imports written as strings, which import-linter's own graph cannot see.

``importlib.import_module("gateway.demo")`` or ``"services.orgtree.app:create_app"`` in the kernel would
let it name its consumers while the "forbidden" contract passes. This contract reads every module of the
source packages and reports each string literal that names a forbidden module (``name`` or ``name.x``),
docstrings aside.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from typing import Any

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _module_files(package: str) -> list[Path]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    return sorted(p for root in spec.submodule_search_locations for p in Path(root).rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the constant nodes that are docstrings (module, class, function)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def string_imports(
    packages: set[str], forbidden: set[str], allowed: frozenset[str] | set[str] = frozenset()
) -> list[tuple[str, int, str]]:
    """(file, line, string) for each string literal in ``packages`` naming a module of ``forbidden``, but for the
    exact strings of ``allowed``."""
    # module paths are lower case; event names such as "gateway.TenantProvisioned" are not imports
    pattern = re.compile(rf"^({'|'.join(map(re.escape, sorted(forbidden)))})(\.[a-z_][a-z0-9_]*)*(:\w+)?$")
    hits = []
    for package in sorted(packages):
        for path in _module_files(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in skip:
                    continue
                if pattern.match(node.value) and node.value not in allowed:
                    hits.append((str(path), node.lineno, node.value))
    return hits


class NoStringImportsContract(Contract):
    """Options: ``source_modules`` (packages to read), ``forbidden_modules`` (what they may not name),
    ``allowed_strings`` (exact strings that are names, not imports: a component's queue is named as its package)."""

    type_name = "no string imports"

    source_modules = fields.SetField(subfield=fields.StringField())
    forbidden_modules = fields.SetField(subfield=fields.StringField())
    allowed_strings = fields.SetField(subfield=fields.StringField(), required=False, default=set())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        hits = string_imports(
            set(self.source_modules),  # type: ignore[call-overload]
            set(self.forbidden_modules),  # type: ignore[call-overload]
            set(self.allowed_strings),  # type: ignore[call-overload]
        )
        return ContractCheck(kept=not hits, metadata={"hits": hits})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for path, line, value in check.metadata["hits"]:
            output.print_error(f"{path}:{line} names {value!r} in a string")
            output.new_line()
