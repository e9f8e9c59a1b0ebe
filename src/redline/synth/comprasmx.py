"""Write a SYNTHETIC national-year ComprasMX contract export (the 21-column CSV layout).

Reach for :func:`write_comprasmx` when a test or benchmark needs a contract-register file at the
size of the official yearly ``Contratos_ComprasMX_<year>.csv`` (~80k rows, ~50 MB), which the
mirror holds only as one institution's extract:
``write_comprasmx(Path("work/contratos_comprasmx_synthetic_80k.csv"), 80_000, seed=1)``
(bench/national_bench.py makes its input so). The header is the layout's 21 columns as
``procurement/comprasmx/LAYOUTS.md`` lists them, plus a last column ``Datos`` whose every value
is ``SYNTHETIC``; each description ends in ``(SYNTHETIC)`` and each link points at
``example.invalid``, so a stored row says what it is. Values take the published forms: amounts
with and without thousands separators, dates in the several formats, some descriptions with a
line break, several contracts under one procedure number. Buyers, suppliers and items come from
:mod:`redline.synth.vocab` (invented suppliers, RFC-shaped ids from :mod:`redline.synth.parts`);
no supplier is tied to any list. Deterministic for a given seed and row count.
"""

from __future__ import annotations

import csv
import random
import time
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from redline.synth import vocab
from redline.synth.parts import rfc

HEADER = [
    "rfc", "Institución", "Nombre de la UC", "Clave de la UC", "Proveedor o contratista",
    "Número de procedimiento", "Tipo Procedimiento", "Tipo de contratación", "Ley",
    "Artículo de excepción", "Descripción excepción", "Partida específica", "Importe DRC",
    "Estratificación", "Compra consolidada", "Fecha de publicación", "Fecha de fallo",
    "Fecha de firma del contrato", "Fecha de inicio del contrato", "Descripción del contrato",
    "Dirección del anuncio", "Datos",
]  # fmt: skip
MARK = "SYNTHETIC"
#: (procedure prefix, Tipo Procedimiento, Artículo de excepción, Descripción excepción, weight):
#: the kinds and exceptions the real ComprasMX export shows most, at about its shares
PROCEDURES: list[tuple[str, str, str, str, int]] = [
    ("LA", "LICITACIÓN PÚBLICA", "", "", 63),
    ("AA", "ADJUDICACIÓN DIRECTA POR MONTOS MÁXIMOS POR EXCEPCIÓN", "ART. 55 PÁRRAFO PRIMERO",
     "ADQUISICIONES, ARRENDAMIENTOS Y SERVICIOS, DENTRO DE LOS MONTOS MÁXIMOS ESTABLECIDOS EN "
     "EL PEF.", 10),
    ("AA", "ADJUDICACIÓN DIRECTA POR URGENCIA Y EVENTUALIDAD", "ART. 54 FR. V",
     "CONTRATACIONES PARA ATENDER UNA EVENTUALIDAD POR CASO FORTUITO O DE FUERZA MAYOR, "
     "LIMITADA A LO ESTRICTAMENTE NECESARIO PARA AFRONTARLA.", 7),
    ("AA", "ADJUDICACIÓN DIRECTA POR PATENTES, LICENCIAS, OFERENTE ÚNICO U OBRAS DE ARTE",
     "ART. 54 FR. I", "NO EXISTEN BIENES ALTERNATIVOS O SUSTITUTOS, ÚNICO OFERENTE, DERECHOS "
     "EXCLUSIVOS (PATENTES, LICENCIAS, DERECHOS DE AUTOR U OTROS DERECHOS EXCLUSIVOS), O POR "
     "OBRAS DE ARTE.", 5),
    ("AA", "ADJUDICACIÓN DIRECTA POR LICITACIONES PÚBLICAS DESIERTAS", "ART. 54 FR. VII",
     "SE HAYA DECLARADO DESIERTA UNA LICITACIÓN PÚBLICA, SIEMPRE QUE SE MANTENGAN LOS "
     "REQUISITOS ESTABLECIDOS EN LA CONVOCATORIA.", 4),
    ("IA", "INVITACIÓN A CUANDO MENOS 3 PERSONAS POR MONTOS MÁXIMOS POR EXCEPCIÓN",
     "ART. 55 PÁRRAFO PRIMERO", "ADQUISICIONES, ARRENDAMIENTOS Y SERVICIOS, DENTRO DE LOS "
     "MONTOS MÁXIMOS ESTABLECIDOS EN EL PEF.", 4),
]  # fmt: skip
CATEGORIES = [("SERVICIOS", "LAASSP", 67), ("ADQUISICIONES", "LAASSP", 30),
              ("ARRENDAMIENTOS", "LAASSP", 2), ("OBRA PÚBLICA", "LOPSRM", 1)]  # fmt: skip
SIZES = [("PEQUEÑA", 28), ("MICRO", 27), ("NO MIPYME", 17), ("GRANDE", 15), ("MEDIANA", 13)]
UNITS = ["COORDINACION DE ABASTECIMIENTO Y EQUIPAMIENTO", "DIRECCION DE ADQUISICIONES",
         "DEPARTAMENTO DE ADQUISICION DE BIENES Y CONTRATACION DE SERVICIOS",
         "SUBDIRECCION DE RECURSOS MATERIALES", "UNIDAD DE ADMINISTRACION Y FINANZAS"]  # fmt: skip


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.upper() if c.isalpha())[:3].ljust(3, "X")


