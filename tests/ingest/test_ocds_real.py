"""Every Mexican publisher in the mirror ingests cleanly, with values read from its files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from redline.ingest.ocds.compile import Compiler, is_single
from redline.services.ingest import IngestReport, ingest_ocds
from redline.store.db import Store

PUBLISHERS = ["administracion-publica-federal", "cdmx", "inai", "jalisco"]


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, ocds_mexico: Path
) -> Iterator[tuple[Store, IngestReport]]:
    with Store(tmp_path_factory.mktemp("real") / "s.duckdb") as store:
        yield store, ingest_ocds(store, [ocds_mexico], data_dir=data_dir)


def _rows(store: Store, sql: str, *args: object) -> list[tuple[object, ...]]:
    return store.conn.execute(sql, list(args)).fetchall()


@pytest.mark.parametrize("publisher", PUBLISHERS)
def test_each_publisher_ingests_cleanly(
    tmp_path: Path, data_dir: Path, ocds_mexico: Path, publisher: str
) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest_ocds(store, [ocds_mexico / publisher], data_dir=data_dir)
        assert report.rejected == [] and report.files_rejected == 0
        assert report.files == len(list((ocds_mexico / publisher).rglob("*.json")))
        assert report.table_deltas["processes"] == report.table_deltas["ocds_compiled"] > 0
        assert report.table_deltas["parties"] > 0


def test_whole_mirror_counts(loaded: tuple[Store, IngestReport]) -> None:
    store, report = loaded
    # 10 APF + 8 CDMX + 10 INAI + 10 Jalisco processes; CDMX records embed the same 12
    # releases that its release files hold, so 12 are read twice and stored once
    assert report.table_deltas["ocds_compiled"] == 38
    assert report.releases_stored == 60 and report.releases_unchanged == 12
    by_pub = dict(_rows(store, "SELECT publisher, count(*) FROM processes GROUP BY 1"))
    assert by_pub == {
        "SECRETARÍA DE LA FUNCIÓN PÚBLICA / SECRETARIA DE HACIENDA Y CRÉDITO PÚBLICO": 10,
        "CDMX-SEFIN": 8,
        "Instituto Nacional de Transparencia, Acceso a la Información y Protección de "
        "Datos Personales": 10,
        "SEPAF/DGA | DIR.GRAL. DE ABASTECEMIENTOS (SUB-ADMINISTRACIÓN)": 10,
    }


def test_compiled_data_of_a_lone_release_is_rebuilt_from_it(
    loaded: tuple[Store, IngestReport], data_dir: Path
) -> None:
    store, _ = loaded
    compiler = Compiler(data_dir)
    releases: dict[str, list[dict[str, object]]] = {}
    for ocid, data in _rows(store, "SELECT ocid, data FROM ocds_releases"):
        releases.setdefault(str(ocid), []).append(orjson.loads(str(data)))
    compiled = dict(_rows(store, "SELECT ocid, data FROM ocds_compiled_data"))
    assert len(compiled) == len(releases) == 38
    lone = [ocid for ocid, rels in releases.items() if len(rels) == 1]
    assert 0 < len(lone) < len(releases)  # (27 lone releases, 11 ocids with several)
    for ocid in lone:
        assert orjson.loads(str(compiled[ocid])) == compiler.compile(releases[ocid]), ocid
    # a lone release is not stored a second time; a merged record (or one ocdsmerge compiled:
    # a lone release with duplicate ids) is stored
    stored = {str(r[0]) for r in _rows(store, "SELECT ocid FROM ocds_compiled WHERE data NOT NULL")}
    assert stored == {ocid for ocid, rels in releases.items() if not is_single(rels)}
    assert len(stored) < len(releases)


def test_federal_compranet_supplier_rfc(loaded: tuple[Store, IngestReport]) -> None:
    store, _ = loaded
    # CompraNet publishes no awards: suppliers sit on the contract, the buyer is a party role
    assert _rows(
        store,
        "SELECT name, identifier_scheme, identifier_id, pointer FROM award_suppliers "
        "WHERE ocid = 'ocds-07smqs-1109'",
    ) == [
        ("COMERCIALIZADORA COMPUTEL DEL SURESTE  S.A. DE C.V.", "MX-RFC", "CCS0308152M5",
         "/contracts/0/suppliers/0"),
    ]  # fmt: skip
    assert _rows(
        store, "SELECT name, identifier_scheme FROM buyers WHERE ocid = 'ocds-07smqs-1109'"
    ) == [("delegación SEDESOL en Tabasco", "MX-CPA")]


def test_inai_rfc_prefix_and_award(loaded: tuple[Store, IngestReport]) -> None:
    store, _ = loaded
    assert _rows(
        store,
        "SELECT award_id, amount, currency, status FROM awards WHERE ocid = 'PC-0001'",
    ) == [("OA/A001", 62097.7, "MXN", "active")]
    # INAI writes party ids as "RFC-<rfc>"; the bare RFC is labelled MX-RFC
    assert _rows(
        store,
        "SELECT identifier_scheme, identifier_id FROM award_suppliers WHERE ocid = 'PC-0001'",
    ) == [("MX-RFC", "HPR060210B71")]
    # INAI's Spanish roles map to the OCDS codelist
    roles = _rows(store, "SELECT roles FROM parties WHERE party_id = 'CUA-340'")
    assert roles == [(["buyer"],)]
    assert _rows(
        store, "SELECT DISTINCT classification_scheme FROM items WHERE ocid = 'PC-0001'"
    ) == [("CUCOP",)]


def test_cdmx_records_compile_three_releases(loaded: tuple[Store, IngestReport]) -> None:
    store, _ = loaded
    ocid = "OCDS-87SD3T-SEFIN-DRM-A-006-2016"
    assert _rows(store, "SELECT release_count FROM ocds_compiled WHERE ocid = ?", ocid) == [(3,)]
    assert _rows(
        store, "SELECT name, identifier_scheme, identifier_id FROM buyers WHERE ocid = ?", ocid
    ) == [("SECRETARÍA DE FINANZAS", "MX-RFC", "GDF9712054NA")]
    assert _rows(
        store,
        "SELECT s.name, s.identifier_id, a.amount, a.currency FROM award_suppliers s "
        "JOIN awards a USING (ocid, award_id) WHERE ocid = ?",
        ocid,
    ) == [("TIENDAS COMERCIAL MEXICANA S.A D", "TCM951030A17", 1412201.76, "MXN")]


def test_jalisco_compiled_records_merge_with_releases(loaded: tuple[Store, IngestReport]) -> None:
    store, _ = loaded
    ocid = "ocds-xs1qbl-SFIN-03-0001-00-2017"
    # the record package's compiledRelease plus the 4 release files of this process
    assert _rows(store, "SELECT release_count FROM ocds_compiled WHERE ocid = ?", ocid) == [(5,)]
    assert _rows(
        store,
        "SELECT a.award_id, a.amount, a.currency, s.name, s.identifier_scheme, s.identifier_id "
        "FROM awards a JOIN award_suppliers s USING (ocid, award_id) WHERE ocid = ?",
        ocid,
    ) == [
        ("IN496198-OC63942-2017", 9396000.0, "MXN", "COFORMEX, S.A. DE C.V.", "PROV-GOB-JAL",
         "P00268"),
    ]  # fmt: skip
    # a record that only links its releases is stored as its compiledRelease
    assert _rows(
        store,
        "SELECT c.release_count, r.release_id, r.pointer FROM ocds_compiled c "
        "JOIN ocds_releases r USING (ocid) WHERE ocid = 'ocds-xs1qbl-SFIN-03-0012-00-2017'",
    ) == [(1, "ocds-xs1qbl-SFIN-03-0012-00-2017-compiled", "/records/0/compiledRelease")]


def test_every_row_has_provenance(loaded: tuple[Store, IngestReport], ocds_mexico: Path) -> None:
    store, report = loaded
    for table in ("processes", "parties", "buyers", "awards", "award_suppliers", "contracts",
                  "items"):  # fmt: skip
        missing = _rows(
            store,
            f"SELECT count(*) FROM {table} WHERE source_file IS NULL OR pointer IS NULL "
            "OR release_id IS NULL OR publisher IS NULL OR run_id <> ? OR ingested_at IS NULL",
            report.run_id,
        )
        assert missing == [(0,)], table
    src = _rows(store, "SELECT source_file, pointer FROM awards WHERE ocid = 'PC-0001'")
    assert src == [(str(ocds_mexico / "inai/sample/releases/PC-0001-PC-0001.json"), "/awards/0")]
