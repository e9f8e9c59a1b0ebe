"""The FtM watchlist loader on the matching evaluation sets and on broken files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from redline.errors import InputError
from redline.ingest.lists.watchlist import load_watchlist, read_entities, scratch_watchlist
from redline.store.db import Store

EVAL = Path(os.environ["REDLINE_DATA"]).parent / "eval" / "matching"  # the mirror's sibling
PLAIN = EVAL / "watchlist.ftm.jsonl"
HARD = EVAL / "hard_watchlist.ftm.jsonl"

pytestmark = pytest.mark.skipif(not PLAIN.exists(), reason="shared eval mirror not mounted")


def _count(store: Store, sql: str) -> int:
    row = store.conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def _schemas(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        schema = json.loads(line)["schema"]
        counts[schema] = counts.get(schema, 0) + 1
    return counts


@pytest.mark.parametrize("path", [PLAIN, HARD])
def test_counts_match_the_file(path: Path) -> None:
    with scratch_watchlist(path) as store:
        assert _count(store, "SELECT count(*) FROM entities") == 24
        assert _count(store, "SELECT count(*) FROM listings") == 18
        assert _count(store, "SELECT count(*) FROM ownership WHERE relation='ownership'") == 6
        # cross-check against the file itself, not just the numbers above
        schemas = _schemas(path)
        assert schemas == {"Company": 24, "Sanction": 18, "Ownership": 6}


def test_ownership_edge_read_from_file() -> None:
    # line 25: {"id": "d-own-1", "schema": "Ownership", "properties": {"owner": ["d-chinarail"],
    #           "asset": ["ds-crec-mx"], "percentage": ["100"]}}
    with scratch_watchlist(PLAIN) as store:
        row = store.conn.execute(
            "SELECT child_id, parent_id, relation, percentage, source FROM ownership "
            "WHERE edge_id = 'd-own-1'"
        ).fetchone()
    assert row == ("ds-crec-mx", "d-chinarail", "ownership", 100.0, "watchlist.ftm.jsonl:line 25")


def test_listed_entities_and_names() -> None:
    with scratch_watchlist(PLAIN) as store:
        listed = {
            r[0] for r in store.conn.execute("SELECT DISTINCT entity_id FROM listings").fetchall()
        }
        names = store.conn.execute("SELECT names FROM entities WHERE id = 'd-megvii'").fetchone()
        subsidiary = store.conn.execute(
            "SELECT count(*) FROM listings WHERE entity_id = 'ds-crec-mx'"
        ).fetchone()
    assert "d-casc" in listed and len(listed) == 18
    assert names == (["Beijing Megvii Technology Co., Ltd.", "北京旷视科技有限公司", "Megvii"],)
    assert subsidiary == (0,)  # subsidiaries are reachable by ownership only


def test_hard_list_has_no_chinese_aliases() -> None:
    with scratch_watchlist(HARD) as store:
        row = store.conn.execute("SELECT names FROM entities WHERE id = 'd-megvii'").fetchone()
    assert row == (["Beijing Megvii Technology Co., Ltd.", "Megvii"],)


def test_reload_replaces_dataset(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        first = load_watchlist(store.conn, PLAIN, dataset="dev")
        second = load_watchlist(store.conn, PLAIN, dataset="dev")
        assert first.as_dict() == second.as_dict()
        assert _count(store, "SELECT count(*) FROM entities") == 24
        load_watchlist(store.conn, PLAIN.parent / "hard_watchlist.ftm.jsonl", dataset="dev")
        assert _count(store, "SELECT count(*) FROM listings") == 18


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "synthetic_watchlist.ftm.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = '{"id": "s-1", "schema": "Company", "properties": {"name": ["Synthetic Co"]}}'


def test_bad_structure_names_every_line_and_writes_nothing(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            GOOD,
            "{not json",
            '{"schema": "Company", "properties": {"name": ["No Id"]}}',
            '{"id": "s-2", "schema": "Spaceship", "properties": {}}',
            '{"id": "s-3", "schema": "Company", "properties": {"colour": ["red"]}}',
            '{"id": "s-4", "schema": "Sanction", "properties": {"entity": ["s-missing"]}}',
        ],
    )
    with Store(":memory:") as store:
        with pytest.raises(InputError) as caught:
            load_watchlist(store.conn, path)
        assert _count(store, "SELECT count(*) FROM entities") == 0
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"{path}:line {n}" for n in (2, 3, 4, 5, 6)]
    assert "unknown schema 'Spaceship'" in lines[2]
    assert "colour" in lines[3]
    assert "s-missing" in lines[4]


def test_bad_values_are_dropped_and_counted(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            '{"id": "s-1", "schema": "Company", "properties": {"name": ["Synthetic Co"], '
            '"country": ["cn", "not-a-country"], "leiCode": ["5493001KJTIIGC8Y1R12", "123"], '
            '"uscCode": ["91110000600037341L"], "taxNumber": ["GODE561331GR8", "MAB9307148T4"]}}',
            '{"id": "s-2", "schema": "Company", "properties": {"name": ["Synthetic Parent"]}}',
            '{"id": "s-o", "schema": "Ownership", "properties": {"owner": ["s-2"], '
            '"asset": ["s-1"], "percentage": ["lots"]}}',
            '{"id": "s-c", "schema": "Directorship", "properties": {"director": ["s-2"], '
            '"organization": ["s-1"], "role": ["board member"]}}',
            '{"id": "s-k", "schema": "UnknownLink", "properties": {"subject": ["s-2"], '
            '"object": ["s-1"], "role": ["exercises control through voting agreement"]}}',
        ],
    )
    with Store(":memory:") as store:
        stats = load_watchlist(store.conn, path)
        ids = set(store.conn.execute("SELECT scheme, value FROM entity_identifiers").fetchall())
        edges = store.conn.execute(
            "SELECT edge_id, relation, percentage FROM ownership ORDER BY edge_id"
        ).fetchall()
    assert ids == {
        ("lei", "5493001KJTIIGC8Y1R12"),
        ("cn-uscc", "91110000600037341L"),
        ("mx-rfc", "MAB9307148T4"),
    }
    # GODE561331GR8 is RFC-shaped but month 13 is no date: dropped by our validator
    assert stats.identifiers_dropped == 1
    # FtM's own cleaning drops the country, the LEI "123"; ours the percentage "lots"
    assert stats.values_dropped == 3
    assert edges == [("s-k", "control", None), ("s-o", "ownership", None)]
    assert stats.ignored == {"Directorship": 1}


def test_read_entities_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_entities(tmp_path / "absent.jsonl")
