"""The house's size rules (issue 11, STYLE.md): small functions, modules that say why when long.

A function over 80 lines or a module over 500 lines is where a newcomer gets lost; the import
layers themselves are checked by ``lint-imports`` (the contracts in pyproject.toml).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "redline"
MAX_FUNCTION = 80
MAX_MODULE = 500
#: a long module states why in its docstring or a comment, with these words
WHY_LONG = "Kept in one module"


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_function_is_over_80_lines() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({lines})")
    assert not long, f"functions over {MAX_FUNCTION} lines: {long}"


def test_a_module_over_500_lines_says_why() -> None:
    unexplained = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if (text := path.read_text(encoding="utf-8")).count("\n") > MAX_MODULE
        and WHY_LONG not in text
    ]
    assert not unexplained, f"modules over {MAX_MODULE} lines without '{WHY_LONG}': {unexplained}"


def test_the_size_check_sees_a_long_function(tmp_path: Path) -> None:
    # the walk above must see nested and async functions too, or the rule passes by accident
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION + 1))
    tree = ast.parse(f"class A:\n  async def f():\n{body}\n".replace("\n    x", "\n      x"))
    sizes = [
        (n.end_lineno or 0) - n.lineno + 1
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    assert sizes == [MAX_FUNCTION + 2]
