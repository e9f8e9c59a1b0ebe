"""Same-window A/B of ``POST /match`` under 20 clients: the serve benchmark's clients against
servers from two checkouts, alternated, so both meet the same machine load.

``python -m bench.serve_compare OLD_SRC [SECONDS]`` (e.g. a ``git worktree add --detach
/tmp/old <commit>`` and ``/tmp/old/src``): two rounds of (old, this checkout), each a fresh
``redline serve`` whose ``PYTHONPATH`` picks the package, 5 s of warm-up then ``SECONDS``
(default 45) of 20 clients over the serve benchmark's names. Prints one JSON row per run.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
from pathlib import Path

from bench import serve_bench as sb
from bench.coldmatch_bench import _store

ROOT = Path(__file__).resolve().parents[1]


def main(old_src: str, seconds: float) -> None:
    names = sb._names()
    store = _store(ROOT / "bench" / "work")
    for round_ in range(2):
        for label, src in (("before", old_src), ("after", str(ROOT / "src"))):
            os.environ["PYTHONPATH"] = src  # the server process imports redline from here
            proc, port = sb._start(store)
            try:
                warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                warm.request("POST", "/match/default", sb._body("Nuctech"), sb.JSON)
                warm.getresponse().read()
                sb._phase(port, sb.CLIENTS, 5, names)
                samples = sb._phase(port, sb.CLIENTS, seconds, names)
            finally:
                proc.terminate()
                proc.wait(20)
            row = sb._figures(sb.CLIENTS, seconds, samples)
            row |= {"run": label, "round": round_, "load1": round(os.getloadavg()[0], 2)}
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 45.0)
