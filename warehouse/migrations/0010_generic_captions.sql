-- Generic tables keep what the lines above them say: the title ('2024年项目支出明细表') and the unit ('万元'
-- from '单位：万元'). The reader leaves those lines out of the table; without them a 元 table and a 万元 table
-- could not be told apart in v_generic_entries, nor two tables of one sheet by their titles.
-- The view also gives each entry its row (sheet_row, from its cell): the cells of one row of a list
-- (序号 | 项目名称 | 金额: a name and its amount) are joined on it, not on text cut out of the A1 address.
ALTER TABLE generic_tables ADD COLUMN title VARCHAR;   -- the caption without its unit statement; NULL: none
ALTER TABLE generic_tables ADD COLUMN unit VARCHAR;    -- what '单位：…' names; NULL: the lines name none

DROP VIEW v_generic_entries;
CREATE VIEW v_generic_entries AS
SELECT s.source_path,
       e.sheet,
       e.table_range,
       e.cell,
       e.value_text,
       e.value,
       e.headers,
       t.title AS table_title,
       t.unit,
       CAST(regexp_extract(e.cell, '[0-9]+$') AS INTEGER) AS sheet_row
FROM generic_entries e
JOIN submissions s ON s.submission_id = e.submission_id AND s.status = 'loaded' AND s.is_current
LEFT JOIN generic_tables t
       ON t.submission_id = e.submission_id AND t.sheet = e.sheet AND t.table_range = e.table_range;

-- v_load_history counted only fact_budget and fact_target rows: a loaded generic file (or a disclosure workbook)
-- showed 0 and 0, as if nothing had been kept. It also counts their rows now (columns added at the end).
CREATE OR REPLACE VIEW v_load_history AS
SELECT s.run_id,
       r.started_at AS run_started_at,
       s.file_key,
       s.submission_id,
       s.source_path,
       s.source_sha256,
       s.source_format,
       s.status,
       s.template,
       s.department_name,
       s.fiscal_year,
       s.project_name,
       s.version,
       s.is_current,
       s.superseded_by,
       s.received_at,
       s.loaded_at,
       s.error_code,
       s.error_message,
       (SELECT count(*) FROM fact_budget f WHERE f.submission_id = s.submission_id) AS budget_facts,
       (SELECT count(*) FROM fact_target f WHERE f.submission_id = s.submission_id) AS target_facts,
       (SELECT count(*) FROM quality_results q
         WHERE q.submission_id = s.submission_id AND q.run_id = s.run_id
           AND q.severity = 'error' AND NOT q.success) AS failed_checks,
       (SELECT count(*) FROM quality_results q
         WHERE q.submission_id = s.submission_id AND q.run_id = s.run_id
           AND q.severity = 'warning' AND NOT q.success) AS failed_warnings,
       (SELECT count(*) FROM generic_entries g WHERE g.submission_id = s.submission_id) AS generic_entries,
       (SELECT count(*) FROM fact_disclosure d WHERE d.submission_id = s.submission_id) AS disclosure_facts
FROM submissions s
LEFT JOIN ingest_runs r ON r.run_id = s.run_id;
