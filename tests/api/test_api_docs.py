"""``/docs`` and ``/redoc`` work offline: every asset they load is the server's own (issue 17)."""

from __future__ import annotations

import re

import httpx


def test_docs_pages_reference_no_external_url(demo: httpx.Client) -> None:
    for page in ("/docs", "/redoc"):
        html = demo.get(page).text
        refs = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", html)
        assert refs, html[:300]
        external = [r for r in refs if re.match(r"^(https?:)?//", r)]
        assert not external, (page, external)
        assert "fonts.googleapis" not in html and "cdn." not in html
        for ref in refs:  # each asset the page names is served here
            assert demo.get(ref).status_code == 200, ref
    assert demo.get("/openapi.json").json()["openapi"].startswith("3.1")
