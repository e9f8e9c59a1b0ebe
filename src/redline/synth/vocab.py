"""The invented parts synthetic procurement is built from: buyers, items, supplier name parts.

Reach for these only through the generators, :mod:`redline.synth.generate` (``redline synth``)
and :mod:`redline.synth.packages` (the ingest bench's input). Buyers are real Mexican public
bodies *by name only* (so buyer-level statistics look like real data); every contract given to
them by the generator is fiction. Supplier names are made from generic Spanish words and
syllables and belong to no real company.
"""

from __future__ import annotations

BUYERS: list[tuple[str, str]] = [
    ("SAT", "Servicio de Administración Tributaria"),
    ("ANAM", "Agencia Nacional de Aduanas de México"),
    ("ANAM-NL", "Aduana de Nuevo Laredo (ANAM)"),
    ("ANAM-MZO", "Aduana de Manzanillo (ANAM)"),
    ("CFE", "Comisión Federal de Electricidad"),
    ("CFE-TEIT", "CFE Telecomunicaciones e Internet para Todos"),
    ("SICT", "Secretaría de Infraestructura, Comunicaciones y Transportes"),
    ("IMSS", "Instituto Mexicano del Seguro Social"),
    ("ISSSTE", "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado"),
    ("PEMEX", "Petróleos Mexicanos"),
    ("CONAGUA", "Comisión Nacional del Agua"),
    ("GN", "Guardia Nacional"),
    ("SSPC", "Secretaría de Seguridad y Protección Ciudadana"),
    ("ASA", "Aeropuertos y Servicios Auxiliares"),
    ("SALUD", "Secretaría de Salud"),
    ("CDMX-C5", "Centro de Comando, Control, Cómputo, Comunicaciones y Contacto Ciudadano CDMX"),
    ("MUN-GDL", "Municipio de Guadalajara"),
    ("MUN-MTY", "Municipio de Monterrey"),
    ("MUN-TIJ", "Municipio de Tijuana"),
    ("MUN-PUE", "Municipio de Puebla"),
    ("MUN-MID", "Municipio de Mérida"),
    ("GOB-NL", "Gobierno del Estado de Nuevo León"),
    ("GOB-JAL", "Gobierno del Estado de Jalisco"),
    ("BANOBRAS", "Banco Nacional de Obras y Servicios Públicos"),
]

#: (UNSPSC code, Spanish description, COG partida that shapes the CUCOP-like code)
ITEMS: list[tuple[str, str, str]] = [
    ("43222609", "Ruteadores de red", "56501"),
    ("43222612", "Conmutadores de red", "56501"),
    ("43221721", "Equipo de radiocomunicación troncalizada", "56501"),
    ("46171610", "Cámaras de videovigilancia", "56501"),
    ("46171619", "Sistemas de control de acceso", "56501"),
    ("46151700", "Equipo de inspección por rayos X para carga y equipaje", "56901"),
    ("46151717", "Escáneres de inspección no intrusiva de contenedores", "56901"),
    ("43211503", "Computadoras portátiles", "51501"),
    ("43211507", "Computadoras de escritorio", "51501"),
    ("81112200", "Mantenimiento y soporte de software", "33301"),
    ("81161700", "Servicios de telecomunicaciones", "31701"),
    ("26121600", "Cables eléctricos y de fibra óptica", "24601"),
    ("39121000", "Equipo de distribución eléctrica y transformadores", "56401"),
    ("26111700", "Baterías y celdas de almacenamiento", "56401"),
    ("72141100", "Construcción y pavimentación de carreteras", "62501"),
    ("25101500", "Vehículos de pasajeros", "54101"),
    ("25101900", "Vehículos especializados", "54104"),
    ("42181500", "Equipo de diagnóstico médico", "53101"),
    ("15101505", "Combustible diésel", "26102"),
    ("44121600", "Materiales y útiles de oficina", "21101"),
    ("78111800", "Servicios de transporte de pasajeros", "37101"),
]

METHODS: list[tuple[str, str]] = [
    ("open", "Licitación Pública"),
    ("selective", "Invitación a cuando menos tres"),
    ("direct", "Adjudicación Directa"),
]

SUPPLIER_HEADS = [
    "Comercializadora", "Servicios Integrales", "Grupo", "Constructora", "Tecnologías",
    "Soluciones", "Distribuidora", "Ingeniería", "Sistemas", "Suministros", "Proveedora",
    "Transportes", "Consultores", "Desarrollos", "Laboratorios",
]  # fmt: skip
SYLLABLES = ["al", "be", "ca", "do", "fe", "ga", "li", "mo", "na", "pe", "ri", "sa", "to", "va",
             "xo", "qui", "tla", "zu"]  # fmt: skip
PLACES = ["del Norte", "del Bajío", "del Golfo", "Peninsulares", "del Pacífico", "de Occidente",
          "Metropolitanos", "Mexicanos", ""]  # fmt: skip
LEGAL_FORMS = ["S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V.", "SA DE CV", "S.C."]
LOCALITIES = ["Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Querétaro", "Mérida",
              "Tijuana", "León"]  # fmt: skip

#: who publishes every synthetic file, and the ocid prefix that marks its records as invented
PUBLISHER = {"name": "Redline synthetic data", "uri": "https://example.invalid/redline-synthetic"}
OCID_PREFIX = "ocds-rlsynt"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
