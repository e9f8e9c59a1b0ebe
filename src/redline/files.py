"""Files written whole or not at all.

Reach for :func:`atomic_write` whenever a command writes a file someone reads afterwards (a
download, ``match --output``, the fetch record): the bytes go to a temporary file beside the
target and are renamed onto it only when the block ends without error, so a failed or
interrupted run leaves the previous file (or none), never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside ``path``, renamed onto it only if the block succeeds.

    Open for reading too, so a writer can check what it wrote before the rename (a download's
    sha256). ``with atomic_write(out) as fh: fh.write(data)``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # beside the target: os.replace is atomic only within one file system
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w+b") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
