-- An evaluation's scoring sheet (评分表: 一级指标 | 二级指标 | 三级指标 | 分值 | 指标解释 | 评分标准 | 得分 | 扣分原因)
-- says, beside each indicator's score, what the indicator means and how it is scored. Neither is a target
-- (fact_target holds values to reach; a scoring sheet states none) nor a value achieved: both are texts of the
-- indicator's result, kept as written with their cells. Its 扣分原因 is the result's deviation_reason, and the
-- maximum in a level's name ('决策(20)') its weight or level2_max_score, as an evaluation form's 权重 / 分值 columns.
ALTER TABLE fact_indicator_result ADD COLUMN explanation VARCHAR;        -- 指标解释 / 指标说明
ALTER TABLE fact_indicator_result ADD COLUMN scoring_rule VARCHAR;       -- 评分标准 / 评分细则 / 评价要点
ALTER TABLE fact_indicator_result ADD COLUMN explanation_cell VARCHAR;
ALTER TABLE fact_indicator_result ADD COLUMN scoring_rule_cell VARCHAR;

-- v_indicator_results as in 0008, with the two texts (last, so the columns it had keep their places).
CREATE OR REPLACE VIEW v_indicator_results AS
SELECT s.department_name,
       s.fiscal_year,
       s.project_name,
       s.template,
       i.level1,
       i.level2,
       i.level3,
       r.period,
       r.actual_raw,
       r.actual_value,
       r.actual_unit,
       r.score,
       r.max_score,
       r.level2_max_score,
       r.weight,
       r.data_items,
       r.deviation_reason,
       s.source_path,
       r.source_sheet,
       r.source_cell,
       r.explanation,
       r.scoring_rule
FROM fact_indicator_result r
JOIN submissions s ON s.submission_id = r.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_indicator i ON i.indicator_id = r.indicator_id;
