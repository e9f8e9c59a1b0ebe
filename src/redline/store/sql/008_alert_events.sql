-- What each saving screen changed (issue 16), one row per change, delivered to the configured
-- sinks (JSON Lines file, webhook) and read by `redline alerts --since`. change is 'new',
-- 'severity' (detail: from, to), 'listing_added' / 'listing_ended' (detail: listing ids),
-- 'gone' (the finding is no longer supported) or 'reopened' (a dismissal whose evidence moved).
CREATE TABLE IF NOT EXISTS alert_events (
    event_id      VARCHAR PRIMARY KEY,
    run_at        TIMESTAMPTZ NOT NULL,   -- the screen that saw the change
    finding_id    VARCHAR NOT NULL,
    change        VARCHAR NOT NULL,
    severity      VARCHAR,                -- the finding's severity after the change (before, when gone)
    supplier_name VARCHAR,
    listed_entity_id VARCHAR,
    detail        JSON NOT NULL
);
