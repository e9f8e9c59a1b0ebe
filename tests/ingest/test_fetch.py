"""`redline data fetch` against the shared mirror served over loopback HTTP.

The mirror is read in place (never copied into the repo); derived inputs the derive steps need
are built in tmp_path from mirror files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.errors import InputError
from redline.ingest.fetch import FetchError, Manifest, load_manifest
from redline.services.data import fetch_sources

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")

pytestmark = pytest.mark.skipif(
    not (MIRROR / "SOURCES.md").exists(), reason=f"no data mirror at {MIRROR}"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def mirror_url() -> Iterator[str]:
    with _serve(MIRROR) as url:
        yield url


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fetch_from_mirror_is_byte_identical(mirror_url: str, tmp_path: Path) -> None:
    into = tmp_path / "data"
    result = CliRunner().invoke(
        app, ["data", "fetch", "--into", str(into), "--base-url", mirror_url, "--json"]
    )
    assert result.exit_code == 0, result.output
    expected = sorted(str(p.relative_to(MIRROR)) for p in MIRROR.rglob("*") if p.is_file())
    got = sorted(str(p.relative_to(into)) for p in into.rglob("*") if p.is_file())
    # the mirror's own notes are not a source; FETCHED.json is ours
    assert got == sorted([*(e for e in expected if e != "SOURCES.md"), "FETCHED.json"])
    record = json.loads((into / "FETCHED.json").read_text(encoding="utf-8"))
    assert record["base_url"] == mirror_url
    assert set(record["files"]) == set(got) - {"FETCHED.json"}
    for target, entry in record["files"].items():
        assert (into / target).read_bytes() == (MIRROR / target).read_bytes(), target
        assert entry["sha256"] == _sha(MIRROR / target)
        assert entry["size"] == (MIRROR / target).stat().st_size
        assert entry["url"] == f"{mirror_url}/{target}"


def test_404_is_one_clear_error_and_leaves_no_partial_file(mirror_url: str, tmp_path: Path) -> None:
    into = tmp_path / "data"
    base = f"{mirror_url}/no-such-prefix"
    result = CliRunner().invoke(
        app, ["data", "fetch", "--into", str(into), "--base-url", base, "--only", "us_dod_1260h"]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, FetchError)
    message = str(result.exception)
    target = "lists/us_dod_1260h_chinese_military_companies.csv"
    assert message == f"HTTP 404 for {base}/{target} (target {target})"
    assert not (into / target).exists()
    assert [p.name for p in into.rglob("*") if p.is_file()] == ["FETCHED.json"]


def test_cli_main_prints_the_error_and_exits_non_zero(
    mirror_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from redline.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["data", "fetch", "--into", str(tmp_path), "--base-url", f"{mirror_url}/x",
              "--only", "us_fcc_covered_list"])  # fmt: skip
    assert exit_info.value.code != 0
    assert "error: HTTP 404 for" in capsys.readouterr().err


def test_checksum_mismatch_is_refused(mirror_url: str, tmp_path: Path) -> None:
    raw = load_manifest().model_dump()
    entry = next(s for s in raw["sources"] if s["name"] == "us_ndaa_section_889")
    entry["sha256"] = "0" * 64
    manifest = Manifest.model_validate({"version": 1, "sources": [entry]})
    with pytest.raises(FetchError, match="differs from manifest"):
        fetch_sources(tmp_path, base_url=mirror_url, manifest=manifest)
    assert not (tmp_path / entry["target"]).exists()


def _upstream(tmp_path: Path) -> Path:
    """A stand-in for the upstream origins, built from mirror files, for the derive steps."""
    up = tmp_path / "upstream"
    (up / "trade").mkdir(parents=True)
    aei = MIRROR / "investment" / "aei_china_global_investment_tracker_2005_2021fall.csv"
    # bytes, not read_text: the file has CRLF line ends the re-encoding must keep
    (up / "aei.csv").write_bytes(aei.read_bytes().decode("utf-8").encode("cp1252"))
    china, mexico = (
        (MIRROR / "trade" / f"us_goods_trade_{c}_monthly_1985_2023.csv").read_text("utf-8")
        for c in ("china", "mexico")
    )
    # trade_partner.csv holds every partner; interleave two so the filter has work to do
    (up / "trade_partner.csv").write_text(
        china + "".join(mexico.splitlines(keepends=True)[1:]), encoding="utf-8"
    )
    return up


def test_derive_steps_rebuild_the_mirror_files(mirror_url: str, tmp_path: Path) -> None:
    up = _upstream(tmp_path)
    raw = load_manifest().model_dump(exclude_none=True)
    wanted = {
        "nsfreg_us_restricted_lists": f"{mirror_url}/lists/nsfreg_us_restricted_lists",
        "bis_entity_list_china_mexico": None,
        "aei_china_global_investment_tracker": "UP/aei.csv",
        "us_goods_trade_china": "UP/trade_partner.csv",
        "us_goods_trade_mexico": "UP/trade_partner.csv",
    }
    entries = []
    for s in raw["sources"]:
        if s["name"] in wanted:
            if wanted[s["name"]]:
                s["url"] = wanted[s["name"]]
            entries.append(s)
    with _serve(up) as up_url:
        for s in entries:
            s["url"] = s.get("url", "").replace("UP", up_url) or None
        manifest = Manifest.model_validate({"version": 1, "sources": entries})
        report = fetch_sources(tmp_path / "data", base_url="", manifest=manifest)
    derived = {f.target: f.derived for f in report.fetched if f.derived}
    assert derived == {
        "lists/bis_entity_list_china_mexico_subset.csv": "bis_country_subset",
        "investment/aei_china_global_investment_tracker_2005_2021fall.csv": "reencode",
        "trade/us_goods_trade_china_monthly_1985_2023.csv": "filter_rows",
        "trade/us_goods_trade_mexico_monthly_1985_2023.csv": "filter_rows",
    }
    for target in derived:  # the manifest's sha256 were checked; compare bytes anyway
        assert (tmp_path / "data" / target).read_bytes() == (MIRROR / target).read_bytes()


def test_mirror_only_entries_are_skipped_without_a_base_url(tmp_path: Path) -> None:
    raw = load_manifest().model_dump(exclude_none=True)
    events = [s for s in raw["sources"] if s.get("mirror_only")]
    assert sorted(s["name"] for s in events) == ["comprasmx_layouts", "mexico_prc_vendor_events"]
    manifest = Manifest.model_validate({"version": 1, "sources": events})
    report = fetch_sources(tmp_path, base_url="", manifest=manifest)
    assert report.fetched == []
    assert all("no upstream file" in report.skipped[s["name"]] for s in events)


def test_manifest_rejects_unknown_fields_with_their_position(tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text(
        "version: 1\nsources:\n- name: x\n  target: a.csv\n  format: csv\n  url: http://h/a\n"
        "  licence: l\n  origin: o\n  mirror: yes\n- name: y\n  target: ../b.csv\n  format: csv\n"
        "  licence: l\n  origin: o\n  url: http://h/b\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_manifest(bad)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{bad}:sources.0.mirror: Extra inputs are not permitted"
    assert lines[1].startswith(f"{bad}:sources.1: Value error, target must be a relative path")


def test_only_names_an_unknown_source(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--only:nope: no such source"):
        fetch_sources(tmp_path, base_url="http://127.0.0.1:9", only=["nope"])


def test_data_path_prints_the_directory_in_use(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data", str(tmp_path), "data", "path"])
    assert result.exit_code == 0
    assert result.stdout.strip() == str(tmp_path.resolve())


def test_every_manifest_entry_is_documented() -> None:
    text = (ROOT / "docs" / "data-sources.md").read_text(encoding="utf-8")
    missing = [s.name for s in load_manifest().sources if f"| `{s.name}` |" not in text]
    assert not missing, f"docs/data-sources.md lacks {missing}"


def test_base_url_from_the_environment(
    mirror_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDLINE_FETCH_BASE_URL", mirror_url)
    result = CliRunner().invoke(
        app, ["data", "fetch", "--into", str(tmp_path), "--only", "ocds_schema_1_1_5"]
    )
    assert result.exit_code == 0, result.output
    schema = "standards/ocds-1.1.5/release-schema.json"
    assert (tmp_path / schema).read_bytes() == (MIRROR / schema).read_bytes()


def test_a_page_that_is_not_the_declared_format_is_refused(tmp_path: Path) -> None:
    served = tmp_path / "served" / "lists"
    served.mkdir(parents=True)
    # what a captive portal or an error page answers with a 200 (synthetic content)
    (served / "us_ndaa_section_889_entities.csv").write_text("<html>synthetic error page</html>\n")
    into = tmp_path / "data"
    with _serve(tmp_path / "served") as url, pytest.raises(FetchError) as info:
        fetch_sources(into, base_url=url, only=["us_ndaa_section_889"])
    assert str(info.value).startswith(
        "lists/us_ndaa_section_889_entities.csv: downloaded file is not valid csv"
    )
    assert [p.name for p in into.rglob("*") if p.is_file()] == ["FETCHED.json"]


NATIONAL = ["compranet_national_2024", "comprasmx_national_2025", "comprasmx_national_2026"]


def test_national_files_are_fetched_only_on_request(tmp_path: Path) -> None:
    manifest = load_manifest()
    national = [s for s in manifest.sources if s.on_request]
    assert sorted(s.name for s in national) == NATIONAL
    for s in national:  # the official URL pattern SOURCES.md gives, no checksum to pin
        assert s.url is not None and s.url.startswith(
            "https://upcp-cnetservicios.buengobierno.gob.mx/norah/documentos/recursos/lck/"
        )
        assert s.url.endswith(Path(s.target).name) and s.sha256 is None
    # not named: skipped with the reason, nothing downloaded (the default fetch stays small)
    only_national = Manifest.model_validate(
        {"version": 1, "sources": [s.model_dump(exclude_none=True) for s in national]}
    )
    report = fetch_sources(tmp_path / "a", base_url="http://127.0.0.1:9", manifest=only_national)
    assert report.fetched == [] and sorted(report.skipped) == NATIONAL
    assert "--only comprasmx_national_2026" in report.skipped["comprasmx_national_2026"]
    # named: fetched, here from a loopback server holding a SYNTHETIC file at the target
    served = tmp_path / "served"
    target = served / national[0].target
    target.parent.mkdir(parents=True)
    target.write_text("rfc,Institución\nSYN000000AAA,SYNTHETIC\n", encoding="utf-8")
    with _serve(served) as url:
        got = fetch_sources(
            tmp_path / "b", base_url=url, only=[national[0].name], manifest=only_national
        )
    assert [f.target for f in got.fetched] == [national[0].target]
    assert (tmp_path / "b" / national[0].target).read_bytes() == target.read_bytes()
