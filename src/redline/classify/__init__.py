"""Classify stage: contracts and projects → sensitive sector classes, with the signal that fired.

Public surface: :func:`classify_text`, :class:`Classifier`, :class:`Subject`,
:class:`Assignment`, :class:`Signal`, :func:`load_taxonomy`, :class:`Taxonomy`.
"""

from redline.classify.classifier import Assignment, Classifier, Signal, Subject, classify_text
from redline.classify.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "Assignment",
    "Classifier",
    "Signal",
    "Subject",
    "Taxonomy",
    "classify_text",
    "load_taxonomy",
]
