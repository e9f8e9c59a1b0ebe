"""SYNTHETIC OCDS: national-scale procurement with planted listed vendors and a truth file
(:func:`write_synthetic`, ``redline synth``), or a file of a given size with release chains
(:func:`write_packages`, the ingest bench's input), or a ComprasMX national-year contract export
(:func:`write_comprasmx`, the national bench's input)."""

from redline.synth.comprasmx import write_comprasmx
from redline.synth.generate import SynthReport, SynthSpec, write_synthetic
from redline.synth.packages import write_packages
from redline.synth.planted import Planted, garble, planted_pool

__all__ = [
    "Planted",
    "SynthReport",
    "SynthSpec",
    "garble",
    "planted_pool",
    "write_comprasmx",
    "write_packages",
    "write_synthetic",
]
