"""Classifier rules on small hand-written (synthetic) descriptions; real data is in
test_labelled_set.py. Every string here is invented for the test."""

from __future__ import annotations

import pytest

from redline.classify.classifier import Classifier, Subject, classify_text
from redline.classify.signals import normalise


def _classes(text: str, **kw: object) -> set[str]:
    return {a.class_id for a in classify_text(text, **kw)}  # type: ignore[arg-type]


def test_normalise_folds_accents_case_and_spaces() -> None:
    assert normalise("  Escáner   de CONTENEDORES\n") == "escaner de contenedores"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Adquisición de equipo de rayos X para inspección no intrusiva", {"border_inspection"}),
        ("Suministro de ARCOS DETECTORES para aduanas", {"border_inspection"}),
        ("Escáner de contenedores y vehículos", {"border_inspection"}),
        ("Ampliación de la Red Compartida", {"telecom_radio_access"}),
        ("Sistema de videovigilancia urbana", {"video_surveillance"}),
        ("Mantenimiento a material rodante", {"rail_rolling_stock_signalling"}),
        ("Radiation portal monitors for the northern border", {"border_inspection"}),
    ],
)
def test_spanish_and_english_keywords_classify(text: str, expected: set[str]) -> None:
    assert _classes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Equipo de rayos X dental para el hospital",  # medical X-ray is not border inspection
        "Rehabilitación de la red de agua potable",  # "red" of water pipes is not telecom
        "Capacitación a servidores públicos",  # public servants are not servers
        "Servicio de hospedaje para asistentes al evento",  # hotel lodging is not hosting
        "Renta de 120 metros cuadrados de oficina",  # a metre is not a metro
        "Licencia de Creative Cloud",  # a software product name
    ],
)
def test_negative_contexts_do_not_raise_false_alarms(text: str) -> None:
    assert _classes(text) == set()


def test_buyer_alone_never_classifies_but_strengthens() -> None:
    assert classify_text("Material de curación", buyer="Agencia Nacional de Aduanas") == []
    plain = classify_text("Arco detector de metales")
    with_buyer = classify_text("Arco detector de metales", buyer="ANAM")
    assert [a.class_id for a in plain] == [a.class_id for a in with_buyer] == ["border_inspection"]
    assert with_buyer[0].score == plain[0].score + 0.5
    buyer_signal = [s for s in with_buyer[0].signals if s.kind == "buyer"]
    assert [(s.value, s.field) for s in buyer_signal] == [("anam", "buyer")]


def test_every_assignment_carries_its_evidence() -> None:
    subject = Subject(
        texts=(("item.description", "Cámaras de videovigilancia"),),
        codes=(("item.classification", "CPV", "38581000-3"),),
    )
    got = {a.class_id: a for a in Classifier().classify(subject)}
    assert set(got) == {"video_surveillance", "border_inspection"}
    (kw,) = got["video_surveillance"].signals
    assert (kw.kind, kw.value, kw.field) == (
        "keyword",
        "camaras de videovigilancia",
        "item.description",
    )
    (code,) = got["border_inspection"].signals
    assert (code.kind, code.value, code.field) == ("code", "CPV 38581000-3", "item.classification")
    assert code.detail.startswith("prefix 3858")


def test_codes_match_by_prefix_of_their_digits_only() -> None:
    assert _classes("", codes=[("CPV", "35613000")]) == {"drones"}
    assert _classes("", codes=[("UNSPSC", "32101601")]) == {"semiconductors"}
    # CUCOP 56501 is no longer a prefix (read item by item it is mostly cameras and sound gear)
    assert _classes("", codes=[("CUCoP", "31701001")]) == {"telecom_core"}
    assert _classes("", codes=[("CUCoP", "56501001")]) == set()
    assert _classes("", codes=[("CUCoP", "38301")]) == set()  # congresses and conventions
    assert _classes("", codes=[("unknown-scheme", "35613000")]) == set()
