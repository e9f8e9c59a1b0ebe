"""compile_groups counts bad values per ocid: each ocid gets exactly what its own rows dropped.

The releases are synthetic (``ocds-rlsynt`` ocids), made up for these checks.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from redline.ingest.ocds.chunk import Context, Release, compile_groups


def _release(ocid: str, n: int, *, amount: object = 100, rfc: str = "SIN010101AB1") -> Release:
    data = {
        "ocid": ocid, "id": f"{ocid}-{n}", "date": f"2024-0{n}-01T00:00:00Z", "tag": ["award"],
        "parties": [{"id": "S1", "name": "Proveedor Sintético", "roles": ["supplier"],
                     "identifier": {"scheme": "MX-RFC", "id": rfc}}],
        "awards": [{"id": f"a{n}", "value": {"amount": amount, "currency": "MXN"},
                    "suppliers": [{"id": "S1"}]}],
    }  # fmt: skip
    return Release(data, f"{ocid}-{n}", str(data["date"]), None, "synthetic.jsonl", f"line:{n}")


def test_bad_values_are_counted_per_ocid(data_dir: Path) -> None:
    ctx = Context("synthetic.jsonl", "run", "2026-01-01T00:00:00+00:00", data_dir)
    groups = [
        [_release("ocds-rlsynt-1", 1)],  # clean
        [_release("ocds-rlsynt-2", 1, amount="1,000"), _release("ocds-rlsynt-2", 2, rfc="x")],
        [_release("ocds-rlsynt-3", 1)],  # clean, after a bad one
        [_release("ocds-rlsynt-4", 1, amount="n/a", rfc="nope")],
    ]
    compiled = compile_groups(ctx, groups)
    assert compiled.compiled.num_rows == 4
    assert compiled.merged == 1
    assert compiled.bad_values == {  # ocid 2 merged: award a1's amount and the newest RFC
        "ocds-rlsynt-2": Counter({"amount": 1, "identifier not an RFC": 1}),
        "ocds-rlsynt-4": Counter({"amount": 1, "identifier not an RFC": 1}),
    }
