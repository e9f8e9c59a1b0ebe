"""Data files shipped in ``redline/data`` (or a user's file of the same shape), as text or YAML.

Reach for :func:`load_yaml` when a loader takes the packaged file by default and a user's file
when given, and for :func:`parse_yaml` when the text is already read: both name the file in the
one-line problem a YAML syntax error becomes. Example::

    doc, source = load_yaml("trackers.yaml", path)  # source: "redline/data/trackers.yaml"

Every YAML Redline reads goes through :func:`yaml_document`, which refuses, as one
:class:`~redline.errors.InputError` naming file and line, what PyYAML would crash or stall on:
invalid UTF-8 (at its line and column), an impossible date (``2019-02-30``, year 0,
``T25:61``), nesting deeper than :data:`MAX_DEPTH`, and an alias "bomb" (a 300-byte file whose
aliases expand to millions of values took 865 MB and 11 s before this check).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from redline.errors import InputError, Problem

MAX_DEPTH = 64  # the deepest shipped file nests 6 levels
MAX_NODES = 200_000  # values once aliases are expanded (taxonomy.yaml, the largest, has ~3,000)


def decode(raw: bytes, source: str) -> str:
    """``raw`` as UTF-8 text; invalid bytes are an :class:`InputError` at their line:column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        problem = Problem(source, f"{line}:{column}", f"not valid UTF-8 (byte 0x{bad})")
        raise InputError([problem]) from exc


def read_file(path: Path) -> str:
    """The UTF-8 text of a user's file; unreadable or invalid UTF-8 is one :class:`InputError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from exc
    return decode(raw, str(path))


def read_text(name: str, path: Path | None = None) -> tuple[str, str]:
    """(text, label): ``path``'s text, else the packaged ``redline/data/<name>``."""
    if path is not None:
        return read_file(path), str(path)
    text = resources.files("redline.data").joinpath(name).read_text(encoding="utf-8")
    return text, f"redline/data/{name}"


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """PyYAML's timestamp, or a marked error for a date that does not exist (2019-02-30)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date or time ({exc})", node.start_mark
        ) from exc


class _SafeLoader(yaml.SafeLoader):
    """The pure-Python safe loader (its wording and positions of errors)."""


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_FastLoader: type[Any] = _SafeLoader
if hasattr(yaml, "CSafeLoader"):
    # libyaml: every screen reads the policies and the catalogue, and two pure-Python passes
    # (compose, then load) cost ~80 ms a screen
    class _CSafeLoader(yaml.CSafeLoader):
        """libyaml's parser with the checked timestamp constructor."""

    _CSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    _FastLoader = _CSafeLoader


def _mark(node: yaml.Node) -> str:
    return f"{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _check_shape(node: yaml.Node, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH or more than MAX_NODES values once aliases are
    expanded; iterative (a 10,000-deep file must not exhaust Python's stack)."""
    size: dict[int, int] = {}  # expanded size of each node (aliases share one node object)
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        current, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            message = f"nested deeper than {MAX_DEPTH} levels"
            raise InputError([Problem(source, _mark(current), message)])
        children = _children(current)
        if done:
            size[id(current)] = 1 + sum(size[id(c)] for c in children)
            if size[id(current)] > MAX_NODES:
                message = f"expands to more than {MAX_NODES:,} values (aliases)"
                raise InputError([Problem(source, _mark(current), message)])
            continue
        if id(current) in size:
            continue
        stack.append((current, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _problem(exc: yaml.YAMLError, source: str) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    position = f"{mark.line + 1}:{mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return InputError([Problem(source, position, f"not valid YAML: {problem}")])


def yaml_document(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The node tree of the one YAML document in ``text`` and the data built from it."""
    try:
        node = _compose(text, _FastLoader)
    except (yaml.YAMLError, RecursionError):
        try:  # PyYAML's own reading stands: its wording and position of an error
            node = _compose(text, _SafeLoader)
        except yaml.YAMLError as exc:
            raise _problem(exc, source) from exc
        except RecursionError as exc:
            message = f"nested deeper than {MAX_DEPTH} levels"
            raise InputError([Problem(source, "", message)]) from exc
    if node is None:
        return None, None
    _check_shape(node, source)
    loader = _SafeLoader("")
    try:
        return node, loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _problem(exc, source) from exc
    finally:
        loader.dispose()


def _compose(text: str, loader_class: Any) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def parse_yaml(text: str, source: str) -> Any:
    """The YAML document in ``text``; a syntax error is an :class:`InputError` naming ``source``."""
    return yaml_document(text, source)[1]


def load_yaml(name: str, path: Path | None = None) -> tuple[Any, str]:
    """(document, label) of ``path`` or of the packaged ``name`` (see :func:`read_text`)."""
    text, source = read_text(name, path)
    return parse_yaml(text, source), source
