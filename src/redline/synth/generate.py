"""Write N SYNTHETIC OCDS releases with planted listed vendors and a truth file.

Reach for :func:`write_synthetic` (CLI: ``redline synth --releases N --out DIR``) when a test or
benchmark needs national-scale Mexican procurement whose answers are known. Every release is a
release package on one JSON line (publisher "Redline synthetic data", ocids ``ocds-rlsynt-…``)
and the same awards are written as Parquet in the shape of the store's ``award_suppliers``.
At the rates of :class:`SynthSpec`, a supplier is replaced by a planted vendor: a listed company
(spelled as records garble it), a subsidiary named in the lists' own ownership edges, or a
consortium naming a listed company as one member. ``synthetic_truth.jsonl`` says, per award,
which listed entity a screen must reach, so recall can be checked at any scale.

Speed comes from drawing every random column of a chunk with numpy and pasting pre-serialised
JSON fragments (buyers, suppliers, item lists) into one f-string per release.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from redline.synth import vocab
from redline.synth.parts import items as draw_items
from redline.synth.parts import rfc
from redline.synth.planted import Planted, garble

_PUB = orjson.dumps(vocab.PUBLISHER).decode()
CHUNK = 100_000
FIRST_DAY = date(2016, 1, 1)
DAYS = 9 * 365
#: file names: every output says it is synthetic
RELEASES_JSONL = "synthetic_releases.jsonl"
RELEASES_PARQUET = "synthetic_releases.parquet"
SUPPLIERS_PARQUET = "synthetic_award_suppliers.parquet"
TRUTH_JSONL = "synthetic_truth.jsonl"
MANIFEST = "synthetic_manifest.json"
#: the kinds of planted vendor, in the order of their rates in :class:`SynthSpec`
KINDS = ("listed", "subsidiary", "consortium")
CONSORTIUM_WORDING = ("Consorcio: {a} / {b}", "{a} en participación conjunta con {b}")

SUPPLIERS_SCHEMA = pa.schema([
    ("ocid", pa.string()), ("award_id", pa.string()), ("release_id", pa.string()),
    ("party_id", pa.string()), ("name", pa.string()), ("identifier_id", pa.string()),
    ("date", pa.date32()), ("amount", pa.float64()), ("currency", pa.string()),
    ("buyer_name", pa.string()), ("source_file", pa.string()), ("pointer", pa.string()),
])  # fmt: skip
RELEASES_SCHEMA = pa.schema([("ocid", pa.string()), ("release_id", pa.string()),
                             ("date", pa.date32()), ("data", pa.string())])  # fmt: skip


@dataclass(frozen=True)
class SynthSpec:
    """How much to write and how often each kind of planted vendor appears (per award)."""

    releases: int
    seed: int = 1
    listed_rate: float = 0.002
    subsidiary_rate: float = 0.0005
    consortium_rate: float = 0.0005


@dataclass
class SynthReport:
    """What was written: counts of planted vendors by kind, the files and the speed."""

    spec: SynthSpec
    out: Path
    planted: dict[str, int] = field(default_factory=dict)
    suppliers: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "synthetic": True,
            "spec": asdict(self.spec),
            "out": str(self.out),
            "files": [RELEASES_JSONL, RELEASES_PARQUET, SUPPLIERS_PARQUET, TRUTH_JSONL],
            "planted": self.planted,
            "distinct_suppliers": self.suppliers,
            "seconds": round(self.seconds, 3),
            "releases_per_second": round(self.spec.releases / max(self.seconds, 1e-9)),
        }


def _j(value: Any) -> str:
    return orjson.dumps(value).decode()


def _supplier_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """(RFC-shaped id, invented Mexican company name) pairs."""
    pool = []
    for _ in range(size):
        word = "".join(rng.choice(vocab.SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        place = rng.choice(vocab.PLACES)
        name = " ".join(
            p
            for p in (rng.choice(vocab.SUPPLIER_HEADS), word, place, rng.choice(vocab.LEGAL_FORMS))
            if p
        )
        pool.append((rfc(rng, vocab.LETTERS), name))
    return pool


def _item_pool(rng: random.Random, size: int) -> list[tuple[str, str, float]]:
    """(title, items JSON, total) of pre-built item lists of 1-4 items."""
    pool = []
    for _ in range(size):
        items, total = draw_items(rng, 4)
        pool.append((_j(items[0]["description"].split(" (")[0]), _j(items), round(total, 2)))
    return pool


def _release(
    ocid: str,
    day: str,
    bref: str,
    bparty: str,
    sref: str,
    sparty: str,
    item: tuple[str, str, float],
    method: tuple[str, str],
) -> str:
    """One release package on one line (an f-string: ~2x faster than json.dumps of a dict)."""
    title, items, total = item
    rid = f"{ocid}-01"
    return (
        f'{{"uri":"https://example.invalid/redline-synthetic/{rid}","version":"1.1",'
        f'"publishedDate":"2025-01-01T00:00:00Z","publisher":{_PUB},"releases":[{{'
        f'"ocid":"{ocid}","id":"{rid}","date":"{day}T12:00:00Z","tag":["tender","award",'
        f'"contract"],"language":"es","initiationType":"tender","buyer":{bref},"parties":['
        f'{bparty},{sparty}],"tender":{{"id":"{ocid}-T","title":{title},"status":"complete",'
        f'"procurementMethod":"{method[0]}","procurementMethodDetails":"{method[1]}",'
        f'"mainProcurementCategory":"goods","value":{{"amount":{round(total * 1.1, 2)},'
        f'"currency":"MXN"}},"items":{items},"procuringEntity":{bref},"tenderers":[{sref}]}},'
        f'"awards":[{{"id":"{ocid}-A1","title":{title},"status":"active","date":"{day}T18:00:00Z",'
        f'"value":{{"amount":{total},"currency":"MXN"}},"suppliers":[{sref}]}}],"contracts":[{{'
        f'"id":"{ocid}-C1","awardID":"{ocid}-A1","status":"active","value":{{"amount":{total},'
        f'"currency":"MXN"}},"dateSigned":"{day}T20:00:00Z"}}]}}]}}'
    )


def _lines_array(blob: bytes) -> pa.Array:
    """The lines of ``blob`` as an Arrow string array without one Python object per line
    (``pa.array(list_of_str)`` took 1.4 s per 100k releases; this takes milliseconds)."""
    ends = np.flatnonzero(np.frombuffer(blob, np.uint8) == 10)  # JSON escapes raw newlines
    offsets = np.concatenate([[0], ends + 1]).astype(np.int32)
    raw = pa.StringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(blob))
    return pc.utf8_rtrim_whitespace(raw)  # drop each line's newline


def _party(pid: str, name: str, rfc: str | None, locality: str) -> tuple[str, str]:
    """(reference JSON, party JSON) of a supplier."""
    party: dict[str, Any] = {"id": pid, "name": name, "roles": ["supplier", "tenderer"]}
    party["address"] = {"countryName": "México", "locality": locality}
    if rfc:
        party["identifier"] = {"scheme": "MX-RFC", "id": rfc, "legalName": name}
    return _j({"id": pid, "name": name}), _j(party)


@dataclass(frozen=True)
class _Pools:
    """What every release is drawn from: the two random streams (``rng`` for pools and planted
    vendors, ``nrng`` for the per-release columns) and the pre-serialised parts."""

    rng: random.Random
    nrng: np.random.Generator
    suppliers: list[tuple[str, str]]  # (RFC, name)
    parties: list[tuple[str, str]]  # (reference JSON, party JSON) of each supplier
    items: list[tuple[str, str, float]]
    buyers: list[tuple[str, str, str]]  # (reference JSON, party JSON, name)
    days: list[str]

    @classmethod
    def of(cls, spec: SynthSpec) -> _Pools:
        rng = random.Random(spec.seed)
        nrng = np.random.default_rng(spec.seed)
        suppliers = _supplier_pool(rng, min(max(spec.releases // 8, 500), 150_000))
        localities = vocab.LOCALITIES
        parties = [_party(f"MX-RFC-{rfc}", name, rfc, localities[i % len(localities)])
                   for i, (rfc, name) in enumerate(suppliers)]  # fmt: skip
        items = _item_pool(rng, 4096)
        buyers = [(_j({"id": f"MX-SYN-{b}", "name": n}),
                   _j({"id": f"MX-SYN-{b}", "name": n, "roles": ["buyer", "procuringEntity"],
                       "identifier": {"scheme": "MX-CPA", "id": b, "legalName": n},
                       "address": {"countryName": "México"}}), n)
                  for b, n in vocab.BUYERS]  # fmt: skip
        days = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(DAYS)]
        return cls(rng, nrng, suppliers, parties, items, buyers, days)


@dataclass
class _Chunk:
    """The columns of releases ``lo + 1`` … ``lo + n``: indexes into the pools, and each award's
    supplier (a planted vendor replaces some)."""

    lo: int
    ocids: list[str]
    buyer: list[int]
    item: list[int]
    day: np.ndarray
    method: list[int]
    roll: np.ndarray
    parties: list[tuple[str, str]]
    names: list[str]
    rfcs: list[str | None]
    party_ids: list[str]

    @classmethod
    def draw(cls, pools: _Pools, lo: int, n: int) -> _Chunk:
        nrng = pools.nrng
        b_idx = nrng.integers(0, len(pools.buyers), n).tolist()
        s_idx = nrng.integers(0, len(pools.suppliers), n).tolist()
        i_idx = nrng.integers(0, len(pools.items), n).tolist()
        d_idx = nrng.integers(0, DAYS, n)
        m_idx = nrng.choice(3, n, p=[0.3, 0.2, 0.5]).tolist()
        roll = nrng.random(n)
        pool = pools.suppliers
        return cls(
            lo, [f"{vocab.OCID_PREFIX}-{seq:010d}" for seq in range(lo + 1, lo + n + 1)],
            b_idx, i_idx, d_idx, m_idx, roll, [pools.parties[s] for s in s_idx],
            [pool[s][1] for s in s_idx], [pool[s][0] for s in s_idx],
            [f"MX-RFC-{pool[s][0]}" for s in s_idx],
        )  # fmt: skip


def _rate_bounds(spec: SynthSpec, listed: list[Planted], subsidiaries: list[Planted]) -> Any:
    """Cumulative rates of :data:`KINDS`: a release whose roll falls under bound k gets a
    planted vendor of kind k (none of a kind without names to plant)."""
    rates = np.array([spec.listed_rate, spec.subsidiary_rate, spec.consortium_rate])
    if not listed:
        rates[0] = rates[2] = 0.0
    if not subsidiaries:
        rates[1] = 0.0
    return np.cumsum(rates)


def _plant(
    chunk: _Chunk,
    rng: random.Random,
    bounds: Any,
    listed: list[Planted],
    subsidiaries: list[Planted],
    planted: dict[str, int],
) -> bytes:
    """Put planted vendors into ``chunk`` where their roll says; their truth lines."""
    truth: list[bytes] = []
    for k in np.flatnonzero(chunk.roll < bounds[2]).tolist():
        kind = int(np.searchsorted(bounds, chunk.roll[k], side="right"))
        target = rng.choice(subsidiaries if kind == 1 else listed)
        written, transform = garble(target.name, rng)
        if kind == 2:
            written = rng.choice(CONSORTIUM_WORDING).format(a=chunk.names[k], b=written)
        planted[KINDS[kind]] += 1
        pid = f"MX-SYN-P{chunk.lo + k + 1}"
        chunk.names[k], chunk.rfcs[k], chunk.party_ids[k] = written, None, pid
        chunk.parties[k] = _party(pid, written, None, "")
        truth.append(orjson.dumps({
            "ocid": chunk.ocids[k], "award_id": f"{chunk.ocids[k]}-A1", "supplier_name": written,
            "kind": KINDS[kind], "transform": transform, "planted_id": target.entity_id,
            "listed_id": target.listed_id, "synthetic": True,
        }) + b"\n")  # fmt: skip
    return b"".join(truth)


def _blob(chunk: _Chunk, pools: _Pools) -> bytes:
    """The chunk's release packages, one JSON line each."""
    lines = [
        _release(o, pools.days[d], pools.buyers[b][0], pools.buyers[b][1], s[0], s[1],
                 pools.items[i], vocab.METHODS[m])
        for o, d, b, s, i, m in zip(chunk.ocids, chunk.day.tolist(), chunk.buyer, chunk.parties,
                                    chunk.item, chunk.method, strict=True)
    ]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def _tables(chunk: _Chunk, pools: _Pools, blob: bytes) -> tuple[pa.Table, pa.Table]:
    """The chunk's award suppliers (the store's ``award_suppliers`` shape) and releases."""
    n, lo, ocids = len(chunk.ocids), chunk.lo, chunk.ocids
    dates = pa.array(chunk.day + (FIRST_DAY - date(1970, 1, 1)).days, pa.int32()).cast(pa.date32())
    suppliers = pa.table({
        "ocid": ocids, "award_id": [f"{o}-A1" for o in ocids],
        "release_id": [f"{o}-01" for o in ocids], "party_id": chunk.party_ids,
        "name": chunk.names, "identifier_id": chunk.rfcs, "date": dates,
        "amount": [pools.items[i][2] for i in chunk.item], "currency": ["MXN"] * n,
        "buyer_name": [pools.buyers[b][2] for b in chunk.buyer],
        "source_file": [RELEASES_JSONL] * n,
        "pointer": [f"line:{seq}/releases/0/awards/0/suppliers/0"
                    for seq in range(lo + 1, lo + n + 1)],
    }, schema=SUPPLIERS_SCHEMA)  # fmt: skip
    releases = pa.table({"ocid": ocids, "release_id": [f"{o}-01" for o in ocids],
                         "date": dates, "data": _lines_array(blob)},
                        schema=RELEASES_SCHEMA)  # fmt: skip
    return suppliers, releases


