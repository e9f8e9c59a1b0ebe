"""The demo screens real contract exports: the Tren Maya LAMAT contract through PODER's research."""

from __future__ import annotations

from pathlib import Path

import duckdb

LISTED_CCCC = "rl-cn-uscc-91110000710934369e"


def test_lamat_contract_is_a_finding_through_ccc_ownership(demo_store: Path) -> None:
    conn = duckdb.connect(str(demo_store), read_only=True)
    try:
        found = conn.execute(
            "SELECT finding_id, supplier_name, listed_entity_id, list_codes FROM findings "
            "WHERE ocid = 'redline-poder-171'"
        ).fetchall()
        assert len(found) == 1
        finding_id, supplier, listed, codes = found[0]
        assert supplier == "CONSORCIO LAMAT TRAMO 1, S.A.P.I DE C.V."
        assert listed == LISTED_CCCC and "us-dod-1260h" in codes
        evidence = conn.execute(
            "SELECT kind, source, detail->>'$.child_id', detail->>'$.parent_id' "
            "FROM finding_evidence WHERE finding_id = ? ORDER BY seq",
            [finding_id],
        ).fetchall()
        release = [e for e in evidence if e[0] == "release"]
        assert str(release[0][1]).endswith("procurement/tren-maya-poder/contracts.csv")
        edge = [e for e in evidence if e[0] == "ownership" and e[3] == LISTED_CCCC]
        assert len(edge) == 1 and "github.com/ProjectPODER/tbtm" in str(edge[0][1])
        assert str(edge[0][2]).startswith("own-poder-tren-maya-consorcio-lamat-tramo-1")
        amount = conn.execute(
            "SELECT amount, currency FROM awards WHERE ocid = 'redline-poder-171'"
        ).fetchone()
        assert amount == (13394942290.34, "MXN")
    finally:
        conn.close()
