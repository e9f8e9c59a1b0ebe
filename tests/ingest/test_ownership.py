"""`redline ownership load`: PODER's real table, a SYNTHETIC BODS 0.4 sample, an FtM file."""

from __future__ import annotations

from pathlib import Path

from redline.cli import run
from redline.services.lists import load_lists
from redline.services.ownership import load_ownership
from redline.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
OWNERS = "procurement/tren-maya-poder/owners.tsv"
PODER_URL = "https://github.com/ProjectPODER/tbtm/blob/06cb7ad53af7c63bb8ea5098da694670e07fbfc8"
LAMAT = "CONSORCIO LAMAT TRAMO 1, S.A.P.I DE C.V."
CCCC = "China Communications Construction Company Ltd."


def _edges(store: Store, child: str) -> list[tuple[object, ...]]:
    return store.conn.execute(
        "SELECT p.caption, o.parent_id, o.relation, o.source, o.source_url FROM ownership o "
        "JOIN entities c ON c.id = o.child_id LEFT JOIN entities p ON p.id = o.parent_id "
        "WHERE c.caption = ? ORDER BY o.edge_id",
        [child],
    ).fetchall()


def test_poder_table_gives_its_edges_with_citation_and_line(store: Store, data_dir: Path) -> None:
    report = load_ownership(store, [data_dir / OWNERS])
    (loaded,) = report.files
    assert (loaded.form, loaded.entities, loaded.ownership, loaded.control) == ("table", 60, 35, 20)
    assert loaded.skipped == {"relation '(empty)'": 1} and loaded.resolved == []
    parents = {row[0]: row for row in _edges(store, LAMAT)}
    assert set(parents) == {
        "Mota-Engil S.A.P.I de C.V.", CCCC, "Gavil Ingeniería S.A de C.V.",
        "Eyasa S de R,L. DE C.V.", "Grupo COSH S.A. DE C.V.",
    }  # fmt: skip
    _, _, relation, source, url = parents[CCCC]
    assert relation == "ownership" and str(url).startswith(PODER_URL)
    assert str(source).startswith("PODER / QuiénEsQuién.wiki") and "owners.tsv:line 43" in str(
        source
    )
    board = _edges(store, CCCC)
    assert ("Wang Tongzhou", "control") in {(r[0], r[2]) for r in board}
    assert ("BlackRock Inc.", "ownership") in {(r[0], r[2]) for r in board}


def test_owner_resolved_to_the_listed_entity_and_shown(store: Store, data_dir: Path) -> None:
    load_lists(store, data_dir)
    report = load_ownership(store, [data_dir / OWNERS])
    assert (CCCC, "rl-cn-uscc-91110000710934369e", 1.0) in report.files[0].resolved
    listed = [r for r in _edges(store, LAMAT) if r[1] == "rl-cn-uscc-91110000710934369e"]
    assert len(listed) == 1
    assert listed[0][0] == "China Communications Construction Company Limited"  # the list's name
    assert f"owner '{CCCC}' resolved to listed rl-cn-uscc-91110000710934369e" in str(listed[0][3])
    codes = store.conn.execute(
        "SELECT list(DISTINCT list_code ORDER BY list_code) FROM listings "
        "WHERE entity_id = 'rl-cn-uscc-91110000710934369e'"
    ).fetchone()
    assert codes is not None and "us-dod-1260h" in codes[0]
    # a reload replaces the file's rows rather than adding to them
    load_ownership(store, [data_dir / OWNERS])
    assert store.conn.execute(
        "SELECT count(*) FROM ownership WHERE dataset = 'ownership:poder-tren-maya'"
    ).fetchone() == (55,)


def test_bods_sample_gives_ownership_with_share_and_control(store: Store) -> None:
    report = load_ownership(store, [FIXTURES / "SYNTHETIC_bods_0_4.json"])
    (loaded,) = report.files
    assert (loaded.form, loaded.entities, loaded.ownership, loaded.control) == ("bods", 3, 1, 1)
    assert loaded.skipped == {"interest 'unpublishedInterest'": 1}
    rows = store.conn.execute(
        "SELECT p.caption, o.relation, o.percentage, o.start_date::VARCHAR, o.source_url "
        "FROM ownership o JOIN entities p ON p.id = o.parent_id ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("SYNTHETIC Holding Example Ltd.", "ownership", 60.0, "2020-05-01",
         "https://example.invalid/synthetic-bods"),
        ("SYNTHETIC Persona Ejemplo", "control", None, "2021-01-01", None),
    ]  # fmt: skip


def test_cli_reads_an_ftm_file_and_refuses_a_table_without_citation(tmp_path: Path) -> None:
    ftm = tmp_path / "SYNTHETIC_links.ftm.jsonl"
    ftm.write_text(
        '{"id": "syn-a", "schema": "Company", "properties": {"name": ["SYNTHETIC Alfa SA"]}}\n'
        '{"id": "syn-b", "schema": "Company", "properties": {"name": ["SYNTHETIC Beta Ltd"]}}\n'
        '{"id": "syn-o", "schema": "Ownership", "properties": {"asset": ["syn-a"], '
        '"owner": ["syn-b"], "percentage": ["51"]}}\n',
        encoding="utf-8",
    )
    store = tmp_path / "s.duckdb"
    assert run(["--store", str(store), "ownership", "load", str(ftm)]) == 0
    with Store(store) as opened:
        row = opened.conn.execute("SELECT child_id, parent_id, percentage FROM ownership")
        assert row.fetchall() == [("syn-a", "syn-b", 51.0)]
    table = tmp_path / "SYNTHETIC_owners.tsv"
    table.write_text("NOMBRE\tTIPO_ENTIDAD\tRELACIONADO_CON\tTIPO_RELACION\tPUESTO\n", "utf-8")
    assert run(["--store", str(store), "ownership", "load", str(table)]) == 1  # input refused
