"""Judge stage: red-line policies, risk components, evidence, trusted alternatives → findings.

The use case that runs it end to end is :func:`redline.services.screen.screen_store`.
"""

from redline.judge.alternatives import Catalogue, Guarded, guard, load_catalogue
from redline.judge.findings import Candidate, Case, Context, evaluate, finding_id
from redline.judge.matching import Matcher, NameHit, NameQuery
from redline.judge.policy import PolicySet, Rule, load_policies
from redline.judge.risk import RiskInputs, score

__all__ = [
    "Candidate",
    "Case",
    "Catalogue",
    "Context",
    "Guarded",
    "Matcher",
    "NameHit",
    "NameQuery",
    "PolicySet",
    "RiskInputs",
    "Rule",
    "evaluate",
    "finding_id",
    "guard",
    "load_catalogue",
    "load_policies",
    "score",
]
