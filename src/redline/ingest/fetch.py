"""Download the public sources named in ``data/sources.yaml`` into a data directory.

Reach for :func:`fetch_file` (via :func:`redline.services.data.fetch_sources`) when there is no
local mirror: each file is streamed from its commit-pinned URL into a temporary file beside
its target, optionally transformed by a ``derive`` step, checked to parse as its declared
format and against its ``sha256``, and only then renamed into place, so a failed download
never leaves a partial file behind.

Example: the entry ``us_goods_trade_china`` downloads the US-chartbook ``trade_partner.csv``
(every partner country) and keeps the header and the rows whose ``CTYNAME`` is ``China``; with a
base URL it instead reads ``<base>/trade/us_goods_trade_china_monthly_1985_2023.csv`` as is.

Kept in one module (about 300 lines) because the manifest, the derive steps and the download
share one contract: what a target file must look like when it lands.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, BinaryIO, Literal

import httpx
import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from redline.errors import InputError, Problem, RedlineError
from redline.files import atomic_write
from redline.packaged import load_yaml

MANIFEST = "sources.yaml"
_RETRIES = 3
_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_CHUNK = 1 << 16


class FetchError(RedlineError):
    """A source could not be fetched (HTTP error, network, bad content); one line per file."""


# -- the manifest ---------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BisCountrySubset(_Strict):
    """Rows of the nsfreg BIS Entity List JSON for some countries, flattened to CSV."""

    step: Literal["bis_country_subset"]
    source: str = Field(description="target path of the fetched JSON inside the data dir")
    countries: list[str]


class Reencode(_Strict):
    """The download is text in ``encoding``; store it as UTF-8, bytes otherwise unchanged."""

    step: Literal["reencode"]
    encoding: str


class FilterRows(_Strict):
    """Keep the CSV header and the lines whose ``column`` equals ``equals`` (text kept as is)."""

    step: Literal["filter_rows"]
    column: str
    equals: str


Derive = Annotated[BisCountrySubset | Reencode | FilterRows, Field(discriminator="step")]


class Source(_Strict):
    """One manifest entry: a file, or a folder when ``files`` maps names to their sha256."""

    name: str
    target: str
    format: Literal["csv", "tsv", "json", "jsonl", "xlsx", "text"]
    url: str | None = None
    licence: str
    origin: str
    sha256: str | None = None
    files: dict[str, str] | None = None
    derive: Derive | None = None
    mirror_only: str | None = None
    #: why the entry is fetched only when named (``--only NAME``): a national file of tens of
    #: MB that its publisher rewrites (so no sha256), not an input the demo or tests need
    on_request: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.target.startswith("/") or ".." in Path(self.target).parts:
            raise ValueError("target must be a relative path inside the data directory")
        has_source = isinstance(self.derive, BisCountrySubset)
        if self.mirror_only is None and self.url is None and not has_source:
            raise ValueError("needs a url, a derive step with a source, or mirror_only")
        if self.mirror_only is not None and (self.url or self.derive):
            raise ValueError("mirror_only excludes url and derive")
        if self.on_request is not None and (self.sha256 or self.mirror_only):
            raise ValueError(
                "on_request excludes sha256 (the publisher rewrites it) and mirror_only"
            )
        if self.files is not None and (self.sha256 or self.derive):
            raise ValueError("a folder entry (files) takes its checksums in files")
        return self


class Manifest(_Strict):
    version: Literal[1]
    sources: list[Source]

    @model_validator(mode="after")
    def _unique(self) -> Manifest:
        names = [s.name for s in self.sources]
        if len(names) != len(set(names)):
            raise ValueError(f"duplicate names: {sorted({n for n in names if names.count(n) > 1})}")
        for s in self.sources:
            if isinstance(s.derive, BisCountrySubset) and self.parent(s) is None:
                raise ValueError(f"{s.name}: derive source {s.derive.source} is no entry's file")
        return self

    def parent(self, source: Source) -> Source | None:
        """The entry whose file ``source`` is derived from, if it derives from one."""
        if not isinstance(source.derive, BisCountrySubset):
            return None
        want = source.derive.source
        for s in self.sources:
            if s.target == want or (s.files is not None and want.startswith(f"{s.target}/")):
                return s
        return None


def load_manifest(path: Path | None = None) -> Manifest:
    """The packaged manifest (or ``path``); every structural problem raises one InputError."""
    raw, label = load_yaml(MANIFEST, path)
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(label, ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()
        ]
        raise InputError(problems) from exc


# -- one file to fetch ----------------------------------------------------------------------
@dataclass(frozen=True)
class FileSpec:
    """One file a manifest entry expands to; ``url`` is None where it must come from a mirror."""

    source: Source
    target: str
    url: str | None
    sha256: str | None


def expand(source: Source, base_url: str | None) -> list[FileSpec]:
    """The files of ``source``; with ``base_url`` each is read from ``<base>/<target>``."""
    pairs = (
        [(f"{source.target}/{name}", name, sha) for name, sha in source.files.items()]
        if source.files is not None
        else [(source.target, "", source.sha256)]
    )
    specs = []
    for target, name, sha in pairs:
        if base_url:
            url: str | None = f"{base_url.rstrip('/')}/{target}"
        elif source.url is not None:
            url = f"{source.url}/{name}" if name else source.url
        else:
            url = None
        specs.append(FileSpec(source, target, url, sha))
    return specs


@dataclass(frozen=True)
class Fetched:
    """What landed: recorded in ``FETCHED.json``."""

    name: str
    target: str
    url: str
    size: int
    sha256: str
    derived: str | None
    fetched_at: str


def _download(client: httpx.Client, url: str, target: str, sink: BinaryIO) -> None:
    """Stream ``url`` into ``sink`` (emptied again before a retry)."""
    # retry only what may pass on a second try: timeouts, dropped connections, 5xx
    for attempt in range(1, _RETRIES + 1):
        sink.seek(0)
        sink.truncate()
        try:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 500 and attempt < _RETRIES:
                    time.sleep(attempt)
                    continue
                if resp.status_code != 200:
                    raise FetchError(f"HTTP {resp.status_code} for {url} (target {target})")
                for chunk in resp.iter_bytes(_CHUNK):
                    sink.write(chunk)
                return
        except httpx.TransportError as exc:
            if attempt == _RETRIES:
                why = f"{type(exc).__name__} ({exc})" if str(exc) else type(exc).__name__
                raise FetchError(f"{why} for {url} (target {target})") from exc
            time.sleep(attempt)
    raise AssertionError("unreachable")  # the loop either returns or raises


def _bis_subset(step: BisCountrySubset, data: bytes) -> bytes:
    entities = orjson.loads(data)["entities"]
    buf = io.StringIO(newline="")
    # the mirror's subset was written with csv's default CRLF and " | " for line breaks
    writer = csv.writer(buf)
    writer.writerow(["name", "aliases", "country", "address", "federal_register", "notes"])

    def flat(value: str | None) -> str:
        return (value or "").replace("\n", " | ")

    for e in entities:
        if e.get("country") in step.countries:
            row = [e["name"], "; ".join(e.get("aliases") or []), e["country"], e.get("address")]
            row += [e.get("federal_register"), e.get("notes")]
            writer.writerow([flat(v) for v in row])
    return buf.getvalue().encode("utf-8")


def _filter_rows(step: FilterRows, data: bytes) -> bytes:
    lines = data.decode("utf-8").splitlines(keepends=True)
    header = next(csv.reader(lines[:1]))
    if step.column not in header:
        raise FetchError(f"filter_rows: no column {step.column!r} in {header}")
    col = header.index(step.column)
    # rows are single-line in this source; matching parsed fields keeps the bytes of each line
    kept = [ln for ln in lines[1:] if next(csv.reader([ln]), [""] * (col + 1))[col] == step.equals]
    return "".join(lines[:1] + kept).encode("utf-8")


def derive(step: BisCountrySubset | Reencode | FilterRows, data: bytes) -> bytes:
    """Apply a manifest ``derive`` step to the downloaded (or source) bytes."""
    if isinstance(step, Reencode):
        return data.decode(step.encoding).encode("utf-8")
    if isinstance(step, FilterRows):
        return _filter_rows(step, data)
    return _bis_subset(step, data)


def check_format(fmt: str, fh: BinaryIO, target: str) -> None:
    """Raise FetchError unless the file parses as ``fmt`` (a 200 can still be an HTML page)."""
    fh.seek(0)
    try:
        if fmt == "json":
            orjson.loads(fh.read())  # orjson has no streaming parser; sources are a few MB
        elif fmt == "jsonl":
            for line in fh:
                if line.strip():
                    orjson.loads(line)
        elif fmt == "xlsx":
            _check_xlsx(fh)
        elif fmt == "text":
            if not fh.read().decode("utf-8").strip():
                raise ValueError("the file is empty")
        else:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
            try:
                reader = csv.reader(text, delimiter="\t" if fmt == "tsv" else ",")
                header, first = next(reader, []), next(reader, None)
                if len(header) < 2 or first is None:
                    raise ValueError("expected a header and at least one row")
                for _row in reader:  # parse to the end: a broken quote shows up here
                    pass
            finally:
                text.detach()  # leave fh open for the caller
    except (ValueError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile) as exc:
        raise FetchError(f"{target}: downloaded file is not valid {fmt}: {exc}") from exc


def _check_xlsx(fh: BinaryIO) -> None:
    """An Office Open XML workbook: a zip holding the workbook part (an HTML error page is not)."""
    fh.seek(0)
    with zipfile.ZipFile(fh) as book:
        if "xl/workbook.xml" not in book.namelist():
            raise ValueError("no xl/workbook.xml inside: not a spreadsheet")


def _sha256(fh: BinaryIO) -> tuple[str, int]:
    fh.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def fetch_file(client: httpx.Client, spec: FileSpec, into: Path, *, mirrored: bool) -> Fetched:
    """Download, derive (unless ``mirrored``: the mirror holds the derived file), check, write."""
    step = None if mirrored else spec.source.derive
    if spec.url is None and not isinstance(step, BisCountrySubset):
        raise FetchError(f"{spec.target}: no URL ({spec.source.mirror_only or 'no origin'})")
    with atomic_write(into / spec.target) as fh:
        if isinstance(step, BisCountrySubset):
            fh.write(derive(step, (into / step.source).read_bytes()))
        else:
            _download(client, str(spec.url), spec.target, fh)
            if step is not None:  # derive steps need the whole download; sources are small
                fh.seek(0)
                data = derive(step, fh.read())
                fh.seek(0)
                fh.truncate()
                fh.write(data)
        fh.flush()
        check_format(spec.source.format, fh, spec.target)
        digest, size = _sha256(fh)
        if spec.sha256 and digest != spec.sha256:
            raise FetchError(f"{spec.target}: sha256 {digest} differs from manifest {spec.sha256}")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    url = f"derived from {step.source}" if isinstance(step, BisCountrySubset) else str(spec.url)
    return Fetched(
        spec.source.name, spec.target, url, size, digest, step.step if step else None, stamp
    )


def client() -> httpx.Client:
    """The HTTP client fetches use: bounded timeouts, redirects followed, connections retried."""
    return httpx.Client(
        timeout=_TIMEOUT,
        follow_redirects=True,
        transport=httpx.HTTPTransport(retries=_RETRIES),
        headers={"User-Agent": "redline-data-fetch"},
    )
