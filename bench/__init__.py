"""Benchmarks run by `make bench` (``python -m bench.run``); see docs/benchmarks.md.

Each benchmark module exposes ``run(work_dir: Path) -> dict`` (optionally ``size_mb=``) and
returns figures measured against a baseline in the same run, plus a ``table`` for the docs.
"""
