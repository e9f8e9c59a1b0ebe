"""Run the API and the dashboard (``redline serve``) with uvicorn."""

from __future__ import annotations

from pathlib import Path

from redline.api.app import create_app
from redline.store.db import Store


def serve(store_path: Path, *, host: str, port: int, data_dir: Path | None = None) -> None:
    """Serve the API and dashboard until interrupted."""
    import uvicorn

    # open (and migrate) once before the server starts: a bad store is one clear error here,
    # not a traceback from inside the server's start-up
    Store(store_path).close()
    uvicorn.run(create_app(store_path, data_dir=data_dir, host=host), host=host, port=port,
                log_level="info")  # fmt: skip
