"""The judge's public surface is what __all__ says, and every name resolves."""

from __future__ import annotations

import redline.judge
import redline.model


def test_exports_resolve() -> None:
    for module in (redline.judge, redline.model):
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{module.__name__}.{name}"
    assert {"load_policies", "guard", "evaluate", "score"} <= set(redline.judge.__all__)
    assert {"Finding", "EvidenceLedger", "RiskComponent"} <= set(redline.model.__all__)
