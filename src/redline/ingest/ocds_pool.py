"""Run chunk work in worker processes, in input order, with a bounded number in flight.

Reach for :class:`Workers` (one per ingest call): ``workers.map(fn, jobs)`` yields ``fn(*job)``
for each job in order, computed in-process when there is one worker, else by a process pool
started on first use. Only a few jobs are submitted ahead, so memory stays bounded and the
caller's reading position stays close to its writing position. Workers die with the process
that started them (Linux ``PR_SET_PDEATHSIG``, else a watchdog thread): a SIGKILL of the ingest
leaves no worker behind, and the store's transaction, owned by the main process, rolls back.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def cpu_count() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _die_with(parent: int) -> None:
    """Worker initializer: exit when ``parent`` dies; parsed OCDS needs no cyclic GC."""
    gc.disable()
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # it died before prctl took effect
            os._exit(1)
        return

    def watch() -> None:  # pragma: no cover - other platforms
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class Workers:
    """``workers`` processes for chunk work; ``1`` keeps everything in this process."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.ahead = self.workers + 2  # jobs in flight: every worker busy, one queued each
        self._pool: ProcessPoolExecutor | None = None

    @property
    def pooled(self) -> bool:
        return self.workers > 1

    def map(self, fn: Callable[..., R], jobs: Iterable[tuple[Any, ...]]) -> Iterator[R]:
        """``fn(*job)`` for every job, in order."""
        if not self.pooled:
            for job in jobs:
                yield fn(*job)
            return
        pool = self._start()
        pending: deque[Future[R]] = deque()
        try:
            for job in jobs:
                pending.append(pool.submit(fn, *job))
                if len(pending) >= self.ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:  # the caller stopped early (an error): drop queued work
                future.cancel()

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: this process runs DuckDB's threads, whose locks a fork would copy
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_die_with, initargs=(os.getpid(),)
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
