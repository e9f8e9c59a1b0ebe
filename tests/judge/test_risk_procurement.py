"""Procurement context in the risk: a finding on a record with a red flag carries the component
with its evidence; a record without the fields says "not computed", never a clean 0.

The records are SYNTHETIC (see conftest), with a compiled release shaped like ComprasMX's
direct award by exception; the real records' flags are in test_redflags.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import orjson
from judge_helpers import add_award, exact_matcher

from redline.judge.policy import load_policies
from redline.judge.vocab import list_codes, sectors
from redline.model import Finding, RiskComponent
from redline.services.screen import judge_store
from redline.store.db import Store

SUPPLIER = "Camaras Sinteticas de Mexico SA de CV"
SIGNALS = [("video_surveillance", "keyword", "videovigilancia")]


def add_compiled(store: Store, ocid: str, tender: dict[str, object]) -> None:
    """A SYNTHETIC compiled release of ``ocid`` holding ``tender``."""
    data = {"ocid": ocid, "id": f"{ocid}-compiled", "tag": ["compiled"], "tender": tender}
    store.conn.execute(
        "INSERT INTO ocds_compiled (ocid, release_count, publisher, source_file, pointer,"
        " release_id, run_id, ingested_at, data) VALUES (?, 1, 'Redline synthetic data',"
        " 'synthetic.json', '/releases/0', ?, 'run-syn', ?, ?)",
        [ocid, f"{ocid}-compiled", datetime.now(UTC), orjson.dumps(data).decode()],
    )


def _findings(store: Store) -> list[Finding]:
    policies = load_policies(known_sectors=set(sectors()), known_lists=list_codes())
    found, _, _ = judge_store(
        store, policies, as_of=date(2026, 7, 1), matcher=exact_matcher, guarded=None
    )
    return found


def _context(finding: Finding) -> RiskComponent:
    (part,) = [c for c in finding.risk.components if c.name == "procurement_red_flags"]
    return part


def test_direct_award_by_exception_is_a_risk_component_with_its_evidence(store: Store) -> None:
    add_award(store, "ocds-syn-1", SUPPLIER, signals=SIGNALS)
    add_compiled(store, "ocds-syn-1", {
        "procurementMethod": "direct",
        "procurementMethodDetails": "ADJUDICACIÓN DIRECTA POR CASO FORTUITO O FUERZA MAYOR",
        "legalBasis": {"description": "ART. 54 FR. II"},
    })  # fmt: skip
    (finding,) = _findings(store)
    part = _context(finding)
    assert (part.points, part.max_points, part.computed) == (5.0, 10, True)
    assert part.evidence == ("redflag:ocds-syn-1/MX-DIRECT",)
    assert str(part.inputs["MX-DIRECT"]).startswith("direct award under ART. 54 FR. II")
    # the fields the flag read, as the record gives them
    assert part.inputs["MX-DIRECT legalBasis.description"] == "ART. 54 FR. II"
    assert part.inputs["MX-DIRECT method"] == "direct"
    # R003/R018 judge competitive procedures only: a direct award is computed, not raised
    assert part.inputs["R003"] == part.inputs["R018"] == "not raised"
    assert sum(c.max_points for c in finding.risk.components) == 100
    assert finding.risk.total == round(sum(c.points for c in finding.risk.components), 1)


def test_single_bid_and_short_period_add_up_to_ten(store: Store) -> None:
    add_award(store, "ocds-syn-1", SUPPLIER, signals=SIGNALS)
    add_compiled(store, "ocds-syn-1", {
        "procurementMethod": "open", "numberOfTenderers": 1,
        "tenderPeriod": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-08T00:00:00Z"},
    })  # fmt: skip
    part = _context(_findings(store)[0])
    assert part.points == 10.0
    assert part.evidence == ("redflag:ocds-syn-1/R003", "redflag:ocds-syn-1/R018")
    assert part.inputs["R003"] == "tender period of 7 days (< 15) in an open procedure"
    assert part.inputs["R018 numberOfTenderers"] == "1"
    assert part.inputs["MX-DIRECT"] == "not raised"


def test_record_without_the_fields_is_not_computed_not_clean(store: Store) -> None:
    add_award(store, "ocds-syn-1", SUPPLIER, signals=SIGNALS)  # no compiled release at all
    add_award(store, "ocds-syn-2", SUPPLIER, signals=SIGNALS)
    add_compiled(store, "ocds-syn-2", {"title": "SYNTHETIC tender with no procedure fields"})
    add_award(store, "ocds-syn-3", SUPPLIER, signals=SIGNALS)
    add_compiled(store, "ocds-syn-3", {
        "procurementMethod": "open", "numberOfTenderers": 4,
        "tenderPeriod": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-02-15T00:00:00Z"},
    })  # fmt: skip
    parts = {f.ocid: _context(f) for f in _findings(store)}
    for ocid in ("ocds-syn-1", "ocds-syn-2"):
        assert (parts[ocid].points, parts[ocid].computed) == (0, False)
        assert "not computed: the record lacks" in str(parts[ocid].inputs["R018"])
    clean = parts["ocds-syn-3"]  # computed, and no flag raised: a real 0
    assert (clean.points, clean.computed) == (0, True)
    assert set(clean.inputs.values()) == {"not raised"}
