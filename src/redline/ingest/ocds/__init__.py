"""OCDS ingest: publishers' files in, the store's OCDS tables out; the modules name the flow.

Reach for :mod:`redline.services.ingest` (files into a store) or
:mod:`redline.services.ingest_parquet` (a batch build into Parquet) rather than these modules;
open the module whose step a change is about. One release goes through:

1. :mod:`.read`: recognise the file's form (package, record, JSON Lines, ``.gz``) → items
2. :mod:`.check`: cheap structural checks on each release (a bad one is a Problem)
3. :mod:`.ids`: organisation identifiers and roles as the publishers write them
4. :mod:`.compile`: each ocid's releases merged into its compiled release
5. :mod:`.extract`: compiled releases flattened into the rows of the store's tables
6. :mod:`.chunk`: steps 1-5 on one chunk of input, without the store (picklable in and out)
7. :mod:`.workers` / :mod:`.worker_io`: chunks on worker processes, results back by file
8. :mod:`.load`: one file's chunks written into the store in the caller's transaction

On Spark the same per-release code runs as UDFs: :mod:`.spark` builds the tables of many
inputs (:mod:`.spark_udfs` holds the batch functions the executors run), and :mod:`.parquet`
is the build's folder (export from a DuckDB build, manifest, import into a store).
"""
