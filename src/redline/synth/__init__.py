"""SYNTHETIC national-scale procurement with planted listed vendors and a truth file."""

from redline.synth.generate import SynthReport, SynthSpec, write_synthetic
from redline.synth.planted import Planted, garble, planted_pool

__all__ = ["Planted", "SynthReport", "SynthSpec", "garble", "planted_pool", "write_synthetic"]