def write_synthetic(
    out: Path,
    spec: SynthSpec,
    listed: list[Planted],
    subsidiaries: list[Planted],
    on_progress: Callable[[int], None] | None = None,
) -> SynthReport:
    """Write the synthetic files under ``out`` (see the module docstring); returns the report."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    pools = _Pools.of(spec)
    report = SynthReport(spec, out, dict.fromkeys(KINDS, 0))
    bounds = _rate_bounds(spec, listed, subsidiaries)
    used_names: set[str] = set()
    with (
        (out / RELEASES_JSONL).open("wb") as jsonl,
        (out / TRUTH_JSONL).open("wb") as truth,
        pq.ParquetWriter(out / SUPPLIERS_PARQUET, SUPPLIERS_SCHEMA, compression="zstd") as sup_w,
        pq.ParquetWriter(out / RELEASES_PARQUET, RELEASES_SCHEMA, compression="zstd") as rel_w,
    ):
        for lo in range(0, spec.releases, CHUNK):
            n = min(CHUNK, spec.releases - lo)
            chunk = _Chunk.draw(pools, lo, n)
            truth.write(_plant(chunk, pools.rng, bounds, listed, subsidiaries, report.planted))
            blob = _blob(chunk, pools)
            jsonl.write(blob)
            used_names.update(chunk.names)
            suppliers, releases = _tables(chunk, pools, blob)
            sup_w.write_table(suppliers)
            rel_w.write_table(releases)
            if on_progress is not None:
                on_progress(n)
    report.suppliers = len(used_names)
    report.seconds = time.perf_counter() - started
    (out / MANIFEST).write_bytes(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2))
    return report
