"""`make demo` end to end on the real mirror: what issue 4 says the demo must show."""

from __future__ import annotations

import shutil
from pathlib import Path

from redline.services.demo import unflagged_suppliers
from redline.store.db import Store


def _findings(store: Path) -> dict[str, tuple[str, str, str]]:
    with Store(store, read_only=True) as st:
        rows = st.conn.execute(
            "SELECT ocid, severity, class_id, supplier_name FROM findings"
        ).fetchall()
    return {str(o).removeprefix("redline-events-"): (s, c, n) for o, s, c, n in rows}


def test_demo_findings_are_the_documented_cases(demo_store: Path) -> None:
    found = _findings(demo_store)
    # Nuctech at ANAM customs and Huawei in the wholesale network: breach rules met, capped at
    # watch because each rests on a press report (issue 14)
    for event in ("MX-007", "MX-009"):
        assert found[event][:2] == ("watch", "border_inspection")
    assert found["MX-001"][:2] == ("watch", "telecom_radio_access")
    # CRRC and CCCC rail/transport projects and the Hikvision cameras: findings; CCCC's rests
    # on a row of the AEI tracker (a researcher's table), so it keeps its "high"
    assert found["MX-013"][1] == "rail_rolling_stock_signalling"
    assert found["MX-011"][:2] == ("high", "transport_construction")
    assert found["MX-015"][:2] == ("watch", "video_surveillance")
    # a company executive quoted in the press, no buyer named: not a breach
    assert found["MX-018"][0] == "watch"
    # Metro Line 1 (USD 1.86 bn): CRRC Zhuzhou Locomotive through the reviewed ownership file,
    # at watch: its source is a press-cited monitor
    assert found["MX-010"][:2] == ("watch", "rail_rolling_stock_signalling")
    # Envision's wind parks: only a future-dated watch (s.154 applies from 2027-10-01)
    assert found["MX-012"][0] == "watch"
    with Store(demo_store, read_only=True) as st:
        (sentence,) = st.conn.execute(
            "SELECT sentence FROM findings WHERE ocid = 'redline-events-MX-012'"
        ).fetchone() or ("",)
    assert "from 2027-10-01" in sentence
    with Store(demo_store, read_only=True) as st:
        (listing,) = st.conn.execute(
            "SELECT c FROM (SELECT unnest(data->'$.risk.components[*]') AS c FROM findings "
            "WHERE ocid = 'redline-events-MX-012') WHERE c->>'name' = 'listing_strength'"
        ).fetchone() or (None,)
    assert listing is not None and '"upcoming_factor":0.5' in str(listing).replace(" ", "")
    # Yutong's trolleybuses: screened, no finding
    assert "MX-014" not in found
    # the OCDS samples' ordinary purchases raise nothing; the ComprasMX extract no PRC vendor,
    # but two contracts awarded before their supplier's SFP disqualification and signed inside
    # it (Mexico's own register: a breach); of the Tren Maya contracts, LAMAT (through PODER's
    # ownership research: CCCC). VGL ("... Y SOLUCIONES INTEGRALES") is none: the consortium
    # split only splits on joint-bid markers (and the listed or possibly-affiliated vendors no
    # rule could judge are "review" findings)
    others = sorted(key for key in found if not key.startswith("MX-") and found[key][0] != "review")
    assert others == [
        "redline-comprasmx-IA-50-GYR-050GYR055-N-10-2026",
        "redline-comprasmx-LA-50-GYR-050GYR028-N-21-2026",
        "redline-poder-171",
    ]
    assert all(found[k][0] == "breach" for k in others if "comprasmx" in k)


def test_demo_says_which_vendors_have_no_listing(demo_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_store, copy)
    with Store(copy) as st:
        status = {(o, n): s for o, n, s in unflagged_suppliers(st, ["redline-events"])}
    assert status[("redline-events-MX-014", "Zhengzhou Yutong")] == "no listing found"
    # CRRC Zhuzhou Locomotive is a finding now (the shipped ownership file links it to CRRC)
    assert ("redline-events-MX-010", "CRRC Zhuzhou Locomotive") not in status
    # every supplier that a finding names is left out of this list
    assert not any(o.endswith("MX-009") for o, _ in status)
