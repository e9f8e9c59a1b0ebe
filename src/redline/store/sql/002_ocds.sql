-- OCDS procurement. Every extracted row carries its provenance (see docs/data-model.md):
--   source_file, pointer (JSON pointer or line:N/pointer), ocid, release_id, publisher, run_id, ingested_at
-- Extracted tables describe the *compiled* record of each ocid; they are rewritten for an ocid
-- whenever a new release for it arrives. Original releases are kept in ocds_releases (history).

CREATE TABLE IF NOT EXISTS ocds_releases (
    ocid         VARCHAR NOT NULL,
    release_id   VARCHAR NOT NULL,
    date         TIMESTAMPTZ,
    tags         VARCHAR[],
    content_hash VARCHAR NOT NULL,     -- sha256 of canonical JSON: identical re-ingest is a no-op
    publisher    VARCHAR,
    source_file  VARCHAR NOT NULL,
    pointer      VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL,
    data         JSON NOT NULL,
    PRIMARY KEY (ocid, release_id)
);

CREATE TABLE IF NOT EXISTS ocds_compiled (
    ocid          VARCHAR PRIMARY KEY,
    release_count INTEGER NOT NULL,
    last_date     TIMESTAMPTZ,
    publisher     VARCHAR,
    source_file   VARCHAR NOT NULL,
    pointer       VARCHAR NOT NULL,
    release_id    VARCHAR NOT NULL,    -- id of the compiled release
    run_id        VARCHAR NOT NULL,
    ingested_at   TIMESTAMPTZ NOT NULL,
    data          JSON NOT NULL
);

-- previous compiled versions of an ocid, kept when a newer release replaces them
CREATE TABLE IF NOT EXISTS ocds_compiled_history (
    ocid          VARCHAR NOT NULL,
    release_id    VARCHAR NOT NULL,
    release_count INTEGER NOT NULL,
    superseded_at TIMESTAMPTZ NOT NULL,
    superseded_by VARCHAR NOT NULL,    -- run_id that replaced it
    data          JSON NOT NULL
);

CREATE TABLE IF NOT EXISTS processes (
    ocid                VARCHAR PRIMARY KEY,
    title               VARCHAR,
    description         VARCHAR,
    tender_id           VARCHAR,
    tender_status       VARCHAR,
    procurement_method  VARCHAR,
    procurement_method_details VARCHAR,
    main_category       VARCHAR,
    tender_amount       DOUBLE,
    tender_currency     VARCHAR,
    tender_start        TIMESTAMPTZ,
    tender_end          TIMESTAMPTZ,
    buyer_party_id      VARCHAR,
    buyer_name          VARCHAR,
    date                TIMESTAMPTZ,
    publisher           VARCHAR,
    source_file VARCHAR NOT NULL, pointer VARCHAR NOT NULL, release_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS parties (
    ocid              VARCHAR NOT NULL,
    party_id          VARCHAR NOT NULL,   -- parties[].id, or a stable hash of the name when absent
    name              VARCHAR,
    roles             VARCHAR[],
    identifier_scheme VARCHAR,            -- e.g. MX-RFC
    identifier_id     VARCHAR,
    additional_identifiers STRUCT(scheme VARCHAR, id VARCHAR)[],
    country           VARCHAR,
    locality          VARCHAR,
    publisher VARCHAR, source_file VARCHAR NOT NULL, pointer VARCHAR NOT NULL,
    release_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS buyers (
    ocid              VARCHAR NOT NULL,
    party_id          VARCHAR,
    name              VARCHAR,
    identifier_scheme VARCHAR,
    identifier_id     VARCHAR,
    publisher VARCHAR, source_file VARCHAR NOT NULL, pointer VARCHAR NOT NULL,
    release_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS awards (
    ocid        VARCHAR NOT NULL,
    award_id    VARCHAR NOT NULL,
    title       VARCHAR,
    description VARCHAR,
    status      VARCHAR,
    date        TIMESTAMPTZ,
    amount      DOUBLE,
    currency    VARCHAR,
    publisher VARCHAR, source_file VARCHAR NOT NULL, pointer VARCHAR NOT NULL,
    release_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS award_suppliers (
    ocid              VARCHAR NOT NULL,
    award_id          VARCHAR NOT NULL,
    party_id          VARCHAR,
    name              VARCHAR,
    identifier_scheme VARCHAR,
    identifier_id     VARCHAR,
    publisher VARCHAR, source_file VARCHAR NOT NULL, pointer VARCHAR NOT NULL,
    release_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS contracts (
    ocid        VARCHAR NOT NULL,
    contract_id VARCHAR NOT NULL,
    award_id    VARCHAR,
    title       VARCHAR,
    description VARCHAR,
    status      VARCHAR,
    date_signed TIMESTAMPTZ,
    start_date  TIMESTAMPTZ,
    end_date    TIMESTAMPTZ,
    amount      DOUBLE,
    currency    VARCHAR,
    publisher VARCHAR, source_file VARCHAR NOT NULL, pointer VARCHAR NOT NULL,
    release_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS items (
    ocid                  VARCHAR NOT NULL,
    parent                VARCHAR NOT NULL,   -- 'tender' | 'award' | 'contract'
    parent_id             VARCHAR,            -- award_id / contract_id; NULL for tender
    item_id               VARCHAR,
    description           VARCHAR,
    classification_scheme VARCHAR,            -- UNSPSC, CPV, CUCOP ...
    classification_id     VARCHAR,
    classification_description VARCHAR,
    additional_classifications STRUCT(scheme VARCHAR, id VARCHAR, description VARCHAR)[],
    quantity              DOUBLE,
    unit_name             VARCHAR,
    unit_amount           DOUBLE,
    unit_currency         VARCHAR,
    publisher VARCHAR, source_file VARCHAR NOT NULL, pointer VARCHAR NOT NULL,
    release_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL
);

-- one row per input file fully ingested: a file with the same sha256 is skipped next time
CREATE TABLE IF NOT EXISTS ocds_files (
    sha256       VARCHAR PRIMARY KEY,
    source_file  VARCHAR NOT NULL,     -- path as given when first ingested
    bytes        BIGINT NOT NULL,
    releases     INTEGER NOT NULL,     -- releases read from it (stored or unchanged)
    rejected     INTEGER NOT NULL,     -- items left out with --skip-invalid
    run_id       VARCHAR NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL
);
