"""The HTTP API (FastAPI): reach for :func:`create_app`."""

from redline.api.app import create_app

__all__ = ["create_app"]
