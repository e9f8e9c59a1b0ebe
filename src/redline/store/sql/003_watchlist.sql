-- Watchlists as FollowTheMoney entities. `redline lists load` and `--watchlist FILE` both fill
-- these tables (the latter in a scratch in-memory store), so the matcher reads one shape.

CREATE TABLE IF NOT EXISTS entities (
    id          VARCHAR PRIMARY KEY,     -- FtM entity id (ours: 'rl-<slug-of-list-key>')
    schema      VARCHAR NOT NULL,        -- Company, Organization, LegalEntity, Person ...
    caption     VARCHAR NOT NULL,
    names       VARCHAR[] NOT NULL,      -- name + alias + previousName + weakAlias, as given
    countries   VARCHAR[],
    dataset     VARCHAR NOT NULL,        -- 'redline-lists' or the watchlist file name
    merged_from VARCHAR[],               -- source row keys merged into this entity
    merge_reason VARCHAR,                -- why they were merged (same identifier, same normalised name + country ...)
    ftm         JSON NOT NULL            -- the full FtM entity (to_dict())
);

CREATE TABLE IF NOT EXISTS entity_identifiers (
    entity_id VARCHAR NOT NULL,
    scheme    VARCHAR NOT NULL,          -- 'mx-rfc', 'cn-uscc', 'lei', 'registration', ...
    value     VARCHAR NOT NULL,          -- validated, canonical form
    source    VARCHAR
);

-- one row per listing: an FtM Sanction (or Risk) attached to an entity
CREATE TABLE IF NOT EXISTS listings (
    listing_id  VARCHAR PRIMARY KEY,     -- FtM id of the Sanction entity
    entity_id   VARCHAR NOT NULL,
    list_code   VARCHAR NOT NULL,        -- 'us-dod-1260h', 'us-bis-entity-list', ...
    list_name   VARCHAR NOT NULL,
    authority   VARCHAR,
    program     VARCHAR,
    legal_basis VARCHAR,
    reason      VARCHAR,
    start_date  DATE,
    end_date    DATE,                    -- NULL while in force
    source_url  VARCHAR,                 -- official source of the listing
    source_file VARCHAR,                 -- file in the data directory it was read from
    source_row  VARCHAR,                 -- row / JSON pointer in that file
    dataset     VARCHAR NOT NULL,
    ftm         JSON NOT NULL,
    -- added by lists: the dates as the source gives them ('2022' = only the year is known;
    -- start_date then holds 2022-01-01)
    start_text  VARCHAR,
    end_text    VARCHAR
);

-- ownership and control edges: child (asset) -> parent (owner)
CREATE TABLE IF NOT EXISTS ownership (
    edge_id     VARCHAR PRIMARY KEY,     -- FtM id of the Ownership / Directorship entity
    child_id    VARCHAR NOT NULL,
    parent_id   VARCHAR NOT NULL,
    relation    VARCHAR NOT NULL,        -- 'ownership' | 'control'
    percentage  DOUBLE,                  -- NULL when not stated
    start_date  DATE,
    end_date    DATE,
    source      VARCHAR,                 -- who asserts it (list name / file)
    source_url  VARCHAR,
    dataset     VARCHAR NOT NULL,
    ftm         JSON NOT NULL
);
