"""Serve benchmark: ``POST /match`` under 20 concurrent clients on loopback (issue 15: p99
≤ 300 ms for single-name queries, no errors, server RSS growing < 10% from minute 1 to the end).

A real ``redline serve`` process on a free port over a store with the mirror's shipped lists
(the one bench/coldmatch_bench.py builds). Each client is a thread with its own keep-alive
connection sending one single-name yente query after another (names cycle through a fixed
set: listed names, a typo, Spanish-suffixed and unrelated names), for
``REDLINE_BENCH_SERVE_MINUTES`` (default 5; e.g. ``0.5`` for a quick run). Latency is per
request, client side; RSS is read from ``/proc/<pid>/status`` at minute 1 (or the first
fifth of a shorter run) and at the end. The benchmark process and the server share the
machine's CPUs, as a client on the same host would.
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


def _client(port: int, until: float, k: int, out: list[tuple[float, float, bool]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = k
    while time.monotonic() < until:
        name = NAMES[i % len(NAMES)]
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


def run(work_dir: Path) -> dict[str, Any]:
    minutes = float(os.environ.get("REDLINE_BENCH_SERVE_MINUTES", "5"))
    store = _store(work_dir)
    proc, port = _start(store)
    try:
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # index read or built
        warm.request("POST", "/match/default", _body("Nuctech"), JSON)
        warm.getresponse().read()
        rss_start = _rss_mb(proc.pid)
        began = time.monotonic()
        until = began + minutes * 60
        samples: list[tuple[float, float, bool]] = []
        threads = [
            threading.Thread(target=_client, args=(port, until, k, samples), daemon=True)
            for k in range(CLIENTS)
        ]
        for t in threads:
            t.start()
        mark = min(60.0, minutes * 60 / 5)
        time.sleep(mark)
        rss_mark = _rss_mb(proc.pid)
        for t in threads:
            t.join()
        rss_end = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(20)
    times = sorted(s[1] for s in samples if s[2])
    errors = sum(1 for s in samples if not s[2])
    q = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    figures = {
        "clients": CLIENTS, "minutes": minutes, "requests": len(samples), "errors": errors,
        "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(max(times, default=0.0) * 1000, 1),
        "requests_per_s": round(len(samples) / (minutes * 60), 1),
        "rss_mb": {"after_warmup": rss_start, f"at_{mark:g}s": rss_mark, "end": rss_end},
        "rss_growth_pct": round(100 * (rss_end - rss_mark) / max(rss_mark, 1e-9), 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }  # fmt: skip
    summary = (
        f"{CLIENTS} clients, {minutes:g} min of single-name `POST /match/default`: "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms (target ≤ 300), "
        f"{errors} errors, {figures['requests_per_s']} requests/s; server RSS "
        f"{rss_mark} MB at {mark:g} s, {rss_end} MB at the end ({figures['rss_growth_pct']}%, "
        f"target < 10%). Load average at the end: {figures['load_average_1min']} on "
        f"{os.cpu_count()} CPUs (shared with other work)."
    )
    return {"figures": figures, "summary": summary}
