"""Use case: get the public sources onto this machine (`redline data fetch`).

Reach for :func:`fetch_sources` to fill an empty data directory, or to refresh some entries
(``only=["us_dod_1260h"]``); pass ``base_url`` to read from a mirror served over HTTP instead of
the upstream origins. The result is also written to ``<into>/FETCHED.json`` (date, size and
sha256 of every file), merged with what an earlier run recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson

from redline.errors import InputError, Problem
from redline.files import atomic_write
from redline.ingest.fetch import (
    Fetched,
    FileSpec,
    Manifest,
    Source,
    client,
    expand,
    fetch_file,
    load_manifest,
)
from redline.settings import get_settings

RECORD = "FETCHED.json"

#: (target just handled, files done, files in total)
OnProgress = Callable[[str, int, int], None]


@dataclass
class FetchReport:
    """What a fetch did: files written, and entries skipped with the reason."""

    into: Path
    base_url: str | None
    fetched: list[Fetched] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def _select(manifest: Manifest, only: Sequence[str] | None) -> list[Source]:
    if not only:
        return list(manifest.sources)
    by_name = {s.name: s for s in manifest.sources}
    unknown = [n for n in only if n not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name))
        raise InputError([Problem("--only", n, f"no such source; known: {known}") for n in unknown])
    return [s for s in manifest.sources if s.name in set(only)]


def _order(sources: list[Source], manifest: Manifest) -> list[Source]:
    # a subset derived from another fetched file needs that file's entry fetched first
    chosen = {s.name for s in sources}
    extra = []
    for s in sources:
        parent = manifest.parent(s)
        if parent is not None and parent.name not in chosen:
            extra.append(parent)
            chosen.add(parent.name)
    return extra + sorted(sources, key=lambda s: manifest.parent(s) is not None)


def fetch_sources(
    into: Path,
    *,
    base_url: str | None = None,
    only: Sequence[str] | None = None,
    manifest: Manifest | None = None,
    on_progress: OnProgress | None = None,
) -> FetchReport:
    """Fetch the manifest's sources into ``into`` (same layout as the shared mirror).

    ``base_url`` defaults to REDLINE_FETCH_BASE_URL. A mirror-only entry without a base URL is
    skipped and reported, and so is an on-request entry (a national contracts file) that
    ``only`` does not name. The first failing file raises FetchError; files already written stay.
    """
    manifest = manifest or load_manifest()
    base = (base_url if base_url is not None else get_settings().fetch_base_url) or None
    sources = _select(manifest, only)
    if not base:  # a mirror already holds derived files; upstream they are built here
        sources = _order(sources, manifest)
    report = FetchReport(into=into, base_url=base)
    specs: list[FileSpec] = []
    for source in sources:
        if source.mirror_only and not base:
            report.skipped[source.name] = source.mirror_only
        elif source.on_request and source.name not in (only or ()):
            report.skipped[source.name] = f"fetched only with --only {source.name}: " + (
                source.on_request
            )
        else:
            specs.extend(expand(source, base))
    into.mkdir(parents=True, exist_ok=True)
    if on_progress:
        on_progress("", 0, len(specs))
    try:
        with client() as http:
            for done, spec in enumerate(specs, start=1):
                report.fetched.append(fetch_file(http, spec, into, mirrored=base is not None))
                if on_progress:
                    on_progress(spec.target, done, len(specs))
    finally:
        _record(report)
    return report


def _record(report: FetchReport) -> None:
    path = report.into / RECORD
    files: dict[str, object] = {}
    if path.exists():
        try:
            files = dict(orjson.loads(path.read_bytes()).get("files", {}))
        except (orjson.JSONDecodeError, AttributeError):
            files = {}  # an unreadable record is rebuilt from this run rather than trusted
    for f in report.fetched:
        files[f.target] = {k: v for k, v in asdict(f).items() if k != "target"}
    record = {
        "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "base_url": report.base_url,
        "files": dict(sorted(files.items())),
        "skipped": report.skipped,
    }
    with atomic_write(path) as fh:
        fh.write(orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n")


def data_path(data: Path | None = None) -> Path:
    """The data directory in use: ``data`` if given, else REDLINE_DATA, made absolute."""
    return (data or get_settings().data).resolve()
