"""The briefing in English and Spanish: every reader-facing text of the shipped data in both
languages, the demo's briefing free of raw values and of English on its Spanish pages, a
headline page with contents and page numbers, sector tables within four pages, Chinese names
in the PDF's text."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from synthetic_store import MIRROR

from redline.classify.taxonomy import load_taxonomy
from redline.cli import main
from redline.judge.alternatives import load_catalogue
from redline.judge.policy import load_policies
from redline.judge.vocab import sectors, shipped_list_codes
from redline.packaged import read_text

#: sentences of the English edition that must never reach a Spanish reader
ENGLISH = ("Guard rails for this sector", "Details of each finding", "The three that matter most",
           "US agencies may not buy it", "listed directly", "buyer not named in the source",
           "no remote vendor access", "Telecom core and backbone networks", "Listed at the award",
           "not reviewed yet", "Not covered", "Data coverage and gaps", "findings by")  # fmt: skip


def test_every_shipped_text_has_spanish() -> None:
    missing = [f"taxonomy {c.id}" for c in load_taxonomy().classes
               if c.es is None or len(c.es.guard_rails) != len(c.guard_rails)]  # fmt: skip
    rules = load_policies(known_sectors=set(sectors()), known_lists=shipped_list_codes()).rules
    missing += [f"policy rule {r.id}" for r in rules if r.es is None]
    missing += [f"alternatives {c.id}" for c in load_catalogue().capabilities if c.es is None]
    doc = yaml.safe_load(read_text("briefing_text.yaml")[0])
    missing += [f"briefing_text {k} ({lang})" for k, v in doc["text"].items()
                for lang in ("en", "es") if not (isinstance(v, dict) and v.get(lang))]  # fmt: skip
    assert not missing, f"no Spanish (or English) text for: {missing}"


def _render(store: Path, out: Path, lang: str) -> Path:
    with pytest.raises(SystemExit) as done:
        main(["--store", str(store), "--data", str(MIRROR), "report", "--output", str(out),
              "--format", "html,pdf", "--lang", lang])  # fmt: skip
    assert done.value.code in (0, None)
    return out


@pytest.fixture(scope="module", params=["en", "es"])
def edition(
    request: pytest.FixtureRequest, demo_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    lang = str(request.param)
    out = _render(demo_store, tmp_path_factory.mktemp(f"briefing-{lang}"), lang)
    if lang != "en":  # the Spanish edition is written beside an English one as briefing.es.*
        for ext in ("html", "pdf"):
            (out / f"briefing.{lang}.{ext}").rename(out / f"briefing.{ext}")
    return lang, out


def _visible_text(html: str) -> str:
    """What a reader sees: tags, styles and the charts' SVG markup removed."""
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def test_no_raw_values_reach_the_reader(edition: tuple[str, Path]) -> None:
    lang, out = edition
    text = _visible_text((out / "briefing.html").read_text(encoding="utf-8"))
    for pattern in (r"\b(True|False|None|nan)\b", r"\b[a-z0-9]+_[a-z0-9_]+\b",
                    r"(/work/|/home/|/tmp/|\.csv\b|\.duckdb\b)", r"\bus-[a-z]+-[a-z0-9-]+\b",
                    r"\b(rl|own)-[a-z0-9-]+\b"):  # fmt: skip
        assert not re.findall(pattern, text), (lang, pattern, re.findall(pattern, text)[:5])


def test_spanish_edition_has_no_english_sentence(edition: tuple[str, Path]) -> None:
    lang, out = edition
    text = _visible_text((out / "briefing.html").read_text(encoding="utf-8"))
    if lang == "en":
        assert all(s in text for s in ENGLISH[:4]), "the known sentences no longer appear"
        return
    leaked = [s for s in ENGLISH if s.lower() in text.lower()]
    assert not leaked, leaked
    for word in ("Resumen ejecutivo", "Salvaguardas para este sector", "Sí", "Incumplimiento"):
        assert word in text, word


def _pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return [p for p in out.split("\f") if p.strip()]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils: make system-deps")
def test_pdf_headline_contents_page_numbers_and_chinese(edition: tuple[str, Path]) -> None:
    lang, out = edition
    pdf = out / "briefing.pdf"
    pages = _pdf_pages(pdf)
    page, of, contents, details = {
        "en": ("Page", "of", "Contents", "2. Details of each finding"),
        "es": ("Página", "de", "Índice", "2. Detalle de cada hallazgo"),
    }[lang]
    first = pages[0]
    assert contents in first and re.search(r"1\. .+\s(\d+)\s*$", first, flags=re.M)
    for n, text in enumerate(pages, 1):
        assert f"{page} {n} {of} {len(pages)}" in text, f"no page number on page {n}"
    # the headline page and every sector table fit in the first five pages (the Spanish edition
    # runs one page longer since the demo's two real SFP breaches, signed while disqualified)
    (start,) = [n for n, text in enumerate(pages, 1) if details in text and n > 1]
    assert start <= 6, f"the sector tables run to page {start}"
    toc = re.search(rf"{re.escape(details)}\s+(\d+)", first)
    assert toc and int(toc[1]) == start, "the contents give the wrong page"
    # a Chinese name, rendered with an embedded CJK font and read back as text
    assert "同方威视技术股份有限公司" in "".join(pages)
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"(WenQuanYi|NotoSansCJK)\S*\s.*\byes\b", fonts.stdout), fonts.stdout
