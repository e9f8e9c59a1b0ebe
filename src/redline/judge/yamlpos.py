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

from redline.packaged import read_file, yaml_document

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
    """Parse ``path``; a file that is not YAML raises InputError at the parser's position
    (so do invalid UTF-8, an impossible date, too deep nesting: see ``yaml_document``)."""
    node, data = yaml_document(read_file(path), str(path))
    marks: dict[Loc, str] = {}
    if node is not None:
        _walk(node, (), marks)
    return data, Positions(marks)
