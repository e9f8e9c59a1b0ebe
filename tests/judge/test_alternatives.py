"""Trusted alternatives: the catalogue validates, and a listed vendor is never recommended."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from judge_helpers import FIXTURES, SHARED, add_award

from redline.errors import InputError
from redline.judge.alternatives import guard, load_catalogue
from redline.judge.vocab import sectors
from redline.services.match import redline_matcher
from redline.services.screen import screen_store
from redline.store.db import Store

SYNTHETIC = FIXTURES / "synthetic_alternatives.yaml"
AS_OF = date(2026, 7, 1)


def test_shipped_catalogue_is_valid_and_sourced() -> None:
    catalogue = load_catalogue(known_sectors=set(sectors()))
    vendors = [v for c in catalogue.capabilities for v in c.vendors]
    assert len(catalogue.capabilities) >= 10 and len(vendors) >= 40
    assert all(v.url.startswith("https://") for v in vendors)
    assert {"Rapiscan Systems", "Ericsson", "Alstom", "Axis Communications", "Konecranes"} <= {
        v.name for v in vendors
    }
    assert {"us-dfc", "us-exim", "idb-invest", "jbic", "kfw-ipex"} <= {
        f.id for f in catalogue.financing
    }


def test_catalogue_errors_name_position(tmp_path: Path) -> None:
    bad = tmp_path / "alt.yaml"
    text = SYNTHETIC.read_text().replace("financing: [syn-bank]", "financing: [syn-nobank]")
    bad.write_text(text.replace("title: SYNTHETIC cranes", "title: SYNTHETIC cranes\n    rank: 1"))
    with pytest.raises(InputError) as caught:
        load_catalogue(bad, known_sectors=set(sectors()))
    assert str(caught.value) == f"{bad}:16:11: unknown field"


def test_planted_listed_vendors_disappear_with_a_note(store: Store) -> None:
    guarded = guard(load_catalogue(SYNTHETIC), store, as_of=AS_OF, matcher=redline_matcher)
    assert guarded.recommended_vendors() == {"Proveedora Sintetica Confiable SA"}
    assert "us-bis-entity-list" in guarded.excluded["Synthetic Trusted Scanners Inc."]
    assert "owned by listed syn-crane-parent" in guarded.excluded["Synthetic Allied Cranes Oy"]
    assert "its parent matches" in guarded.excluded["Gruas Sinteticas Independientes SA"]

    recs, notes = guarded.for_sector("border_inspection")
    assert [r.name for r in recs if r.kind == "vendor"] == ["Proveedora Sintetica Confiable SA"]
    assert [r.name for r in recs if r.kind == "financing"] == ["Synthetic Development Bank"]
    assert notes[0].startswith("Synthetic Trusted Scanners Inc.: not recommended")


def test_finding_shows_guarded_alternatives_and_guard_rails(store: Store) -> None:
    add_award(store, "ocds-syn-20", "Synthetic Scanner Technology Co.",
              signals=[("border_inspection", "code", "UNSPSC 46171604")])  # fmt: skip
    report = screen_store(
        store, as_of=AS_OF, classify=False, catalogue_path=SYNTHETIC, matcher=redline_matcher
    )
    (finding,) = report.findings
    names = {a.name for a in finding.alternatives}
    assert "Synthetic Trusted Scanners Inc." not in names
    assert "Proveedora Sintetica Confiable SA" in names
    assert any("Synthetic Trusted Scanners Inc." in n for n in finding.excluded_alternatives)
    assert finding.guard_rails == sectors()["border_inspection"].guard_rails


@pytest.mark.slow
def test_shipped_catalogue_against_every_real_list() -> None:
    """Load every list of the mirror; each exclusion must name a list, big names stay in."""
    from redline.services.lists import load_lists

    with Store(":memory:") as real:
        load_lists(real, SHARED / "data")
        codes = {
            r[0] for r in real.conn.execute("SELECT DISTINCT list_code FROM listings").fetchall()
        }
        guarded = guard(load_catalogue(), real, as_of=AS_OF, matcher=redline_matcher)
    for note in guarded.excluded.values():
        assert any(code in note for code in codes), note
    kept = guarded.recommended_vendors()
    assert {"Rapiscan Systems", "Ericsson", "Nokia", "Alstom", "Axis Communications"} <= kept
