"""`redline serve`: the HTTP API and the dashboard over one store."""

from __future__ import annotations

from typing import Annotated

import typer

from redline.cli.app import app
from redline.cli.common import DataOpt, StoreOpt, data_dir, err, store_path


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    store: StoreOpt = None,
    data: DataOpt = None,
) -> None:
    """Serve the API (OpenAPI docs at /docs) and the dashboard at / until Ctrl-C."""
    from redline.api.server import serve as run  # the API and the screen: imported when it serves

    def ready(url: str) -> None:
        err.print(f"Redline on {url}  (API docs: /docs)", highlight=False)

    run(store_path(ctx, store), host=host, port=port, data_dir=data_dir(ctx, data),
        on_ready=ready)  # fmt: skip
