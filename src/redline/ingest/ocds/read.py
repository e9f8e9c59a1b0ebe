"""Recognise the form of an OCDS file and stream the releases it holds.

Reach for :func:`read_items` to turn any OCDS file Redline accepts into a stream of
:class:`Item` (one release each) or :class:`~redline.errors.Problem` (one bad spot each).
Accepted: release packages, record packages, single releases or records, JSON Lines of any of
these, and ``.gz`` of all of them (recognised by the gzip magic bytes, not the file name).
Reach for :func:`ocds_files` to expand the folders a caller names into those files.

JSON Lines are streamed line by line, so memory stays bounded by the largest line. A single
JSON document is parsed whole (orjson has no streaming parser; OCDS publishers who ship large
data use JSON Lines or split packages).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

import orjson

from redline.errors import InputError, Problem

#: values accepted by ``--format``; ``None`` means "recognise it".
FORMATS = ("release-package", "record-package", "release", "record", "jsonl", "json")
#: the file names a folder contributes to an ingest (".gz" covers .json.gz, .jsonl.gz ...)
OCDS_SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz")
Kind = Literal["release", "compiled"]
_GZIP_MAGIC = b"\x1f\x8b"
_PROGRESS_EVERY = 256  # lines between byte-progress reports
_PROGRESS_BYTES = 1 << 22  # ... or about this many bytes


def ocds_files(paths: Sequence[Path]) -> list[Path]:
    """The files to ingest: files as given, folders expanded to their OCDS-looking files.

    A folder contributes every ``.json``, ``.jsonl``/``.ndjson`` and ``.gz`` file below it, in
    sorted order; a missing path is an :class:`InputError`.
    """
    found: list[Path] = []
    missing = [Problem(str(p), "", "no such file or folder") for p in paths if not p.exists()]
    if missing:
        raise InputError(missing)
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(OCDS_SUFFIXES))
            )
        else:
            found.append(path)
    return found


@dataclass(frozen=True)
class Item:
    """One release read from a file, with where it was found.

    ``kind`` is ``"compiled"`` for the compiledRelease of a record that carries no full
    releases (e.g. Jalisco's record packages, which only link to their releases).
    ``pointer`` is a JSON pointer (``/releases/3``) or, in JSON Lines, ``line:N`` followed by
    the pointer inside that line (``line:7/releases/0``).
    """

    kind: Kind
    data: dict[str, Any]
    pointer: str
    publisher: str | None
    linked_releases: int = 0


def child(pointer: str, *parts: str | int) -> str:
    """``child("line:3", "awards", 0)`` → ``"line:3/awards/0"``."""
    base = "" if pointer == "/" else pointer
    return base + "".join(f"/{p}" for p in parts) if parts else pointer


def _publisher_name(doc: dict[str, Any]) -> str | None:
    pub = doc.get("publisher")
    if isinstance(pub, dict):
        name = pub.get("name")
        if isinstance(name, str):
            return name
    info = doc.get("packageInfo")
    if isinstance(info, dict):
        return _publisher_name(info)
    return None


def _form_of(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("records"), list):
        return "record-package"
    if "compiledRelease" in doc or "versionedRelease" in doc:
        return "record"
    if isinstance(doc.get("releases"), list):
        return "record" if "ocid" in doc else "release-package"
    if "ocid" in doc:
        return "release"
    return None


def _record_items(
    rec: dict[str, Any], ptr: str, pub: str | None, source: str
) -> Iterator[Item | Problem]:
    pub = _publisher_name(rec) or pub
    found = rec.get("releases")
    releases: list[Any] = found if isinstance(found, list) else []
    full = [(i, r) for i, r in enumerate(releases) if isinstance(r, dict) and "ocid" in r]
    for i, rel in full:
        yield Item("release", rel, child(ptr, "releases", i), _publisher_name(rel) or pub)
    if full:
        return
    compiled = rec.get("compiledRelease")
    if isinstance(compiled, dict):
        yield Item(
            "compiled",
            compiled,
            child(ptr, "compiledRelease"),
            _publisher_name(compiled) or pub,
            linked_releases=len(releases),
        )
    else:
        yield Problem(source, ptr, "record has neither full releases nor a compiledRelease")


def items_of(doc: Any, ptr: str, source: str, fmt: str | None) -> Iterator[Item | Problem]:
    """The releases inside one parsed JSON document (a whole file or one JSON Lines line)."""
    form = _form_of(doc)
    if form is None:
        keys = ", ".join(sorted(doc)[:6]) if isinstance(doc, dict) else type(doc).__name__
        yield Problem(
            source, ptr, f"not OCDS: expected a release, record or package (found {keys})"
        )
        return
    if fmt not in (None, "jsonl", "json") and fmt != form:
        yield Problem(source, ptr, f"expected a {fmt} (--format), found a {form}")
        return
    pub = _publisher_name(doc)
    if form == "release":
        yield Item("release", doc, ptr, pub)
    elif form == "record":
        yield from _record_items(doc, ptr, pub, source)
    else:
        key = "releases" if form == "release-package" else "records"
        for i, entry in enumerate(doc[key]):
            sub = child(ptr, key, i)
            if not isinstance(entry, dict):
                yield Problem(source, sub, f"expected an object in {key}, found {entry!r:.40}")
            elif form == "release-package":
                yield Item("release", entry, sub, pub or _publisher_name(entry))
            else:
                yield from _record_items(entry, sub, pub, source)


def is_gzip(path: Path) -> bool:
    """Whether ``path`` is gzip-compressed, by its first two bytes (not its name)."""
    with path.open("rb") as fh:
        return fh.read(2) == _GZIP_MAGIC


def _unzipped(raw: IO[bytes]) -> IO[bytes]:
    """The decompressed stream of ``raw`` (itself if not gzip); ``raw``'s position measures
    progress."""
    if raw.read(2) == _GZIP_MAGIC:
        raw.seek(0)
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    raw.seek(0)
    return raw


def _line_error(line: bytes) -> str:
    """The JSON error of a bad line, read without its line end: a reader that keeps it and one
    that strips it (worker slices, Spark's text reader) then name the same column. Only on the
    error path, so a good line is never copied."""
    try:
        orjson.loads(line.rstrip(b"\r\n"))
    except orjson.JSONDecodeError as exc:
        return _json_error(exc)
    return "invalid JSON"  # (unreachable: a line end is whitespace to JSON)


def _json_error(exc: orjson.JSONDecodeError) -> str:
    return f"invalid JSON: {exc.msg} (column {exc.colno})"


def read_items(
    path: Path, *, fmt: str | None = None, on_bytes: Callable[[int], None] | None = None
) -> Iterator[Item | Problem]:
    """Every release in ``path``, or a :class:`Problem` for each spot that cannot be read.

    A file whose first line is a complete JSON object is read as JSON Lines (unless
    ``fmt`` says ``json``); anything else is parsed as one document. ``on_bytes`` receives
    increments of bytes read from disk (compressed bytes for ``.gz``).
    """
    yield from stream_items(str(path), path.open("rb"), fmt=fmt, on_bytes=on_bytes)


def stream_items(
    source: str,
    raw: IO[bytes],
    *,
    fmt: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Item | Problem]:
    """:func:`read_items` over an open binary file, closed when the iteration ends: e.g. the
    bytes a Spark executor was handed (``io.BytesIO``); ``source`` names it in provenance."""
    stream = _unzipped(raw)
    done = 0

    def advance() -> None:
        nonlocal done
        if on_bytes is not None:
            pos = raw.tell()
            on_bytes(pos - done)
            done = pos

    try:
        first = stream.readline()
        if _is_jsonl(first, stream, fmt):
            batches = _line_batches(source, first, stream, _PROGRESS_EVERY, _PROGRESS_BYTES)
            for batch in batches:
                if isinstance(batch, Problem):
                    yield batch
                else:
                    yield from jsonl_items(source, *batch)
                    advance()
        else:
            text = first + stream.read()
            try:
                doc = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                yield Problem(source, f"line:{exc.lineno}", _json_error(exc))
                return
            doc_fmt = None if fmt == "json" else fmt
            yield from items_of(doc, "/", source, doc_fmt)
    except (OSError, EOFError, zlib.error) as exc:
        # gzip reports a corrupt stream as EOFError / BadGzipFile (an OSError); one that
        # breaks after its first line ends the batches above with a Problem naming the line
        yield Problem(source, "", f"unreadable file: {exc}")
    finally:
        advance()
        stream.close()
        raw.close()


def _parses_as_object(line: bytes) -> bool:
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def _is_jsonl(first: bytes, stream: IO[bytes], fmt: str | None) -> bool:
    """JSON Lines: forced by ``fmt``, or a first line that is an object with more after it."""
    if fmt == "jsonl":
        return True
    rest_first = stream.peek(1)[:1] if hasattr(stream, "peek") else b""
    return fmt != "json" and _parses_as_object(first) and rest_first.strip() != b""


def is_jsonl(path: Path, fmt: str | None = None, *, max_line: int = -1) -> bool:
    """Whether :func:`read_items` would read ``path`` as JSON Lines (False if unreadable).

    ``max_line`` bounds what is read: a longer first line answers False (e.g. the Spark build
    then hands the file whole to an executor, which reads any form, instead of parsing a
    one-line package on the driver).
    """
    try:
        with path.open("rb") as raw, _unzipped(raw) as stream:
            first = stream.readline(max_line)
            if max_line >= 0 and len(first) >= max_line and not first.endswith(b"\n"):
                return False
            return _is_jsonl(first, stream, fmt)
    except (OSError, EOFError, zlib.error):
        return False  # read_items reports it


def jsonl_items(source: str, first_lineno: int, lines: list[bytes]) -> Iterator[Item | Problem]:
    """The releases of consecutive JSON Lines ``lines`` (with or without their line ends), the
    first being line ``first_lineno``."""
    for lineno, line in enumerate(lines, first_lineno):
        if not line.strip():
            continue
        try:
            doc = orjson.loads(line)
        except orjson.JSONDecodeError:
            yield Problem(source, f"line:{lineno}", _line_error(line))
        else:
            yield from items_of(doc, f"line:{lineno}", source, None)


def jsonl_batches(
    path: Path,
    *,
    max_lines: int,
    max_bytes: int,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, list[bytes]] | Problem]:
    """A JSON Lines file as ``(first line number, lines)`` batches for :func:`jsonl_items`.

    Reach for it to hand a large file to worker processes: each batch holds at most
    ``max_lines`` lines and about ``max_bytes`` bytes. A file that stops being readable
    (a truncated ``.gz``) ends with a :class:`Problem`, as in :func:`read_items`.
    """
    with path.open("rb") as raw, _unzipped(raw) as stream:
        done = 0
        for batch in _line_batches(str(path), b"", stream, max_lines, max_bytes):
            if on_bytes is not None and not isinstance(batch, Problem):
                on_bytes(raw.tell() - done)
                done = raw.tell()
            yield batch


def _line_batches(
    source: str, first: bytes, stream: IO[bytes], max_lines: int, max_bytes: int
) -> Iterator[tuple[int, list[bytes]] | Problem]:
    """The one JSON Lines loop: ``first`` (a line already read, or b"") and the lines of
    ``stream`` as ``(first line number, lines)`` batches, ended by a :class:`Problem` naming
    the first line that could not be read when the stream breaks (a truncated or corrupt
    ``.gz``). The lines before the break stay whole batches: ``--skip-invalid`` keeps them."""
    lineno = 1
    pending = [first] if first else []
    while True:
        lines, size = pending, sum(map(len, pending))
        pending = []
        broken: BaseException | None = None
        while len(lines) < max_lines and size < max_bytes:
            try:
                line = stream.readline()
            except (OSError, EOFError, zlib.error) as exc:
                broken = exc
                break
            if not line:
                break
            lines.append(line)
            size += len(line)
        if broken is not None and lines and not lines[-1].endswith(b"\n"):
            lines.pop()  # a line cut off by the break is not a line
        if lines:
            yield lineno, lines
            lineno += len(lines)
        if broken is not None:
            message = f"unreadable from here (truncated or corrupt?): {broken}"
            yield Problem(source, f"line:{lineno}", message)  # the first line not read
            return
        if not lines:
            return
