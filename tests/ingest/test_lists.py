"""`redline lists load` on the real list files of the shared mirror."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.errors import InputError
from redline.ingest.lists import mieu, ndaa
from redline.ingest.lists.fcc import company_names
from redline.ingest.lists.nsfreg import split_alias_address
from redline.model.values import parse_date
from redline.services.lists import load_lists
from redline.store.db import Store

DATA = Path(os.environ["REDLINE_DATA"])  # the mirror (conftest sets it)
pytestmark = pytest.mark.skipif(not (DATA / "lists").exists(), reason="shared mirror not mounted")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(tmp_path_factory.mktemp("lists") / "s.duckdb") as opened:
        load_lists(opened, DATA)
        yield opened


def _entity_named(store: Store, name: str) -> str:
    rows = store.conn.execute(
        "SELECT id FROM entities WHERE list_contains(names, ?)", [name]
    ).fetchall()
    assert len(rows) == 1, rows
    return str(rows[0][0])


def test_huawei_is_one_entity_on_several_lists(store: Store) -> None:
    huawei = _entity_named(store, "Huawei Technologies Co., Ltd.")
    assert _entity_named(store, "Huawei Technologies Company") == huawei  # s.889 / FCC spelling
    codes = {r[0] for r in store.conn.execute(
        "SELECT list_code FROM listings WHERE entity_id = ?", [huawei]).fetchall()}  # fmt: skip
    assert {"us-dod-1260h", "us-ndaa-889", "us-fcc-covered", "us-ofac-nscmic"} <= codes
    reason = store.conn.execute("SELECT merge_reason FROM entities WHERE id = ?", [huawei])
    assert "same normalised name 'huawei technologies'" in str(reason.fetchone())


def test_1260h_parent_name_gives_ownership_edge(store: Store) -> None:
    # CSV row 57: Huawei Technologies Co., Ltd. ... Parent Name "Huawei Investment & Holding"
    child = _entity_named(store, "Huawei Technologies Co., Ltd.")
    parent = _entity_named(store, "Huawei Investment & Holding Co., Ltd.")
    assert child != parent  # different USCCs in NS-CMIC keep them apart
    row = store.conn.execute(
        "SELECT relation, percentage, source FROM ownership WHERE child_id = ? AND parent_id = ?",
        [child, parent],
    ).fetchone()
    assert row == ("ownership", None, "us-dod-1260h")


def test_removed_1260h_company_keeps_end_date(store: Store) -> None:
    # Beijing Megvii: 1260H row 13, start 2024-01-31, end 2025-01-07
    megvii = _entity_named(store, "Beijing Megvii Technology Co., Ltd.")
    rows = store.conn.execute(
        "SELECT CAST(start_date AS VARCHAR), CAST(end_date AS VARCHAR), source_row FROM listings "
        "WHERE entity_id = ? AND list_code = 'us-dod-1260h'",
        [megvii],
    ).fetchall()
    assert rows == [("2024-01-31", "2025-01-07", "row 13")]


def test_relisted_company_has_two_periods(store: Store) -> None:
    ymtc = _entity_named(store, "Yangtze Memory Technologies Co., Ltd.")
    rows = store.conn.execute(
        "SELECT CAST(start_date AS VARCHAR), CAST(end_date AS VARCHAR) FROM listings "
        "WHERE entity_id = ? AND list_code = 'us-dod-1260h' ORDER BY start_date",
        [ymtc],
    ).fetchall()
    assert rows == [("2024-01-31", "2026-02-17"), ("2026-06-08", None)]


def test_section_154_applies_from_october_2027(store: Store) -> None:
    rows = store.conn.execute(
        "SELECT DISTINCT CAST(start_date AS VARCHAR) FROM listings WHERE list_code='us-ndaa-154'"
    ).fetchall()
    assert rows == [("2027-10-01",)]


def test_fcc_wholly_owned_subsidiary(store: Store) -> None:
    comnet = _entity_named(store, "ComNet (USA) LLC")
    row = store.conn.execute(
        "SELECT e.caption, o.percentage FROM ownership o JOIN entities e ON e.id = o.parent_id "
        "WHERE o.child_id = ?",
        [comnet],
    ).fetchone()
    assert row == ("Pacific Networks Corp", 100.0)


def test_reload_is_idempotent(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as opened:
        first = load_lists(opened, DATA)
        counts = opened.table_counts()
        second = load_lists(opened, DATA)
        again = opened.table_counts()
    assert first.per_list == second.per_list
    assert {k: v for k, v in counts.items() if k != "ingest_runs"} == {
        k: v for k, v in again.items() if k != "ingest_runs"
    }
    assert again["ingest_runs"] == counts["ingest_runs"] + 1


def test_missing_files_are_all_reported(tmp_path: Path) -> None:
    with Store(":memory:") as opened, pytest.raises(InputError) as caught:
        load_lists(opened, tmp_path)
    # 16: the SFP register is read by two lists (its windows and its fines)
    assert len(caught.value.problems) == 16
    assert all("missing file of list" in p.message for p in caught.value.problems)


def test_fcc_sentences() -> None:
    assert company_names(
        "Cybersecurity and anti-virus software produced or provided by Kaspersky Lab, Inc. or "
        "any of its successors and assignees."
    ) == ("Kaspersky Lab, Inc.", [])
    assert company_names("Routers ^ produced in a foreign country, except routers ...") is None


@pytest.mark.parametrize(
    ("raw", "iso"),
    [("October 1, 2027", "2027-10-01"), ("3/4/2021", "2021-03-04"), ("2022", "2022"),
     ("8/27/24", "2024-08-27"), ("2021-02-30", None), ("soon", None)],
)  # fmt: skip
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_entity_list_alias_with_run_on_address_is_split(store: Store) -> None:
    # bis_entity_list.json: the alias of "Huawei Technologies (UK) Co., Ltd." carries its address
    uk = _entity_named(store, "Huawei Technologies (UK) Co., Ltd.")
    names, ftm = store.conn.execute("SELECT names, ftm FROM entities WHERE id = ?", [uk]).fetchone()
    assert names == ["Huawei Technologies (UK) Co., Ltd.", "Huawei Software Technologies Co. Ltd"]
    assert "300 South Oak Way, Green Park, Reading, RG2 6UF" in ftm
    assert "6 Mitre Passage, SE 10 0ER, United Kingdom" in ftm
    # no alias still carries a run-on street address (primary names are kept as the source has
    # them: "Kamensk-Uralsky Metallurgical Works J.S. Co. 5 Zavodskaya St." is its name field)
    leaked = store.conn.execute(
        "SELECT n FROM (SELECT unnest(names) AS n, caption FROM entities) WHERE n <> caption AND "
        "regexp_matches(n, '[.,] \\d+ [A-Z][a-z]+ (Street|Way|Ave|Road|St)\\b')"
    ).fetchall()
    assert leaked == []


@pytest.mark.parametrize(
    ("raw", "name", "address"),
    [("Acme Widgets LLC. 5 Pine Ave., Springfield, 12345, Freedonia", "Acme Widgets LLC",
      "5 Pine Ave., Springfield, 12345, Freedonia"),
     ("Jane Roe, No. 2A Harbour Road, Dock District", "Jane Roe",
      "No. 2A Harbour Road, Dock District"),
     ("Westvale No. 28 Equipment Co., Ltd", "Westvale No. 28 Equipment Co., Ltd", None),
     ("Acme Group Co., Ltd. (AG) 7th Research Academy",
      "Acme Group Co., Ltd. (AG) 7th Research Academy", None),
     ("202 Plant, Eastern Energy Facility", "202 Plant, Eastern Energy Facility", None)],
)  # fmt: skip
def test_split_alias_address(raw: str, name: str, address: str | None) -> None:
    # SYNTHETIC names of the shapes found in the Entity List snapshot
    assert split_alias_address(raw) == (name, address)


def test_two_digit_years_in_citations_are_never_in_the_future() -> None:
    from redline.model.values import parse_date

    assert parse_date("5/28/99") == "1999-05-28"  # Entity List citations reach back to 1997
    assert parse_date("8/21/19") == "2019-08-21"
    assert parse_date("12/22/2020") == "2020-12-22"


def test_flat_list_columns_fall_back_in_order_and_rows_without_a_name_are_skipped(
    tmp_path: Path,
) -> None:
    # a SYNTHETIC special_leg file: made-up names, one row per fallback case
    path = tmp_path / "synthetic_ndaa.csv"
    path.write_text(
        "schema,name,aliases,reason,report-date,start-date,end-date,country,notes,source_url\n"
        ",Synthetic Alpha Co,Alpha; AlphaCo,,2024-01-01,,,cn,a note,\n"
        "Organization,Synthetic Beta,,why,2024-01-01,2027-10-01,2030-01-01,,,https://x.test\n"
        ",,Nameless,,,,,,,\n",
        encoding="utf-8",
    )
    alpha, beta = ndaa.read(path, path.name, "synthetic-ndaa")
    assert (alpha.row, alpha.schema, alpha.aliases) == ("row 2", "Company", ["Alpha", "AlphaCo"])
    assert (alpha.start, alpha.reason, alpha.end, alpha.source_url) == (
        "2024-01-01", "a note", None, None
    )  # fmt: skip
    assert (beta.row, beta.schema, beta.start, beta.reason, beta.country) == (
        "row 3", "Organization", "2027-10-01", "why", None
    )  # fmt: skip


def test_flat_list_missing_columns_are_named_in_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_mieu.csv"
    path.write_text("Type,Name,Country\nOrganization,Synthetic Gamma,cn\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        mieu.read(path, "synthetic_mieu.csv", "synthetic-mieu")
    [problem] = caught.value.problems
    assert (problem.source, problem.position) == ("synthetic_mieu.csv", "row 1")
    assert problem.message == "missing columns Alias, Date, End date, Source URL"
