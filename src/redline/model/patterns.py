"""Regular expressions from data files (taxonomy keywords, tracker mappings), checked first.

Reach for :func:`pattern_problem` before compiling a pattern a user or reviewer wrote: it
returns why the pattern must be refused, or ``None``. Besides patterns that do not compile, it
refuses those that can backtrack catastrophically: a repeat inside a repeat (``(a+)+``), or a
repeated alternation whose branches can start with the same character (``(a|a)+b``, which
takes seconds on 30 characters). ``(?:foo|bar)+`` and ``\\d{4}-\\d{2}`` pass.
"""

from __future__ import annotations

import re
from re import _parser  # type: ignore[attr-defined]  # (the stdlib's own regex parser)
from typing import Any

_REPEATS = {_parser.MAX_REPEAT, _parser.MIN_REPEAT}
_UNKNOWN = object()  # a branch whose first character is not one literal


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused (does not compile, can backtrack catastrophically), or None."""
    try:
        re.compile(pattern)
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"does not compile: {exc}"
    if _nested(list(parsed), inside_repeat=False):
        return "can backtrack catastrophically (a repeat of a repeat or of overlapping choices)"
    return None


def _nested(items: list[tuple[Any, Any]], *, inside_repeat: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _low, high, body = arg
            repeats = high is _parser.MAXREPEAT or high > 1
            if repeats and inside_repeat:
                return True
            if _nested(list(body), inside_repeat=inside_repeat or repeats):
                return True
        elif op is _parser.BRANCH:
            branches = arg[1]
            if inside_repeat and _overlap(branches):
                return True
            if any(_nested(list(b), inside_repeat=inside_repeat) for b in branches):
                return True
        elif op is _parser.SUBPATTERN and _nested(list(arg[-1]), inside_repeat=inside_repeat):
            return True
    return False


def _overlap(branches: list[Any]) -> bool:
    firsts = [_first(list(b)) for b in branches]
    if any(f is _UNKNOWN for f in firsts):
        return True
    return len(set(firsts)) < len(firsts)


def _first(items: list[tuple[Any, Any]]) -> object:
    if not items:
        return _UNKNOWN
    op, arg = items[0]
    if op is _parser.LITERAL:
        return arg
    if op is _parser.SUBPATTERN:
        return _first(list(arg[-1]))
    return _UNKNOWN
