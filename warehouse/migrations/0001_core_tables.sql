-- The contract's tables (../shared/CONTRACT.md). Columns after the contract's are
-- additions for provenance; the contract's names and meanings never change.
-- No foreign keys: the loader writes a whole run in one transaction and the tests
-- check referential integrity; DuckDB's foreign keys would also block updating
-- submissions.is_current on a referenced row.

CREATE TABLE ingest_runs (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    files_seen        INTEGER NOT NULL,
    files_loaded      INTEGER NOT NULL,
    files_quarantined INTEGER NOT NULL,
    files_rejected    INTEGER NOT NULL,
    files_skipped     INTEGER NOT NULL,   -- duplicates: same bytes as a loaded submission
    report_path       VARCHAR
);

CREATE TABLE submissions (
    submission_id       VARCHAR PRIMARY KEY,
    run_id              VARCHAR NOT NULL,
    source_path         VARCHAR NOT NULL,
    source_sha256       VARCHAR NOT NULL,
    source_format       VARCHAR,
    template            VARCHAR CHECK (template IN ('department_overall', 'project')),
    department_name     VARCHAR,           -- normalised (warehouse.names.normalise_name)
    fiscal_year         INTEGER,
    project_name        VARCHAR,           -- normalised too
    status              VARCHAR NOT NULL CHECK (status IN ('loaded', 'quarantined', 'rejected')),
    version             INTEGER,           -- 1, 2, ... per identity; NULL unless loaded
    is_current          BOOLEAN NOT NULL DEFAULT false,
    superseded_by       VARCHAR,           -- the submission_id of the next version
    received_at         TIMESTAMPTZ,       -- the file's modification time
    loaded_at           TIMESTAMPTZ NOT NULL,
    error_code          VARCHAR,
    error_message       VARCHAR,
    department_name_raw VARCHAR,           -- as written in the file
    file_key            INTEGER            -- the file's number within its run
);

CREATE TABLE dim_department (
    department_id   INTEGER PRIMARY KEY,
    department_name VARCHAR NOT NULL UNIQUE
);

CREATE TABLE dim_indicator (
    indicator_id   INTEGER PRIMARY KEY,
    level1         VARCHAR NOT NULL,
    level2         VARCHAR NOT NULL,
    key_task       VARCHAR,                -- 重点工作; NULL where the table has none
    level3         VARCHAR NOT NULL,
    indicator_path VARCHAR NOT NULL UNIQUE -- the identity: levels joined with '/'
);

CREATE TABLE dim_fund_item (
    fund_item_id INTEGER PRIMARY KEY,
    direction    VARCHAR NOT NULL CHECK (direction IN ('income', 'expense')),
    item_path    VARCHAR NOT NULL,
    UNIQUE (direction, item_path)
);

CREATE TABLE dim_project (
    project_id    INTEGER PRIMARY KEY,
    department_id INTEGER,
    project_name  VARCHAR NOT NULL,
    UNIQUE (department_id, project_name)
);

CREATE TABLE fact_budget (
    submission_id VARCHAR NOT NULL,
    department_id INTEGER,
    fiscal_year   INTEGER,
    fund_item_id  INTEGER NOT NULL,
    project_id    INTEGER,
    period        VARCHAR NOT NULL CHECK (period IN ('half_year', 'full_year')),
    amount_wan    DECIMAL(18, 4),          -- NULL: the source had no value ('—', empty), not zero
    source_sheet  VARCHAR,
    source_cell   VARCHAR,
    amount_raw    VARCHAR                  -- the source text of the amount
);

CREATE TABLE fact_target (
    submission_id   VARCHAR NOT NULL,
    department_id   INTEGER,
    fiscal_year     INTEGER,
    indicator_id    INTEGER NOT NULL,
    project_id      INTEGER,
    period          VARCHAR NOT NULL CHECK (period IN ('half_year', 'full_year')),
    raw_value       VARCHAR,
    operator        VARCHAR CHECK (operator IN ('=', '>=', '<=', '>', '<')),
    value           DECIMAL(18, 4),
    unit            VARCHAR,
    is_quantitative BOOLEAN NOT NULL,
    source_sheet    VARCHAR,
    source_cell     VARCHAR
);

CREATE TABLE submission_texts (
    submission_id VARCHAR NOT NULL,
    section       VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    text          VARCHAR,
    source_cell   VARCHAR,
    source_sheet  VARCHAR
);

CREATE TABLE quality_results (
    run_id        VARCHAR NOT NULL,
    submission_id VARCHAR,                 -- NULL for a check about the run as a whole
    suite         VARCHAR NOT NULL,
    expectation   VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL CHECK (severity IN ('error', 'warning')),
    success       BOOLEAN NOT NULL,
    observed      VARCHAR,
    source_cells  VARCHAR,                 -- comma-separated sheet!A1 addresses
    message       VARCHAR,
    expected      VARCHAR,
    file_key      INTEGER
);
