-- An analyst's review of a finding (issue 16): one row per act — confirm, dismiss, reopen —
-- never updated or deleted, so the rows of one finding are its audit trail and the newest is
-- its state. Keyed by finding_id, which a re-screen keeps (a hash of ocid, award, supplier),
-- and not a foreign key: a finding that drops out of one screen and comes back keeps its
-- reviews. evidence_key fingerprints the evidence the reviewer saw (listings with their end
-- dates, ownership edges, the release, the matched entity); a screen that finds it changed
-- reopens a dismissed finding with a row by 'redline' saying what changed.
CREATE TABLE IF NOT EXISTS finding_reviews (
    review_id    VARCHAR PRIMARY KEY,
    finding_id   VARCHAR NOT NULL,
    action       VARCHAR NOT NULL,      -- 'confirm' | 'dismiss' | 'reopen'
    note         VARCHAR NOT NULL,      -- the reviewer's words, or what changed when a screen reopens
    reviewer     VARCHAR NOT NULL,      -- --by (default the OS user), the API key's caller, or 'redline'
    reviewed_at  TIMESTAMPTZ NOT NULL,
    evidence_key VARCHAR NOT NULL,      -- sha256 of `evidence`
    evidence     JSON NOT NULL          -- the sorted evidence items the key is of
);
