"""The `redline` command: thin wrappers over :mod:`redline.services`."""

from __future__ import annotations

import sys

from redline.cli.app import app
from redline.cli.common import err
from redline.errors import EXIT_INTERNAL, RedlineError


def _register() -> None:
    # one line per command module; each module adds its commands to `app`
    from redline.cli import alerts as _alerts  # noqa: F401
    from redline.cli import classify as _classify  # noqa: F401
    from redline.cli import data as _data  # noqa: F401
    from redline.cli import demo as _demo  # noqa: F401
    from redline.cli import ingest as _ingest  # noqa: F401
    from redline.cli import lists as _lists  # noqa: F401
    from redline.cli import match as _match  # noqa: F401
    from redline.cli import ownership as _ownership  # noqa: F401
    from redline.cli import report as _report  # noqa: F401
    from redline.cli import review as _review  # noqa: F401
    from redline.cli import screen as _screen  # noqa: F401
    from redline.cli import serve as _serve  # noqa: F401
    from redline.cli import status as _status  # noqa: F401
    from redline.cli import synth as _synth  # noqa: F401
    # -- more command modules register here --


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point: a RedlineError becomes its message on stderr and its exit code (1 or 2);
    any other exception is Redline's own fault: one line and exit 3, never a traceback."""
    try:
        app(args=argv, prog_name="redline")
    except RedlineError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            err.print(f"error: {line}", style="red", highlight=False, markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # the last line of defence of the exit-code contract
        detail = " ".join(str(exc).split())[:300] or "no detail"
        line = f"internal error ({type(exc).__name__}): {detail} — please report it"
        err.print(f"error: {line}", style="red", highlight=False, markup=False, soft_wrap=True)
        sys.exit(EXIT_INTERNAL)


def run(argv: list[str]) -> int:
    """Run one command in this process and return its exit status (what the shell would see)."""
    try:
        main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1 if exc.code else 0
    return 0


__all__ = ["app", "main", "run"]
