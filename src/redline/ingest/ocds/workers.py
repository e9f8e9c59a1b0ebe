"""Run chunk work in worker processes, in input order, with a bounded number in flight.

Reach for :class:`Workers` (one per ingest call): ``workers.map(fn, jobs)`` yields ``fn(*job)``
for each job in order, computed in-process when there is one worker, else by a process pool
started on first use. Only a few jobs are submitted ahead, so memory stays bounded and the
caller's reading position stays close to its writing position. Workers die with the process
that started them (Linux ``PR_SET_PDEATHSIG``, else a watchdog thread): a SIGKILL of the ingest
leaves no worker behind, and the store's transaction, owned by the main process, rolls back.

Start-up is kept short (it is on the critical path of every pooled file): call
:meth:`Workers.start` as early as the caller knows it will need the pool, so spawning and
imports overlap its own work. A worker imports the chunk modules at once, never the parent's
``__main__`` (multiprocessing re-runs a main *script* in every child: for the ``redline``
console script that is ``import redline.cli``, 1.9 CPU s per worker, measured), and never
pandas (pyarrow imports it on its first conversion only to check for pandas objects: 0.36 s
per worker). So ``fn`` must live in an importable module, not in ``__main__``.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import importlib.abc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, TypeVar

R = TypeVar("R")
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
#: what every worker imports as it starts (pyarrow, orjson, ocdsmerge: about 0.35 s)
PRELOAD = ("redline.ingest.ocds.worker_io",)


def cpu_count() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _init_worker(parent: int, preload: tuple[str, ...]) -> None:
    """Worker initializer: exit when ``parent`` dies; parsed OCDS needs no cyclic GC; import
    ``preload`` now (the pool may be started before its first job) and never pandas."""
    gc.disable()
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas())
    _die_with(parent)
    for name in preload:
        importlib.import_module(name)


class _NoPandas(importlib.abc.MetaPathFinder):
    """``import pandas`` fails in a worker: pyarrow tries it on its first conversion only to
    recognise pandas objects, which chunks never hold (a ``None`` in ``sys.modules`` does not
    do: pyarrow's compiled import takes the ``None`` as the module)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"{fullname} is not used in ingest workers", name=fullname)
        return None


def _ready() -> int:
    """A first job: makes the pool spawn a worker now (see :meth:`Workers.start`)."""
    return os.getpid()


@contextmanager
def _main_hidden() -> Iterator[None]:
    """While workers are spawned: ``__main__`` names neither a file nor a module, so a child
    does not run the parent's main script or module again (see the module docstring)."""
    main = sys.modules.get("__main__")
    saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if hasattr(main, k)}
    if main is None or not saved:
        yield
        return
    main.__spec__ = None
    if "__file__" in saved:
        del main.__file__
    try:
        yield
    finally:
        for key, value in saved.items():
            setattr(main, key, value)


def _die_with(parent: int) -> None:
    """Exit when ``parent`` dies."""
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
        pool = self._started()
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

    def start(self) -> None:
        """Spawn the workers now, if there are several and they are not running yet: they
        import the chunk modules while the caller goes on (see the module docstring)."""
        if self.pooled:
            self._started()

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: this process runs DuckDB's threads, whose locks a fork would copy
            context = multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_init_worker,
                initargs=(os.getpid(), PRELOAD),
            )  # fmt: skip
            with _main_hidden():
                # the executor spawns a worker per job submitted while none is idle: one
                # first job each starts them all now (their results are not needed)
                for _ in range(self.workers):
                    pool.submit(_ready)
            self._pool = pool
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
