"""``POST /screen`` off the request path: one worker process judges posted packages.

Reach for :class:`ScreenWorker` (the app holds one, started with the app): a screen of
thousands of releases is CPU work that, run in a request thread, held the interpreter and so
stalled every ``/match`` (0.15 s → 3.4 s, issue 15). In its own process it costs ``/match``
one core at most. The worker gets a snapshot of the store's watchlist tables with each job
(:func:`redline.services.serve.lists_snapshot`) and keeps the lists' index between jobs.

Limits, each answered in the API's error shape: at most :data:`QUEUE` screens in the worker or
waiting for it (more: 503 with ``Retry-After``); ``REDLINE_API_TIMEOUT`` seconds for one
screen, waiting included — past it the worker is killed (a fresh one starts with the next
job) and the client gets 503.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pyarrow as pa
from fastapi import HTTPException

from redline.errors import InputError, StoreError
from redline.services.serve import screen_with_lists

#: screens running or waiting at once; the next one is told to come back
QUEUE = 4


def _ready() -> bool:
    return True


def _job(lists: dict[str, pa.Table], package: Any, data_dir: Path | None) -> tuple[str, Any]:
    """The worker's side: errors come back as values (an exception whose constructor takes
    other arguments than its message does not survive the trip between processes)."""
    try:
        return "ok", screen_with_lists(lists, package, data_dir=data_dir)
    except InputError as exc:
        return "input", list(exc.problems)
    except StoreError as exc:
        return "store", str(exc)
    except Exception as exc:  # logged by the server, never shown to the client
        return "internal", f"{type(exc).__name__}: {exc}"


def _unwrap(kind: str, value: Any) -> dict[str, Any]:
    if kind == "ok":
        return dict(value)
    if kind == "input":
        raise InputError(value)
    if kind == "store":
        raise StoreError(value)
    raise RuntimeError(f"screen worker: {value}")


class ScreenWorker:
    """A one-process pool for screens, restarted after a timeout or a crash."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.waiting = 0  # touched only on the event loop
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Spawn the worker now (it imports Redline, ~2 s) rather than on the first screen."""
        self._started().submit(_ready)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the server process runs DuckDB's and uvicorn's threads
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return self._pool

    def stop(self) -> None:
        """Kill the worker (a screen in it is abandoned) and forget the pool."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    async def screen(
        self, lists: dict[str, pa.Table], package: Any, data_dir: Path | None
    ) -> dict[str, Any]:
        """Run :func:`screen_with_lists` in the worker; 503 when busy, late or crashed."""
        if self.waiting >= QUEUE:
            raise HTTPException(503, f"{QUEUE} screens are running or queued; try again later",
                                {"Retry-After": "10"})  # fmt: skip
        try:
            job = self._started().submit(_job, lists, package, data_dir)
        except BrokenProcessPool:  # the worker died between two screens: start another
            self.stop()
            job = self._started().submit(_job, lists, package, data_dir)
        self.waiting += 1
        try:
            kind, value = await asyncio.wait_for(asyncio.wrap_future(job), self.timeout)
        except asyncio.CancelledError:
            if job.cancelled():  # dropped from the queue when the worker was killed
                raise HTTPException(503, "the screening worker was restarted; try again") from None
            raise
        except TimeoutError:
            self.stop()
            raise HTTPException(503, f"screen stopped after {self.timeout:g} s "
                                "(REDLINE_API_TIMEOUT); post fewer releases") from None  # fmt: skip
        except BrokenProcessPool:
            self.stop()
            raise HTTPException(503, "the screening worker stopped; try again") from None
        finally:
            self.waiting -= 1
        return _unwrap(kind, value)
