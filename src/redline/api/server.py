"""Run the API and the dashboard (``redline serve``) with uvicorn."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path

from redline.api.app import create_app
from redline.errors import RedlineError
from redline.store.db import Store


class PortInUse(RedlineError):
    """The port is taken (or not ours to take): one line, exit 1, before anything is printed."""


def check_port(host: str, port: int) -> None:
    """Raise :class:`PortInUse` when ``host:port`` cannot be listened on now.

    Checked before uvicorn starts: uvicorn reports a taken port after its start-up lines, as a
    log record and ``sys.exit(1)``, so a user saw "Redline on http://…" and then a failure.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            why = "in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
            raise PortInUse(f"cannot listen on {host}:{port}: {why} (choose --port)") from exc


def serve(
    store_path: Path,
    *,
    host: str,
    port: int,
    data_dir: Path | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the API and dashboard until interrupted; ``on_ready`` gets the URL once the
    store opened and the port is free (so nothing is announced that then fails)."""
    import uvicorn

    # open (and migrate) once before the server starts: a missing or bad store is one clear
    # error here (never a new empty store), not a traceback from inside the server's start-up
    Store(store_path, create=False).close()
    check_port(host, port)
    if on_ready:
        on_ready(f"http://{host}:{port}/")
    uvicorn.run(create_app(store_path, data_dir=data_dir, host=host), host=host, port=port,
                log_level="info")  # fmt: skip
