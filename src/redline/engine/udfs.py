"""The Python parts of the engine steps, as Arrow batch functions shared by every engine.

Reach for these only through :mod:`redline.engine.steps`. Each takes and yields record batches
(Spark runs them with ``mapInArrow``, DuckDB in-process) and calls the very functions the
single-machine matcher uses: :func:`~redline.resolve.variants.name_variants`,
:func:`~redline.resolve.block.keys`, :func:`~redline.resolve.score.compare`. A form is carried
between steps as ``kind`` and its space-joined tokens, and named by :func:`form_id`, a stable
64-bit hash, so both engines give every form the same id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pyarrow as pa

from redline.resolve.block import keys
from redline.resolve.consortium import members
from redline.resolve.matcher import KEEP_FLOOR
from redline.resolve.score import compare
from redline.resolve.variants import Variant, name_variants

FORMS = pa.schema([("name", pa.string()), ("member", pa.string()), ("qvid", pa.int64()),
                   ("kind", pa.string()), ("tokens", pa.string())])  # fmt: skip
KEYS = pa.schema([("qvid", pa.int64()), ("key", pa.string()), ("weight", pa.float32())])
SCORES = pa.schema([("qvid", pa.int64()), ("vid", pa.int64()), ("score", pa.float64())])


def form_id(variant: Variant) -> int:
    """A stable signed 64-bit id of a form (the same in every process and engine)."""
    digest = hashlib.blake2b(f"{variant.kind}\x1f{variant.text}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def _variant(kind: str, tokens: str) -> Variant:
    return Variant(kind, tuple(tokens.split(" ")) if tokens else ())


def expand_names(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``name`` → one row per form of the name and of each consortium member."""
    for batch in batches:
        rows: dict[str, list[object]] = {f: [] for f in FORMS.names}
        for name in batch.column("name").to_pylist():
            for member in ["", *members(name)]:
                for variant in name_variants(member or name):
                    for col, value in zip(
                        FORMS.names, (name, member, form_id(variant), variant.kind, variant.text),
                        strict=True,
                    ):  # fmt: skip
                        rows[col].append(value)
        yield pa.RecordBatch.from_pydict(rows, schema=FORMS)


def form_keys(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """(qvid, kind, tokens) → the blocking keys of each form, with their weights."""
    for batch in batches:
        qvid, key, weight = [], [], []
        cols = batch.to_pydict()
        for fid, kind, tokens in zip(cols["qvid"], cols["kind"], cols["tokens"], strict=True):
            for k, w in keys(_variant(kind, tokens)):
                qvid.append(fid)
                key.append(k)
                weight.append(w)
        yield pa.RecordBatch.from_pydict({"qvid": qvid, "key": key, "weight": weight}, KEYS)


def score_pairs(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Candidate pairs → their scores; pairs below the matcher's keep floor are dropped."""
    for batch in batches:
        c = batch.to_pydict()
        out: dict[str, list[object]] = {"qvid": [], "vid": [], "score": []}
        for qvid, vid, qk, qt, wk, wt in zip(
            c["qvid"], c["vid"], c["qkind"], c["qtokens"], c["wkind"], c["wtokens"], strict=True
        ):
            score = compare(_variant(qk, qt), _variant(wk, wt)).score
            if score >= KEEP_FLOOR:
                out["qvid"].append(qvid)
                out["vid"].append(vid)
                out["score"].append(score)
        yield pa.RecordBatch.from_pydict(out, schema=SCORES)
