"""HTML briefing → PDF with WeasyPrint (pure Python plus Debian's Pango; no browser).

Reach for :func:`html_to_pdf` after :func:`redline.report.briefing.render_html`. Fonts come
from the system (`fonts-dejavu-core`, `fonts-wqy-zenhei` for Chinese names), installed by the
Makefile's ``system-deps``.
"""

from __future__ import annotations

from pathlib import Path

from redline.errors import RedlineError


def html_to_pdf(html: str, out: Path) -> Path:
    """Write ``html`` as a PDF at ``out``; a missing system library is a clear error."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing: WeasyPrint fails when loading it
        raise RedlineError(f"PDF needs Pango (run `make system-deps`): {exc}") from exc
    HTML(string=html, base_url=str(out.parent)).write_pdf(out)
    return out
