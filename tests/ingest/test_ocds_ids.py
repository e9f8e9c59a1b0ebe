"""RFC recognition and party roles as Mexican publishers write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redline.ingest.ocds.ids import as_rfc, identifier, roles


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("INA1402082Z8", "INA1402082Z8"),  # legal person (INAI)
        ("RFC-INA1402082Z8", "INA1402082Z8"),  # INAI's prefixed party id
        ("GDF9712054NA", "GDF9712054NA"),
        ("ROGJ800101AB1", "ROGJ800101AB1"),  # natural person: 4 letters
        (" ccs0308152m5 ", "CCS0308152M5"),
        ("RFC-KPMG", None),
        ("95F5D7F5DD77D73E3232026B4732232A", None),  # CompraNet's masked RFC
        (420, None),
    ],
)
def test_as_rfc(value: object, expected: str | None) -> None:
    assert as_rfc(value) == expected


@given(st.text(max_size=20))
def test_as_rfc_only_returns_rfc_shapes(value: str) -> None:
    found = as_rfc(value)
    assert found is None or (len(found) in (12, 13) and found[-9:-3].isdigit())


def test_identifier_prefers_rfc_and_clears_fake_rfc_scheme() -> None:
    assert identifier({"scheme": "RFC", "id": "HPR060210B71"}) == ("MX-RFC", "HPR060210B71", False)
    assert identifier({"scheme": "CUA", "id": 420}, "CUA-420") == ("CUA", "420", False)
    assert identifier(None, "RFC-INA1402082Z8") == ("MX-RFC", "INA1402082Z8", False)
    masked = {"scheme": "MX-RFC", "id": "95F5D7F5DD77D73E3232026B4732232A"}
    assert identifier(masked) == (None, "95F5D7F5DD77D73E3232026B4732232A", True)


def test_spanish_roles_map_to_codelist() -> None:
    assert roles(["Comprador", "Proveedor o contratista", "supplier", 3]) == [
        "buyer",
        "supplier",
        "supplier",
    ]
