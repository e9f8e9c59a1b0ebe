-- Store bookkeeping: schema version and the log of every ingest run.
CREATE TABLE IF NOT EXISTS redline_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id      VARCHAR PRIMARY KEY,   -- uuid4
    kind        VARCHAR NOT NULL,      -- 'ocds', 'lists', ...
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,      -- 'running', 'ok', 'partial', 'failed'
    inputs      VARCHAR[],             -- paths given on the command line
    stats       JSON                   -- counts: files, items stored, rejected ...
);
