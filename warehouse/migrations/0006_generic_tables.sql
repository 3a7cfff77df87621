-- Generic tables: the tables of a file (or of the sheets of a file) that no declared family recognised,
-- loaded cell by cell with their header structure (CONTRACT.md "Generic tables"). Nothing readable is
-- thrown away.

-- A generic submission has no department, year or project: its identity is its source path, so a new
-- file at the same path is its next version and two generic files never supersede each other.
ALTER TABLE submissions ADD COLUMN identity_path VARCHAR;

-- One row per table found: where it is and how big it is.
CREATE TABLE generic_tables (
    submission_id VARCHAR NOT NULL,
    sheet         VARCHAR NOT NULL,
    table_range   VARCHAR NOT NULL,   -- A1 range of the table ('B3:T11')
    entries       INTEGER NOT NULL,
    labels        INTEGER NOT NULL
);

-- One row per data cell: its text as shown, its number where the text is one, and one header path per
-- dimension (the labels from the top of the dimension down, joined with ' / ').
CREATE TABLE generic_entries (
    submission_id VARCHAR NOT NULL,
    sheet         VARCHAR NOT NULL,
    table_range   VARCHAR NOT NULL,
    cell          VARCHAR NOT NULL,   -- A1 (a merged cell: its top-left)
    value_text    VARCHAR,
    value         DECIMAL(20, 6),     -- NULL unless the text is a number that fits
    headers       VARCHAR[] NOT NULL
);

-- One row per header cell, with the cell of its parent one level up (NULL at the top).
CREATE TABLE generic_labels (
    submission_id VARCHAR NOT NULL,
    sheet         VARCHAR NOT NULL,
    table_range   VARCHAR NOT NULL,
    cell          VARCHAR NOT NULL,
    label         VARCHAR,
    parent_cell   VARCHAR
);

CREATE VIEW v_generic_entries AS
SELECT s.source_path,
       e.sheet,
       e.table_range,
       e.cell,
       e.value_text,
       e.value,
       e.headers
FROM generic_entries e
JOIN submissions s ON s.submission_id = e.submission_id AND s.status = 'loaded' AND s.is_current;
