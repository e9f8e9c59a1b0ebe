"""Use case: an analyst confirms, dismisses or reopens a finding (``redline review``,
``POST /findings/{id}/review``).

Reach for :func:`review_finding` from any front end. The review is stored with who and when
and the evidence it was made on (:mod:`redline.judge.reviews`); a dismissed finding then stays
dismissed across re-screens until its evidence changes, when the screen reopens it and says why.
Example: ``review_finding(store, "f-3a…", "dismiss", "namesake, different RFC", "ana")``.
"""

from __future__ import annotations

import getpass
from typing import Any

from redline.judge.reviews import ACTIONS as ACTIONS
from redline.judge.reviews import Review, latest, record_review, trail
from redline.store.db import Store


def default_reviewer() -> str:
    """The OS user: who typed the command, when ``--by`` does not say."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's uid): still say something
        return "unknown"


def review_finding(
    store: Store, finding_id: str, action: str, note: str = "", reviewer: str | None = None
) -> Review:
    """Record one act on a stored finding (one transaction); refused for an unknown id."""
    with store.transaction() as conn:
        return record_review(conn, finding_id, action, note, reviewer or default_reviewer())


def review_state(store: Store, finding_id: str) -> dict[str, Any]:
    """The finding's current review (``None`` when never reviewed) and its whole trail."""
    now = latest(store.conn, [finding_id]).get(finding_id)
    return {"finding_id": finding_id, "review": now.as_dict() if now else None,
            "trail": trail(store.conn, finding_id)}  # fmt: skip
