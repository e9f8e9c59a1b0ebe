"""Data files shipped in ``redline/data`` (or a user's file of the same shape), as text or YAML.

Reach for :func:`load_yaml` when a loader takes the packaged file by default and a user's file
when given, and for :func:`parse_yaml` when the text is already read: both name the file in the
one-line problem a YAML syntax error becomes. Example::

    doc, source = load_yaml("trackers.yaml", path)  # source: "redline/data/trackers.yaml"
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from redline.errors import InputError, Problem


def read_text(name: str, path: Path | None = None) -> tuple[str, str]:
    """(text, label): ``path``'s text, else the packaged ``redline/data/<name>``."""
    if path is not None:
        return path.read_text(encoding="utf-8"), str(path)
    text = resources.files("redline.data").joinpath(name).read_text(encoding="utf-8")
    return text, f"redline/data/{name}"


def parse_yaml(text: str, source: str) -> Any:
    """The YAML document in ``text``; a syntax error is an :class:`InputError` naming ``source``."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError([Problem(source, "", f"not YAML: {exc}")]) from exc


def load_yaml(name: str, path: Path | None = None) -> tuple[Any, str]:
    """(document, label) of ``path`` or of the packaged ``name`` (see :func:`read_text`)."""
    text, source = read_text(name, path)
    return parse_yaml(text, source), source
