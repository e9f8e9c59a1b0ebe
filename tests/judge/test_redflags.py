"""Procurement red flags on the mirror's real records (the demo store): Cardinal's R003 and
R018 from their documented definitions, and ComprasMX's direct awards with their article."""

from __future__ import annotations

from pathlib import Path

from redline.judge.redflags import (
    RedFlag,
    coverage,
    procurement_component,
    record_flags,
    red_flags,
)
from redline.store.db import Store


def _flags(demo_store: Path) -> dict[tuple[str, str], RedFlag]:
    with Store(demo_store, read_only=True) as st:
        return {(f.ocid, f.flag): f for f in red_flags(st.conn)}


def test_r003_short_period_on_the_inai_sample(demo_store: Path) -> None:
    flag = _flags(demo_store)[("PC-0012", "R003")]
    assert flag.detail == "tender period of 3 days (< 15) in an open procedure"
    assert flag.fields["method"] == "open"
    assert flag.definition.endswith("/R/003.html")


def test_r018_single_bid_only_in_competitive_procedures(demo_store: Path) -> None:
    single = [f for (_, kind), f in _flags(demo_store).items() if kind == "R018"]
    assert len(single) == 3
    for flag in single:
        assert flag.fields["numberOfTenderers"] == "1"
        assert flag.fields["method"] in ("open", "selective")


def test_comprasmx_direct_award_carries_its_exception_article(demo_store: Path) -> None:
    flags = _flags(demo_store)
    flag = flags[("redline-comprasmx-AA-12-NEF-012NEF001-I-100-2026", "MX-DIRECT")]
    assert flag.fields["legalBasis.description"] == "ART. 54 FR. II"
    assert flag.detail.startswith("direct award under ART. 54 FR. II")
    # an open tender (LICITACIÓN PÚBLICA) is never a direct award
    with Store(demo_store, read_only=True) as st:
        (open_tender,) = st.conn.execute(
            "SELECT ocid FROM processes WHERE procurement_method_details = 'LICITACIÓN PÚBLICA' "
            "ORDER BY ocid LIMIT 1"
        ).fetchone() or ("",)
    assert not any(ocid == open_tender for ocid, _ in flags)


def test_coverage_says_which_sources_lack_the_fields(demo_store: Path) -> None:
    with Store(demo_store, read_only=True) as st:
        by = {str(c.publisher): c for c in coverage(st.conn)}
    events = next(c for p, c in by.items() if p.startswith("Redline events table"))
    assert (events.with_method, events.with_period, events.with_tenderers) == (0, 0, 0)
    compras = next(c for p, c in by.items() if p.startswith("ComprasMX"))
    # ComprasMX names the procedure type but no tender period end nor tenderers: R003/R018 n/a
    assert compras.with_period == 0 and compras.with_tenderers == 0
    assert compras.with_details == 2113 and compras.flagged == 991


def test_component_counts_distinct_flags_with_evidence(demo_store: Path) -> None:
    flags = _flags(demo_store)
    one = (flags[("PC-0012", "R003")],)
    part = procurement_component(one)
    assert (part.points, part.max_points) == (5.0, 10)
    assert part.evidence == ("redflag:PC-0012/R003",)
    assert procurement_component(()).points == 0.0


def test_record_flags_say_what_each_record_lets_be_computed(demo_store: Path) -> None:
    compras = "redline-comprasmx-AA-12-NEF-012NEF001-I-100-2026"
    with Store(demo_store, read_only=True) as st:
        got = record_flags(st.conn, [compras, "redline-events-MX-018", "PC-0012"])
    assert [f.flag for f in got[compras].flags] == ["MX-DIRECT"]
    assert "MX-DIRECT" in got[compras].computed
    # the events table carries no procedure fields: nothing computed (unknown, not clean)
    assert got["redline-events-MX-018"].computed == ()
    assert procurement_component((), got["redline-events-MX-018"].computed).computed is False
    # INAI's record says both "open" and "Adjudicación directa (art. 42)": each flag reads
    # what the record says, so both are raised (and shown, with the fields, as evidence)
    assert [f.flag for f in got["PC-0012"].flags] == ["MX-DIRECT", "R003"]
