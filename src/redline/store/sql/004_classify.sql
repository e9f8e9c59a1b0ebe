-- Sector classification (classify stage): one row per (subject, class, signal).
-- A subject is a tender (parent='tender', parent_id NULL), an award or contract (parent_id set,
-- item_id NULL) or one of their items (item_id set). Rebuilt in one transaction by
-- `redline classify`; read by the judge stage as evidence (model.SignalEvidence).
CREATE TABLE IF NOT EXISTS classifications (
    ocid          VARCHAR NOT NULL,
    parent        VARCHAR NOT NULL,   -- 'tender' | 'award' | 'contract'
    parent_id     VARCHAR,            -- award_id / contract_id; NULL for tender
    item_id       VARCHAR,            -- NULL when the parent itself was classified
    class_id      VARCHAR NOT NULL,   -- taxonomy class id, e.g. 'border_inspection'
    tier          INTEGER NOT NULL,   -- 1 critical .. 3 elevated
    signal_kind   VARCHAR NOT NULL,   -- 'code' | 'keyword' | 'buyer'
    signal_value  VARCHAR NOT NULL,   -- the matched text, code or buyer name part
    signal_field  VARCHAR NOT NULL,   -- where it came from: 'item.description', 'buyer' ...
    signal_detail VARCHAR,            -- the pattern or code prefix (with its meaning)
    weight        DOUBLE NOT NULL,    -- this signal's weight (taxonomy `weights`)
    score         DOUBLE NOT NULL,    -- sum of weights of all signals of this subject+class
    source_file   VARCHAR,            -- provenance of the classified row
    pointer       VARCHAR,
    classified_at TIMESTAMPTZ NOT NULL
);
