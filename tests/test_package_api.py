"""The public surface is small, complete and cheap to import."""

from __future__ import annotations

import subprocess
import sys

import redline


def test_every_exported_name_resolves() -> None:
    for name in redline.__all__:
        assert getattr(redline, name) is not None, name


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        redline.not_a_thing  # noqa: B018 - the access is the test
    except AttributeError as exc:
        assert "not_a_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_import_does_not_pull_in_the_heavy_stack() -> None:
    code = (
        "import sys, redline; "
        "print(sorted(m for m in ('altair', 'weasyprint', 'fastapi', 'pyspark', 'duckdb') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
