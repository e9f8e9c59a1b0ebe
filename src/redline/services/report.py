"""Use case: write the briefing (``redline report``) as HTML and, if asked, PDF.

Reach for :func:`write_report` from the CLI or a notebook with an open store and the data
directory (trade and investment context). Example: ``write_report(store, Path("out"),
formats=("html", "pdf"), data_dir=Path("../shared/data"))`` → ``out/briefing.html`` and
``out/briefing.pdf``; with ``lang="es"``, ``out/briefing.es.html`` and ``out/briefing.es.pdf``.
Every number is read once by the read model
(:func:`redline.services.read.briefing.gather`); :mod:`redline.report` only renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from redline.errors import InputError, Problem
from redline.judge.vocab import sectors
from redline.report.briefing import render_html
from redline.report.pdf import html_to_pdf
from redline.services.read.briefing import DEFAULT_GROWTH_YEARS, gather
from redline.services.read.language import LANGS
from redline.store.db import Store

FORMATS = ("html", "pdf")


def write_report(
    store: Store,
    output: Path,
    *,
    formats: Sequence[str] = ("html",),
    data_dir: Path | None = None,
    growth_years: tuple[int, int] = DEFAULT_GROWTH_YEARS,
    lang: str = "en",
) -> dict[str, Path]:
    """Write the briefing in each of ``formats``; returns format → path."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError([Problem("--format", "", f"unknown format {f!r}; use html, pdf")
                          for f in unknown])  # fmt: skip
    if lang not in LANGS:
        raise InputError([Problem("--lang", "", f"unknown language {lang!r}; use en, es")])
    names = {k: v.title for k, v in sectors().items()}
    brief = gather(store.conn, data_dir, store_name=store.path.name, sector_names=names,
                   growth_years=growth_years, lang=lang)  # fmt: skip
    html = render_html(brief)
    output.mkdir(parents=True, exist_ok=True)
    written = {}
    stem = "briefing" if lang == "en" else f"briefing.{lang}"  # both editions in one folder
    html_path = output / f"{stem}.html"
    html_path.write_text(html, encoding="utf-8")
    if "html" in formats:
        written["html"] = html_path
    if "pdf" in formats:
        written["pdf"] = html_to_pdf(html, output / f"{stem}.pdf")
    return written
