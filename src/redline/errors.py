"""Typed errors: the front ends turn these into one clear line and a non-zero exit.

Bad *values* never raise: they clean to nothing and are counted. Bad *structure* raises one of
these, naming the file and position of every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class RedlineError(Exception):
    """Base of every error a user can cause; its ``str`` is the one line we print."""

    exit_code = 2


class StoreError(RedlineError):
    """The store cannot be opened or used (newer schema, locked, corrupt)."""


class NothingToDo(RedlineError):
    """Nothing to work on: no store at the path given, or a store without what the command
    reads (no procurement records, no watchlist). Exit 1 and one line naming the command that
    loads what is missing, never an empty answer that reads as an all-clear."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One problem in an input: where it is and what is wrong."""

    source: str
    position: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.position}" if self.position else self.source
        return f"{where}: {self.message}"


@dataclass
class InputError(RedlineError):
    """Structure of an input is wrong; lists every problem found, one per line."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
