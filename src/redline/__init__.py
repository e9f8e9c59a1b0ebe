"""Redline: find vendors tied to a foreign state's military or security services inside a
partner country's sensitive infrastructure, with the evidence and the alternatives."""

from redline.errors import InputError, Problem, RedlineError, StoreError

__version__ = "0.1.0"

__all__ = ["InputError", "Problem", "RedlineError", "StoreError", "__version__"]
