"""Descriptions as Mexican buyers write them, classified by keywords + the learned model.

The first four are issue 14's; the ten after them were written before the classifier was run on
them and no rule was changed afterwards (their results are what they are).
"""

# ruff: noqa: E501  (the descriptions are kept whole, one per line, as a buyer writes them)

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from redline.classify.classifier import Classifier, Subject, classify_text

ISSUE_14 = [
    ("Suministro de equipos de radiocomunicación digital para la policía estatal", "telecom_radio_access"),
    ("Adquisición de equipo CCTV y monitoreo para los centros penitenciarios", "video_surveillance"),
    ("Arrendamiento de escáneres de carga para la aduana de Nuevo Laredo", "border_inspection"),
    ("Enlaces de microondas y equipo de conmutación para la red estatal", "telecom_core"),
]  # fmt: skip

UNSEEN = [
    ("Servicio de videovigilancia urbana con cámaras PTZ para el C5 de Monterrey", {"video_surveillance"}),
    ("Adquisición de radios portátiles TETRA para la Guardia Nacional", {"telecom_radio_access"}),
    ("Sistema de rayos X para revisión de contenedores en el puerto de Manzanillo", {"border_inspection"}),
    ("Construcción de la subestación eléctrica y línea de transmisión de 115 kV", {"energy_grid_generation"}),
    ("Adquisición de lectores de huella dactilar para el registro de asistencia", {"biometrics_identity"}),
    ("Arrendamiento de servidores y almacenamiento en centro de datos", {"data_centres_cloud"}),
    ("Supply of lithium battery banks for substation backup power", {"batteries"}),
    ("Suministro de luminarias LED para oficinas administrativas", set()),
    ("Compra de medicamentos oncológicos para el hospital regional", set()),
    ("Servicio de limpieza y jardinería en el edificio sede", set()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "class_id"), ISSUE_14)
def test_issue_14_descriptions(text: str, class_id: str) -> None:
    assignments = classify_text(text)
    assert class_id in {a.class_id for a in assignments}
    chosen = next(a for a in assignments if a.class_id == class_id)
    assert chosen.signals and all(s.value for s in chosen.signals)  # the signal is the evidence


@pytest.mark.parametrize(("text", "expected"), UNSEEN)
def test_unseen_descriptions(text: str, expected: set[str]) -> None:
    got = {a.class_id for a in classify_text(text)}
    if expected:
        assert expected <= got, got
    else:
        assert got == set(), got


def test_model_signal_carries_its_ngrams_and_probability() -> None:
    clf = Classifier()
    assert clf.model is not None, "the packaged text model is missing"
    hits = clf.model.scores("RADIO TRANSRECEPTOR PORTATIL DIGITAL")
    assert hits and hits[0].class_id == "telecom_radio_access"
    assert hits[0].top and 0.5 <= hits[0].probability <= 1.0


def test_keyword_only_classifier_has_no_model() -> None:
    assert Classifier(use_model=False).model is None


def test_scope_handed_to_another_vendor_does_not_classify(mirror: Path) -> None:
    path = mirror / "events" / "mexico_prc_vendor_events.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["event_id"] == "MX-016")
    got = Classifier().classify(Subject(texts=(("event.description", row["description"]),)))
    assert "telecom_core" not in {a.class_id for a in got}  # the core went to Nokia
    own = classify_text("Altán asignó el núcleo de la red a Huawei")
    assert "telecom_core" not in {a.class_id for a in own}  # handed to a named vendor: theirs
    assert {
        a.class_id for a in classify_text("Adquisición de cámaras de videovigilancia de Hikvision")
    } == {"video_surveillance"}  # "de Hikvision" is the product's maker, not a scope handed away
