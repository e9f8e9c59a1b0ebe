"""Why a query matched: the structure the CLI, API and reports render as is.

Reach for :func:`explain` to turn the winning comparison of a match into a plain dict: which
forms met (and how each was made), which tokens agreed with what similarity and weight, which
penalties applied, which identifiers agreed, and the ownership path with its sources.
"""

from __future__ import annotations

from typing import Any

from redline.model import OwnershipEvidence
from redline.resolve.normalise import weight
from redline.resolve.ownership import OwnershipPath
from redline.resolve.score import Comparison
from redline.resolve.variants import Variant


def name_evidence(
    query_name: str,
    member: bool,
    query_form: Variant,
    list_name: str,
    list_form: Variant,
    comparison: Comparison,
) -> dict[str, Any]:
    """The name half of an explanation."""
    return {
        "query_name": query_name,
        "consortium_member": member,
        "query_form": {"kind": query_form.kind, "text": query_form.text},
        "list_name": list_name,
        "list_form": {"kind": list_form.kind, "text": list_form.text},
        "feature": comparison.feature,
        "tokens": [
            {"query": q, "list": c, "similarity": s, "weight": weight(c)}
            for q, c, s in comparison.matched
        ],
        "unmatched_query_tokens": comparison.unmatched_query,
        "unmatched_list_tokens": comparison.unmatched_list,
        "penalties": list(comparison.penalties),
    }


def explain(
    name: dict[str, Any] | None,
    identifiers: list[dict[str, str]],
    path: OwnershipPath,
    score: float,
) -> dict[str, Any]:
    """One match's full explanation."""
    return {
        "score": score,
        "name": name,
        "identifiers": identifiers,
        "ownership": {
            "wording": path.wording,
            "aggregate_percentage": path.aggregate_percentage,
            "edges": [_edge(e) for e in path.edges],
        },
    }


def _edge(edge: OwnershipEvidence) -> dict[str, Any]:
    return {
        "child": edge.child_id,
        "parent": edge.parent_id,
        "relation": edge.relation,
        "percentage": edge.percentage,
        "source": edge.source,
        "source_url": edge.source_url,
    }