def _units(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(institution, unit name, unit key, procedure head) of every buying unit: each buyer of
    the vocabulary gets a branch number and one to eight units."""
    out = []
    for branch, (short, name) in enumerate(vocab.BUYERS, start=2):
        abbr = _plain(short)
        for k in range(1, rng.randint(2, 9)):
            key = f"{branch:03d}{abbr}{k:03d}"
            out.append((name.upper(), rng.choice(UNITS), key, f"{branch}-{abbr}-{key}"))
    return out


def _supplier(rng: random.Random) -> tuple[str, str]:
    word = "".join(rng.choice(vocab.SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    place = rng.choice(vocab.PLACES)
    name = f"{rng.choice(vocab.SUPPLIER_HEADS)} {word} {place} {rng.choice(vocab.LEGAL_FORMS)}"
    return rfc(rng, vocab.ALNUM), " ".join(name.upper().split())


def _stamp(rng: random.Random, day: date, form: int) -> str:
    """``day`` in one of the export's published forms (a random time of day where it has one)."""
    h, mi, s = rng.randint(7, 23), rng.randint(0, 59), rng.randint(0, 59)
    iso = day.isoformat()
    return (f"{iso} {h:02d}:{mi:02d}:{s:02d}", iso, day.strftime("%d/%m/%Y"),
            f"{iso} {h:02d}:{mi:02d}")[form]  # fmt: skip


def _amount(rng: random.Random) -> str:
    value = round(rng.lognormvariate(12.5, 2.0), 2)
    return f"{value:,.2f}" if rng.random() < 0.2 else repr(value)


def _procedure(
    rng: random.Random, n: int, year: int, unit: tuple[str, ...]
) -> tuple[dict[str, str], date]:
    """The cells every contract of procedure ``n`` shares, and its ruling's day."""
    published = date(year, 1, 1) + timedelta(days=rng.randint(-60, 330))
    ruling = published + timedelta(days=rng.randint(5, 45))
    prefix, kind, article, why, _ = rng.choices(PROCEDURES, [p[4] for p in PROCEDURES])[0]
    category, law, _ = rng.choices(CATEGORIES, [c[2] for c in CATEGORIES])[0]
    cells = {
        "Institución": unit[0], "Nombre de la UC": unit[1], "Clave de la UC": unit[2],
        "Número de procedimiento": f"{prefix}-{unit[3]}-{rng.choice('NNNT')}-{n}-{year}",
        "Tipo Procedimiento": kind, "Tipo de contratación": category, "Ley": law,
        "Artículo de excepción": article, "Descripción excepción": why,
        "Compra consolidada": "SI" if rng.random() < 0.09 else "NO",
        "Fecha de publicación": _stamp(rng, published, 0),
        "Fecha de fallo": _stamp(rng, ruling, rng.choice((0, 0, 3))),
    }  # fmt: skip
    return cells, ruling


def _contract(rng: random.Random, supplier: tuple[str, str], ruling: date) -> dict[str, str]:
    """The cells of one contract: its supplier, object, amount and dates."""
    _code, desc, partida = rng.choice(vocab.ITEMS)
    text = f"{rng.choice(('ADQUISICIÓN DE', 'SERVICIO DE', 'SUMINISTRO DE'))} {desc.upper()}"
    if rng.random() < 0.03:  # the published files keep the line breaks people typed
        text += f"\nPARA EL EJERCICIO {ruling.year}"
    signed = ruling + timedelta(days=rng.randint(1, 30))
    start = ruling + timedelta(days=rng.randint(0, 40))
    return {
        "rfc": supplier[0], "Proveedor o contratista": supplier[1],
        "Partida específica": partida, "Importe DRC": _amount(rng),
        "Estratificación": rng.choices([s[0] for s in SIZES], [s[1] for s in SIZES])[0],
        # about a third of the rows are not signed yet when the file is published
        "Fecha de firma del contrato": _stamp(rng, signed, 0) if rng.random() < 0.7 else "",
        "Fecha de inicio del contrato": _stamp(rng, start, 2),
        "Descripción del contrato": f"{text} ({MARK})",
    }  # fmt: skip


def comprasmx_rows(seed: int = 1, year: int = 2025, suppliers: int = 12_000) -> Iterator[list[str]]:
    """Endless synthetic rows in :data:`HEADER` order: procedures of one to three contracts."""
    rng = random.Random(seed)
    units = _units(rng)
    pool = [_supplier(rng) for _ in range(suppliers)]
    n = 0
    while True:
        n += 1
        shared, ruling = _procedure(rng, n, year, rng.choice(units))
        link = f"https://example.invalid/redline-synthetic/comprasmx/{seed}/{n:08d}"
        for _ in range(rng.choices((1, 2, 3), (80, 14, 6))[0]):
            cells: dict[str, Any] = {**shared, **_contract(rng, rng.choice(pool), ruling)}
            cells["Dirección del anuncio"], cells["Datos"] = link, MARK
            yield [cells[h] for h in HEADER]


def write_comprasmx(path: Path, rows: int, seed: int = 1, year: int = 2025) -> dict[str, Any]:
    """Write ``rows`` synthetic contracts to ``path`` (a CSV whose name must contain
    "synthetic", so no one takes it for a real export); return what was written."""
    if "synthetic" not in path.name.lower():
        raise ValueError(f"{path.name}: a synthetic file's name must contain 'synthetic'")
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(islice(comprasmx_rows(seed, year), rows))
    tmp.replace(path)
    return {
        "path": str(path), "rows": rows, "bytes": path.stat().st_size, "seed": seed,
        "year": year, "seconds": round(time.perf_counter() - started, 2),
    }  # fmt: skip
