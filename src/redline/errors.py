"""Typed errors: the front ends turn these into one clear line and a non-zero exit.

The exit codes are a contract (tested in ``tests/cli/test_exit_codes.py``): 0 done;
:data:`EXIT_REFUSED` (1) an input was refused or there is nothing to work on;
:data:`EXIT_USAGE` (2) a command line that cannot run (an unknown option, a bad option value);
:data:`EXIT_INTERNAL` (3) a fault of Redline itself, printed as one line, never a traceback.

Bad *values* never raise: they clean to nothing and are counted. Bad *structure* raises one of
these, naming the file and position of every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class RedlineError(Exception):
    """Base of every error a user can cause; its ``str`` is the one line we print."""

    exit_code = EXIT_REFUSED


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
        # usage (2) when every problem is in an option (``--as-of``), else refused (1)
        in_options = self.problems and all(p.source.startswith("-") for p in self.problems)
        self.exit_code = EXIT_USAGE if in_options else EXIT_REFUSED

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
