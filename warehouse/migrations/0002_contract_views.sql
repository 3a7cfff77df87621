-- The contract's two views: current versions of loaded submissions only.

CREATE VIEW v_budget AS
SELECT d.department_name,
       s.fiscal_year,
       s.project_name,
       i.direction,
       i.item_path,
       f.period,
       f.amount_wan,
       s.source_path,
       f.source_sheet,
       f.source_cell
FROM fact_budget f
JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
LEFT JOIN dim_department d ON d.department_id = f.department_id;

CREATE VIEW v_targets AS
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
       f.source_cell
FROM fact_target f
JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_indicator i ON i.indicator_id = f.indicator_id
LEFT JOIN dim_department d ON d.department_id = f.department_id;
