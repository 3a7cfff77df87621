-- Table families are declarations (parsers/templates/families/*.toml): any declared name is a template.
-- DuckDB cannot drop a CHECK constraint, so `submissions` is rebuilt without the one on `template`, and
-- `fact_budget` is rebuilt for the families beyond the two target tables: amounts exact to 0.000001 万元
-- (DECIMAL(20,6): a source stating 元 converts exactly), the unit the source stated them in beside the
-- source text, and a `measure` (the plan, 年初预算数, 全年执行数). Every row survives; views are bound by
-- name, so they read the rebuilt tables.

CREATE TABLE submissions_rebuilt (
    submission_id       VARCHAR PRIMARY KEY,
    run_id              VARCHAR NOT NULL,
    source_path         VARCHAR NOT NULL,
    source_sha256       VARCHAR NOT NULL,
    source_format       VARCHAR,
    template            VARCHAR,           -- a declared family's name; NULL for a rejected file
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
INSERT INTO submissions_rebuilt BY NAME SELECT * FROM submissions;
DROP TABLE submissions;
ALTER TABLE submissions_rebuilt RENAME TO submissions;

CREATE TABLE fact_budget_rebuilt (
    submission_id VARCHAR NOT NULL,
    department_id INTEGER,
    fiscal_year   INTEGER,
    fund_item_id  INTEGER NOT NULL,
    project_id    INTEGER,
    period        VARCHAR NOT NULL CHECK (period IN ('half_year', 'full_year')),
    amount_wan    DECIMAL(20, 6),          -- NULL: the source had no value ('—', empty), not zero
    source_sheet  VARCHAR,
    source_cell   VARCHAR,
    measure       VARCHAR NOT NULL DEFAULT 'budget'
                  CHECK (measure IN ('budget', 'initial_budget', 'executed')),
    amount_raw    VARCHAR,                 -- the source text of the amount
    amount_unit   VARCHAR                  -- the unit the source stated it in (万元, 元 …)
);
INSERT INTO fact_budget_rebuilt (submission_id, department_id, fiscal_year, fund_item_id, project_id, period,
                                 amount_wan, source_sheet, source_cell, measure, amount_raw, amount_unit)
SELECT submission_id, department_id, fiscal_year, fund_item_id, project_id, period,
       amount_wan, source_sheet, source_cell, 'budget', amount_raw, '万元'
FROM fact_budget;
DROP TABLE fact_budget;
ALTER TABLE fact_budget_rebuilt RENAME TO fact_budget;

-- The contract's views: the plan only (other measures are in fact_budget), and which family said it.
CREATE OR REPLACE VIEW v_budget AS
SELECT d.department_name,
       s.fiscal_year,
       s.project_name,
       i.direction,
       i.item_path,
       f.period,
       f.amount_wan,
       s.source_path,
       f.source_sheet,
       f.source_cell,
       s.template
FROM fact_budget f
JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
LEFT JOIN dim_department d ON d.department_id = f.department_id
WHERE f.measure = 'budget';

CREATE OR REPLACE VIEW v_targets AS
SELECT d.department_name,
       s.fiscal_year,
       s.project_name,
       i.level1,
       i.level2,
       i.key_task,
       i.level3,
       f.period,
       f.raw_value,
       f.operator,
       f.value,
       f.unit,
       f.is_quantitative,
       s.source_path,
       f.source_sheet,
       f.source_cell,
       s.template
FROM fact_target f
JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_indicator i ON i.indicator_id = f.indicator_id
LEFT JOIN dim_department d ON d.department_id = f.department_id;

-- Per department and year: the plan (measure 'budget') of the target tables, 部门整体 and 项目. Only these
-- two families: a self-evaluation or a disclosure states the same money again, and adding every family up
-- would count it twice.
CREATE OR REPLACE VIEW v_department_year_totals AS
WITH plan AS (
    SELECT s.submission_id, s.department_name, s.fiscal_year, s.project_name,
           s.template = 'department_overall' AS is_department,
           s.template = 'project' AS is_project
    FROM submissions s
    WHERE s.status = 'loaded' AND s.is_current
)
SELECT p.department_name,
       p.fiscal_year,
       sum(f.amount_wan) FILTER (WHERE p.is_department AND i.direction = 'income'
                                   AND i.item_path = '资金总额' AND f.period = 'full_year')
           AS income_total_wan,
       sum(f.amount_wan) FILTER (WHERE p.is_department AND i.direction = 'expense'
                                   AND NOT contains(i.item_path, '/') AND f.period = 'full_year')
           AS expense_full_year_wan,
       sum(f.amount_wan) FILTER (WHERE p.is_department AND i.direction = 'expense'
                                   AND NOT contains(i.item_path, '/') AND f.period = 'half_year')
           AS expense_half_year_wan,
       count(DISTINCT i.item_path) FILTER (WHERE p.is_department AND i.direction = 'expense'
                                             AND starts_with(i.item_path, '项目支出/'))
           AS project_expense_items,
       count(DISTINCT p.submission_id) FILTER (WHERE p.is_project) AS project_submissions,
       sum(f.amount_wan) FILTER (WHERE p.is_project AND i.item_path = '资金总额' AND f.period = 'full_year')
           AS project_funds_wan
FROM plan p
LEFT JOIN fact_budget f ON f.submission_id = p.submission_id AND f.measure = 'budget'
LEFT JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
WHERE p.is_department OR p.is_project
GROUP BY p.department_name, p.fiscal_year;
