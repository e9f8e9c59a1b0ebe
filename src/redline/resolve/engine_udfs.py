"""The Python parts of the engine steps, as Arrow batch functions shared by every engine.

Reach for these only through :mod:`redline.resolve.engine_steps`. Each takes and yields record
batches (Spark runs them with ``mapInArrow``, DuckDB in-process) and calls the very functions the
single-machine matcher uses: :func:`~redline.resolve.variants.name_variants`,
:func:`~redline.resolve.block.key_table`, :func:`~redline.resolve.batch.compare_pairs` (with the
query's country). A form is carried
between steps as ``kind`` and its space-joined tokens, and named by :func:`form_id`, a stable
64-bit hash, so both engines give every form the same id.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from redline.resolve.batch import compare_by_country
from redline.resolve.block import key_table
from redline.resolve.consortium import members
from redline.resolve.matcher import KEEP_FLOOR
from redline.resolve.score import Comparison
from redline.resolve.variants import Variant, name_variants

FORMS = pa.schema([("name", pa.string()), ("member", pa.string()), ("qvid", pa.int64()),
                   ("kind", pa.string()), ("tokens", pa.string())])  # fmt: skip
KEYS = pa.schema([("qvid", pa.int64()), ("key", pa.string()), ("weight", pa.float32())])
#: a scored pair: the comparison travels as JSON (a plain dataclass) and is rebuilt on the driver
SCORES = pa.schema([("qvid", pa.int64()), ("vid", pa.int64()), ("country", pa.string()),
                    ("score", pa.float64()), ("comparison", pa.string())])  # fmt: skip


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
        kinds, tokens = batch.column("kind").to_pylist(), batch.column("tokens").to_pylist()
        # the matcher's own key builder; its ids are row positions, mapped back to the qvids
        table = key_table("row", [_variant(k, t) for k, t in zip(kinds, tokens, strict=True)])
        qvid = pc.take(batch.column("qvid"), table["row"].combine_chunks())
        yield pa.RecordBatch.from_arrays(
            [qvid, table["key"].combine_chunks(), table["weight"].combine_chunks()], schema=KEYS
        )


def score_pairs(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Candidate pairs (qvid, vid, country, qkind, qtokens, wkind, wtokens) → the pairs scoring
    at least the matcher's keep floor, by :func:`compare_pairs` with each pair's country
    ("" or NULL: none) — the matcher's own scorer, so both paths score alike."""
    for batch in batches:
        c = batch.to_pydict()
        # each form once: a query form meets up to TOP_K list forms, so the forms are keyed by
        # their (kind, tokens) text and a Variant is built per distinct form, not per pair
        queries: dict[tuple[str, str], int] = {}
        listed: dict[tuple[str, str], int] = {}
        pairs = [
            (
                queries.setdefault((qk, qt), len(queries)),
                listed.setdefault((wk, wt), len(listed)),
                country or "",
            )
            for qk, qt, wk, wt, country in zip(
                c["qkind"], c["qtokens"], c["wkind"], c["wtokens"], c["country"], strict=True
            )
        ]
        out: dict[str, list[object]] = {name: [] for name in SCORES.names}
        query_forms = [_variant(kind, tokens) for kind, tokens in queries]
        listed_forms = [_variant(kind, tokens) for kind, tokens in listed]
        for n, cmp in compare_by_country(query_forms, listed_forms, pairs, KEEP_FLOOR):
            for col, value in zip(
                SCORES.names,
                (c["qvid"][n], c["vid"][n], pairs[n][2], cmp.score, encode(cmp)),
                strict=True,
            ):  # fmt: skip
                out[col].append(value)
        yield pa.RecordBatch.from_pydict(out, schema=SCORES)


def encode(cmp: Comparison) -> str:
    """A :class:`Comparison` as JSON, to carry it out of a batch function."""
    return orjson.dumps(dataclasses.asdict(cmp)).decode()


def decode(text: str) -> Comparison:
    """The :class:`Comparison` :func:`encode` wrote (tuples restored: results compare equal)."""
    data = orjson.loads(text)
    data["matched"] = [tuple(m) for m in data["matched"]]
    data["list_only_countries"] = tuple(data["list_only_countries"])
    return Comparison(**data)
