-- A self-evaluation's 全年预算数 restates the plan its department (or project) filed in a target table. Both
-- are the `budget` measure, so an unfiltered sum over v_budget counted that plan twice once a self-evaluation
-- was loaded. The family declares it (`restates_plan = true`); the submission keeps it, and v_budget shows
-- only plans (v_budget_execution still sets the restated 全年预算数 against 全年执行数).
ALTER TABLE submissions ADD COLUMN restates_plan BOOLEAN DEFAULT false;

-- Submissions loaded before this migration: the self-evaluation families that declare it, and any other
-- submission that reported executed amounts (only a year-end document does).
UPDATE submissions SET restates_plan = true
WHERE template IN ('project_self_evaluation', 'department_self_evaluation')
   OR submission_id IN (SELECT submission_id FROM fact_budget WHERE measure = 'executed');
UPDATE submissions SET restates_plan = false WHERE restates_plan IS NULL;

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
                  AND NOT s.restates_plan
JOIN dim_fund_item i ON i.fund_item_id = f.fund_item_id
LEFT JOIN dim_department d ON d.department_id = f.department_id
WHERE f.measure = 'budget';
