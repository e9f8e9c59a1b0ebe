from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from redline.resolve.normalise import has_han, tokens


def test_legal_forms_case_and_abbreviations_fold_to_one_form() -> None:
    a = tokens("CHINA STATE SHIPBLDG CORP LTD")
    assert a == tokens("China State Shipbuilding Corporation Limited")
    assert a == ("china", "state", "shipbuilding")


def test_mexican_legal_forms_and_accents() -> None:
    assert tokens("Constructora Peñasco, S. de R.L. de C.V.") == ("constructora", "penasco")
    assert tokens("Grupo Ejemplo S.A.B. de C.V.") == tokens("GRUPO EJEMPLO SAB DE CV")


def test_customs_abbreviations_and_plurals() -> None:
    assert tokens("XYZ HVY INDS GRP") == tokens("Xyz Heavy Industries Group")
    assert tokens("ACME ENGRG & CONSTR INTL") == (
        "acme",
        "engineering",
        "construction",
        "international",
    )


def test_spanish_renderings_of_corporate_words() -> None:
    assert set(tokens("Corporación Nacional de Ingeniería Tianlong")) == set(
        tokens("Tianlong National Engineering Corporation")
    )


def test_spelling_variants() -> None:
    assert tokens("Qingyun Harbour Engineering") == tokens("Qingyun Harbor Engineering")


@given(st.text(max_size=60))
def test_tokens_never_raise_and_are_lowercase(text: str) -> None:
    out = tokens(text)
    assert all(t == t.casefold() and t for t in out)
    assert not any(has_han(t) for t in out)
