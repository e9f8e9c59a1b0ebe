"""Serve benchmark: ``POST /match`` under 20 concurrent clients on loopback (issue 15: p99
≤ 300 ms for single-name queries, no errors, server RSS growing < 10% from minute 1 to the end).

A real ``redline serve`` process on a free port over a store with the mirror's shipped lists
(the one bench/coldmatch_bench.py builds). Each client is a thread with its own keep-alive
connection sending one single-name yente query after another: 30 s with 1 client, 30 s with 5,
then 20 clients for ``REDLINE_BENCH_SERVE_MINUTES`` (default 5; e.g. ``0.5`` for a quick run).
Names cycle through a fixed set (listed names, a typo, Spanish-suffixed and unrelated names)
and 400 real supplier names of the mirror, so few queries repeat and most match nothing, as a
server's do. Latency is per request, client side; RSS is read from ``/proc/<pid>/status`` at
minute 1 of the 20-client phase (or its first fifth in a shorter run) and at its end. The
benchmark process and the server share the machine's CPUs, as a client on the same host would.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.coldmatch_bench import _store

CLIENTS = 20
NAMES = [
    "Nuctech", "Hikvision Digital Technology", "Huawei Technologies Co., Ltd.",
    "Dahua Tecnologia de Mexico", "Zhengzhou Yutong Bus", "Hytera Comunicaciones",
    "Huwaei", "Papeleria El Sol", "Constructora del Norte SA de CV", "China Mobile",
    "Inspur Group", "Quectel Wireless Solutions",
]  # fmt: skip


JSON = {"Content-Type": "application/json"}
ROOT = Path(__file__).resolve().parents[1]
#: yente's throughput per vCPU as the issue cites it: the reference row beside ours
YENTE_PER_VCPU = 4
#: (started, seconds, ok) of one request
Sample = tuple[float, float, bool]


def _body(name: str) -> str:
    """A yente query of one company name."""
    return json.dumps({"queries": {"q": {"schema": "Company", "properties": {"name": [name]}}}})


def _port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _start(store: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from redline.cli import main; main()", "serve",
         "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start in 120 s")


def _client(port: int, until: float, k: int, out: list[Sample], names: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = k
    while time.monotonic() < until:
        name = names[i % len(names)]
        i += 1
        body = _body(name)
        started = time.monotonic()
        try:
            conn.request("POST", "/match/default", body, JSON)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.append((started, time.monotonic() - started, ok))


def _names() -> list[str]:
    """The fixed names, then every 10th real supplier name of the mirror (up to 400) when it
    is there: most queries a server meets match nothing, and no two are the same."""
    data = Path(os.environ.get("REDLINE_DATA", ROOT.parent / "shared" / "data"))
    if not (data / "SOURCES.md").exists():
        return NAMES
    from bench.real_names import supplier_names

    return NAMES + [r.name for r in supplier_names(data)[::10][:400]]


def _phase(port: int, clients: int, seconds: float, names: list[str]) -> list[Sample]:
    """``clients`` threads, each on its own connection, for ``seconds``."""
    until = time.monotonic() + seconds
    samples: list[Sample] = []
    threads = [
        threading.Thread(target=_client, args=(port, until, k * 37, samples, names), daemon=True)
        for k in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


def _figures(clients: int, seconds: float, samples: list[Sample]) -> dict[str, Any]:
    times = sorted(s[1] for s in samples if s[2])
    q = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    return {
        "clients": clients, "seconds": round(seconds), "requests": len(samples),
        "errors": sum(1 for s in samples if not s[2]),
        "requests_per_s": round(len(samples) / seconds, 1),
        "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(max(times, default=0.0) * 1000, 1),
    }  # fmt: skip


def run(work_dir: Path) -> dict[str, Any]:
    minutes = float(os.environ.get("REDLINE_BENCH_SERVE_MINUTES", "5"))
    short = min(30.0, minutes * 60 / 5)  # the 1- and 5-client phases
    names = _names()
    store = _store(work_dir)
    proc, port = _start(store)
    table = []
    try:
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # index read or built
        warm.request("POST", "/match/default", _body("Nuctech"), JSON)
        warm.getresponse().read()
        for clients in (1, 5):
            table.append(_figures(clients, short, _phase(port, clients, short, names)))
        rss_start = _rss_mb(proc.pid)
        mark = min(60.0, minutes * 60 / 5)
        marked: list[float] = []
        timer = threading.Timer(mark, lambda: marked.append(_rss_mb(proc.pid)))
        timer.start()
        full = _phase(port, CLIENTS, minutes * 60, names)
        timer.cancel()
        rss_end = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(20)
    table.append(_figures(CLIENTS, minutes * 60, full))
    rss_mark = marked[0] if marked else rss_start
    cpus = os.cpu_count() or 1
    main = table[-1]
    figures = {
        **{k: main[k] for k in ("clients", "requests", "errors", "p50_ms", "p99_ms", "max_ms",
                                "requests_per_s")},
        "minutes": minutes, "names": len(names),
        "rss_mb": {"after_warmup": rss_start, f"at_{mark:g}s": rss_mark, "end": rss_end},
        "rss_growth_pct": round(100 * (rss_end - rss_mark) / max(rss_mark, 1e-9), 1),
        "yente_reference_req_per_s": YENTE_PER_VCPU * cpus,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }  # fmt: skip
    summary = (
        f"{CLIENTS} clients, {minutes:g} min of single-name `POST /match/default` over "
        f"{len(names)} names: p50 {main['p50_ms']} ms, p99 {main['p99_ms']} ms (target ≤ 300), "
        f"{main['errors']} errors, {main['requests_per_s']} requests/s "
        f"({main['requests_per_s'] / (YENTE_PER_VCPU * cpus):.0f}× the ~{YENTE_PER_VCPU} req/s "
        f"per vCPU the issue cites for yente, {YENTE_PER_VCPU * cpus} on these {cpus}); "
        f"server RSS {rss_mark} MB at {mark:g} s, {rss_end} MB at the end "
        f"({figures['rss_growth_pct']}%, target < 10%). The 1- and 5-client rows ran "
        f"{short:g} s each before. Load average at the end: {figures['load_average_1min']} on "
        f"{cpus} CPUs."
    )
    return {"figures": figures, "table": table, "summary": summary}
