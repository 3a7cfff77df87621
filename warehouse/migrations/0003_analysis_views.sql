-- Views beyond the contract, for the questions analysts ask first (see warehouse/QUERIES.md).
-- Like the contract's views they read current versions of loaded submissions only,
-- except v_load_history, which is the whole history.

-- Per department and year: the department table's totals and how many projects.
-- Expense totals add the top-level expense items (基本支出, 项目支出), never their sub-items.
CREATE VIEW v_department_year_totals AS
SELECT s.department_name,
       s.fiscal_year,
       sum(f.amount_wan) FILTER (WHERE s.template = 'department_overall' AND i.direction = 'income'
                                   AND i.item_path = '资金总额' AND f.period = 'full_year')
           AS income_total_wan,
       sum(f.amount_wan) FILTER (WHERE s.template = 'department_overall' AND i.direction = 'expense'
                                   AND NOT contains(i.item_path, '/') AND f.period = 'full_year')
           AS expense_full_year_wan,
       sum(f.amount_wan) FILTER (WHERE s.template = 'department_overall' AND i.direction = 'expense'
                                   AND NOT contains(i.item_path, '/') AND f.period = 'half_year')
           AS expense_half_year_wan,
       count(DISTINCT i.item_path) FILTER (WHERE s.template = 'department_overall' AND i.direction = 'expense'
                                             AND starts_with(i.item_path, '项目支出/'))
           AS project_expense_items,
       count(DISTINCT s.submission_id) FILTER (WHERE s.template = 'project') AS project_submissions,
       sum(f.amount_wan) FILTER (WHERE s.template = 'project' AND i.item_path = '资金总额'
                                   AND f.period = 'full_year')
           AS project_funds_wan
FROM submissions s
LEFT JOIN fact_budget f ON f.submission_id = s.submission_id
LEFT JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
WHERE s.status = 'loaded' AND s.is_current
GROUP BY s.department_name, s.fiscal_year;

-- Per submission: how many target values are quantitative (an operator and a number)
-- rather than words (健全, 及时). Counts target values, so a half-year and a full-year
-- value of one indicator count twice.
CREATE VIEW v_target_quantitative_share AS
SELECT s.department_name,
       s.fiscal_year,
       s.template,
       s.project_name,
       count(*) AS targets,
       count(*) FILTER (WHERE f.is_quantitative) AS quantitative_targets,
       CAST(round(count(*) FILTER (WHERE f.is_quantitative) / count(*), 4) AS DECIMAL(5, 4))
           AS quantitative_share
FROM fact_target f
JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
GROUP BY s.department_name, s.fiscal_year, s.template, s.project_name;

-- Quantitative targets whose half-year value is above the full-year one in the same unit:
-- usually a typing error (半年 =95%, 全年 =90%), worth a call to the department.
CREATE VIEW v_targets_half_exceeds_full AS
SELECT s.department_name,
       s.fiscal_year,
       s.project_name,
       i.level1,
       i.level2,
       i.key_task,
       i.level3,
       h.raw_value   AS half_year_raw,
       y.raw_value   AS full_year_raw,
       h.value       AS half_year_value,
       y.value       AS full_year_value,
       y.unit,
       s.source_path,
       h.source_sheet,
       h.source_cell AS half_year_cell,
       y.source_cell AS full_year_cell
FROM fact_target h
JOIN fact_target y ON y.submission_id = h.submission_id AND y.indicator_id = h.indicator_id
                  AND y.period = 'full_year' AND y.is_quantitative
JOIN submissions s ON s.submission_id = h.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_indicator i ON i.indicator_id = h.indicator_id
WHERE h.period = 'half_year'
  AND h.is_quantitative
  AND h.value > y.value
  AND coalesce(h.unit, '') = coalesce(y.unit, '');

-- Every file ever ingested (all statuses, all versions), with its run and what it brought.
CREATE VIEW v_load_history AS
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
           AND q.severity = 'warning' AND NOT q.success) AS failed_warnings
FROM submissions s
LEFT JOIN ingest_runs r ON r.run_id = s.run_id;
