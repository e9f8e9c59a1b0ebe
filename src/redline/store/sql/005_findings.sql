-- Findings of `redline screen` (judge stage): one row per supplier (or consortium member) on one
-- award, headed by the most severe rule met; the other rules met are `also_meets` in `data`.
-- finding_id is a hash of (ocid, award, supplier[, member]), so a re-run keeps ids and a new
-- headline updates the row in place; content_hash tells whether a re-run changed the finding.
CREATE TABLE IF NOT EXISTS findings (
    finding_id        VARCHAR PRIMARY KEY,
    rule_id           VARCHAR NOT NULL,     -- the headline rule
    severity          VARCHAR NOT NULL,     -- 'breach' | 'high' | 'watch'
    score             DOUBLE NOT NULL,      -- 0..100, the sum of the components in `data`
    ocid              VARCHAR NOT NULL,
    award_id          VARCHAR,
    supplier_party_id VARCHAR,
    supplier_name     VARCHAR NOT NULL,
    listed_entity_id  VARCHAR NOT NULL,
    list_codes        VARCHAR[] NOT NULL,
    class_id          VARCHAR NOT NULL,
    award_date        DATE,
    listed_at_award   BOOLEAN,              -- NULL when the award has no date
    listed_now        BOOLEAN NOT NULL,     -- listed at the as-of date of the screen
    as_of             DATE NOT NULL,
    sentence          VARCHAR NOT NULL,
    basis_url         VARCHAR NOT NULL,
    policy_file       VARCHAR NOT NULL,
    content_hash      VARCHAR NOT NULL,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    data              JSON NOT NULL         -- the whole finding: risk components, evidence, alternatives
);

-- the evidence ledger, one row per cited record (also inside findings.data); records only an
-- also_meets rule cites carry `for_rule` in detail
CREATE TABLE IF NOT EXISTS finding_evidence (
    finding_id VARCHAR NOT NULL,
    seq        INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,            -- 'release' | 'match' | 'listing' | 'ownership' | 'signal'
    ref        VARCHAR NOT NULL,            -- ocid/release_id, entity id, listing_id, edge_id, class_id
    source     VARCHAR,                     -- file or URL the record comes from
    detail     JSON NOT NULL,
    PRIMARY KEY (finding_id, seq)
);
