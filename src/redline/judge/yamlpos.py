"""Read a YAML file keeping the line of every value, so errors can name their position.

Reach for :func:`load_with_positions` when a reviewed YAML file is validated and each problem
must say ``file:line:col``. Pydantic reports a location such as ``("rules", 2, "sectors", 0)``;
:meth:`Positions.of` turns it into the line and column where that value is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from redline.errors import InputError, Problem

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Positions:
    """Location → ``line:col`` (1-based) of every node in one YAML document."""

    marks: dict[Loc, str]

    def of(self, loc: Sequence[str | int]) -> str:
        """The position of ``loc``, or of its closest written ancestor (a missing key)."""
        key = tuple(loc)
        while key:
            if key in self.marks:
                return self.marks[key]
            key = key[:-1]
        return self.marks.get((), "1:1")


def _walk(node: yaml.Node, loc: Loc, marks: dict[Loc, str]) -> None:
    marks[loc] = f"{node.start_mark.line + 1}:{node.start_mark.column + 1}"
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _walk(value_node, (*loc, str(key_node.value)), marks)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*loc, index), marks)


def load_with_positions(path: Path) -> tuple[Any, Positions]:
    """Parse ``path``; a file that is not YAML raises InputError at the parser's position."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from exc
    try:
        # one pass, by libyaml when PyYAML has it: every screen reads the policies and the
        # catalogue, and two pure-Python passes (compose, then load) cost ~80 ms a screen
        node, data = _parse(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError:
        try:  # PyYAML's own reading stands: its wording and position of an error, as before
            node, data = _parse(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            position = f"{mark.line + 1}:{mark.column + 1}" if mark else ""
            problem = f"not valid YAML: {exc.problem}"
            raise InputError([Problem(str(path), position, problem)]) from exc
    marks: dict[Loc, str] = {}
    if node is not None:
        _walk(node, (), marks)
    return data, Positions(marks)


def _parse(text: str, loader_class: Any) -> tuple[yaml.Node | None, Any]:
    """The document's node tree and the data built from it (one parse)."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
