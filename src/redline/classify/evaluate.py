"""Measure the classifier on a labelled set: precision and recall per class.

Reach for :func:`evaluate` from tests and the bench. A label names a text in the data mirror
(source file + OCDS JSON pointer, ``/MX-001`` for an event, ``/row/N`` for a tracker row) and
the classes a careful reader gives it; the text itself is read from the mirror at run time, so
the repository never holds a copy. Every label problem (unknown class, missing file, pointer
that resolves to nothing) is reported at once as an :class:`~redline.errors.InputError`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.classify.classifier import Classifier, Subject
from redline.classify.sources import event_subjects, investment_subjects, ocds_subject
from redline.errors import InputError, Problem


@dataclass(frozen=True)
class Label:
    labels_file: str
    line: int
    source: str
    ocid: str
    pointer: str
    classes: frozenset[str]


@dataclass
class ClassScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Evaluation:
    """Per-class counts, overall micro averages, and every disagreement to read."""

    labels: int = 0
    per_class: dict[str, ClassScore] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def micro(self) -> ClassScore:
        total = ClassScore()
        for s in self.per_class.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total

    @property
    def false_alarm_rate(self) -> float:
        """Share of labels with no class that the classifier nonetheless classified."""
        negatives = [e for e in self.errors if not e["expected"]]
        n_neg = self.labels - self.positives
        return len(negatives) / n_neg if n_neg else 0.0

    positives: int = 0


def read_labels(paths: Iterable[Path], class_ids: set[str]) -> list[Label]:
    """Labels from CSV files with columns source, ocid, pointer, classes (';'-separated), note."""
    labels: list[Label] = []
    problems: list[Problem] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"source", "ocid", "pointer", "classes"} - set(reader.fieldnames or [])
            if missing:
                problems.append(Problem(str(path), "line 1", f"missing columns {sorted(missing)}"))
                continue
            for line, row in enumerate(reader, start=2):
                classes = frozenset(c.strip() for c in row["classes"].split(";") if c.strip())
                unknown = sorted(classes - class_ids)
                if unknown:
                    problems.append(Problem(str(path), f"line {line}", f"unknown class {unknown}"))
                labels.append(
                    Label(str(path), line, row["source"], row["ocid"], row["pointer"], classes)
                )
    if problems:
        raise InputError(problems)
    return labels


class _Resolver:
    """Reads each source file once and hands out the labelled subjects."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._json: dict[str, Any] = {}
        self._rows: dict[str, dict[str, Subject]] = {}

    def subject(self, label: Label) -> Subject:
        path = self.data_dir / label.source
        if label.source.endswith(".json"):
            if label.source not in self._json:
                self._json[label.source] = json.loads(path.read_text(encoding="utf-8"))
            return ocds_subject(self._json[label.source], label.pointer)
        if label.source not in self._rows:
            reader = event_subjects if label.source.startswith("events/") else investment_subjects
            self._rows[label.source] = {f"/{key.replace(':', '/')}": s for key, s in reader(path)}
        return self._rows[label.source][label.pointer]


def resolve(labels: list[Label], data_dir: Path) -> list[tuple[Label, Subject]]:
    """Each label with its subject read from the mirror; all failures reported together."""
    resolver = _Resolver(data_dir)
    out: list[tuple[Label, Subject]] = []
    problems: list[Problem] = []
    for label in labels:
        try:
            out.append((label, resolver.subject(label)))
        except (OSError, KeyError, IndexError, ValueError) as exc:
            where = f"line {label.line}"
            problems.append(Problem(label.labels_file, where, f"{label.source}: {exc!r}"))
    if problems:
        raise InputError(problems)
    return out


def evaluate(
    label_files: Iterable[Path], data_dir: Path, classifier: Classifier | None = None
) -> Evaluation:
    """Classify every labelled subject and compare with its label."""
    clf = classifier or Classifier()
    class_ids = set(clf.taxonomy.class_ids)
    pairs = resolve(read_labels(label_files, class_ids), data_dir)
    ev = Evaluation(labels=len(pairs), per_class={c: ClassScore() for c in clf.taxonomy.class_ids})
    for label, subject in pairs:
        assignments = clf.classify(subject)
        got = {a.class_id for a in assignments}
        ev.positives += bool(label.classes)
        for c in got & label.classes:
            ev.per_class[c].tp += 1
        for c in got - label.classes:
            ev.per_class[c].fp += 1
        for c in label.classes - got:
            ev.per_class[c].fn += 1
        if got != label.classes:
            ev.errors.append(
                {
                    "source": label.source,
                    "pointer": label.pointer,
                    "expected": sorted(label.classes),
                    "got": sorted(got),
                    "signals": {a.class_id: [s.value for s in a.signals] for a in assignments},
                }
            )
    return ev
