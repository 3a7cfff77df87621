-- Year-end results: what self-evaluations (绩效自评表) and evaluation forms (绩效评价表) say each
-- indicator achieved and scored, and how each funds row was executed. Keyed like fact_target.
-- Indicators meet across documents by their normalised names (parsers/matching.py; the macro
-- indicator_match_key below is the same rule in SQL).

CREATE TABLE fact_indicator_result (
    submission_id    VARCHAR NOT NULL,
    department_id    INTEGER,
    fiscal_year      INTEGER,
    indicator_id     INTEGER NOT NULL,
    project_id       INTEGER,
    period           VARCHAR NOT NULL CHECK (period IN ('half_year', 'full_year')),
    actual_raw       VARCHAR,                -- 实际完成值 / 指标值 as written ('296人', '是')
    actual_value     DECIMAL(20, 6),         -- its number, when it has one
    actual_unit      VARCHAR,
    score            DECIMAL(20, 6),         -- 得分
    max_score        DECIMAL(20, 6),         -- 分值 (the sum of its rubric rows' 分值 where it has them)
    level2_max_score DECIMAL(20, 6),         -- the 二级指标's 分值 (evaluation forms)
    weight           DECIMAL(20, 6),         -- the 一级指标's 权重 (evaluation forms)
    data_items       VARCHAR,                -- 采集数据项: '数据项1: 390.5; 数据项2: 395'
    deviation_reason VARCHAR,                -- 偏差原因分析及改进措施, or the rubric rows' 理由
    source_sheet     VARCHAR,
    source_cell      VARCHAR,                -- the 三级指标 cell
    actual_cell      VARCHAR,
    score_cell       VARCHAR,
    max_score_cell   VARCHAR                 -- comma-separated where rubric rows add up
);

CREATE TABLE fact_budget_score (
    submission_id  VARCHAR NOT NULL,
    department_id  INTEGER,
    fiscal_year    INTEGER,
    fund_item_id   INTEGER NOT NULL,
    project_id     INTEGER,
    rate_raw       VARCHAR,                  -- 执行率 as written ('98.86%')
    execution_rate DECIMAL(20, 6),           -- percent
    max_score      DECIMAL(20, 6),           -- 分值
    score          DECIMAL(20, 6),           -- 得分
    source_sheet   VARCHAR,
    source_cell    VARCHAR,                  -- the fund item's label
    rate_cell      VARCHAR,
    score_cell     VARCHAR
);

CREATE MACRO indicator_name_key(name) AS
    regexp_replace(translate(coalesce(name, ''), '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　 ', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~  '), '[\s"''“”‘’「」『』《》]+', '', 'g');
CREATE MACRO indicator_level_key(name) AS regexp_replace(indicator_name_key(name), '指标$', '');
CREATE MACRO indicator_match_key(level1, level2, level3) AS
    indicator_level_key(level1) || '|' || indicator_level_key(level2) || '|'
    || regexp_replace(indicator_name_key(level3), '^指标[0-9]+:?', '');

-- Every indicator result of the current loaded submissions.
CREATE VIEW v_indicator_results AS
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
       r.source_cell
FROM fact_indicator_result r
JOIN submissions s ON s.submission_id = r.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_indicator i ON i.indicator_id = r.indicator_id;

-- Per indicator of a department (or project) and year: the target its target table set, what its
-- self-evaluation (or evaluation form) reports, whether the target's operator holds, the score and its
-- maximum. A target table is a submission with targets and no results. An indicator the target table
-- has but the self-evaluation left out appears with no result; one the self-evaluation added, with no
-- target-table target (its own 年度指标值 is then the target compared).
CREATE VIEW v_target_attainment AS
WITH current_submissions AS (
    SELECT * FROM submissions WHERE status = 'loaded' AND is_current
),
with_results AS (
    SELECT DISTINCT submission_id FROM fact_indicator_result
),
planned AS (
    SELECT s.department_name, s.fiscal_year, s.project_name, s.template, s.source_path,
           i.level1, i.level2, i.level3, indicator_match_key(i.level1, i.level2, i.level3) AS match_key,
           f.raw_value, f.operator, f.value, f.unit, f.is_quantitative, f.source_sheet, f.source_cell
    FROM fact_target f
    JOIN current_submissions s ON s.submission_id = f.submission_id
    JOIN dim_indicator i ON i.indicator_id = f.indicator_id
    WHERE f.period = 'full_year' AND f.submission_id NOT IN (SELECT submission_id FROM with_results)
),
reported AS (
    SELECT s.department_name, s.fiscal_year, s.project_name, s.template, s.source_path,
           i.level1, i.level2, i.level3, indicator_match_key(i.level1, i.level2, i.level3) AS match_key,
           r.actual_raw, r.actual_value, r.actual_unit, r.score, r.max_score, r.source_sheet, r.source_cell,
           t.raw_value AS stated_raw, t.operator AS stated_operator, t.value AS stated_value,
           t.unit AS stated_unit, t.is_quantitative AS stated_quantitative
    FROM fact_indicator_result r
    JOIN current_submissions s ON s.submission_id = r.submission_id
    JOIN dim_indicator i ON i.indicator_id = r.indicator_id
    LEFT JOIN fact_target t ON t.submission_id = r.submission_id AND t.indicator_id = r.indicator_id
                           AND t.period = r.period
),
paired AS (
    SELECT coalesce(r.department_name, p.department_name) AS department_name,
           coalesce(r.fiscal_year, p.fiscal_year) AS fiscal_year,
           coalesce(r.project_name, p.project_name) AS project_name,
           coalesce(p.level1, r.level1) AS level1,
           coalesce(p.level2, r.level2) AS level2,
           coalesce(p.level3, r.level3) AS level3,
           p.template AS target_template,
           p.raw_value AS target_raw,
           r.template AS result_template,
           r.stated_raw AS self_stated_target_raw,
           coalesce(p.raw_value, r.stated_raw) AS compared_raw,
           CASE WHEN p.raw_value IS NOT NULL THEN p.operator ELSE r.stated_operator END AS operator,
           CASE WHEN p.raw_value IS NOT NULL THEN p.value ELSE r.stated_value END AS target_value,
           CASE WHEN p.raw_value IS NOT NULL THEN p.unit ELSE r.stated_unit END AS target_unit,
           r.actual_raw, r.actual_value, r.actual_unit, r.score, r.max_score,
           p.source_path AS target_source_path, p.source_cell AS target_source_cell,
           r.source_path AS result_source_path, r.source_cell AS result_source_cell
    FROM reported r
    FULL OUTER JOIN planned p
      ON p.department_name IS NOT DISTINCT FROM r.department_name
     AND p.fiscal_year IS NOT DISTINCT FROM r.fiscal_year
     AND p.project_name IS NOT DISTINCT FROM r.project_name
     AND p.match_key = r.match_key
)
SELECT department_name, fiscal_year, project_name, level1, level2, level3,
       target_template, target_raw, result_template, self_stated_target_raw, operator, target_value,
       target_unit, actual_raw, actual_value, actual_unit,
       CASE
           WHEN actual_raw IS NULL OR compared_raw IS NULL THEN NULL
           WHEN operator IS NULL OR target_value IS NULL OR actual_value IS NULL THEN
               -- words (健全, 是): met when the same words are reported; anything else is for a person to judge
               CASE WHEN indicator_name_key(actual_raw) = indicator_name_key(compared_raw) THEN true END
           WHEN actual_unit IS NOT NULL AND target_unit IS NOT NULL AND actual_unit <> target_unit THEN NULL
           WHEN operator = '=' THEN actual_value = target_value
           WHEN operator = '>=' THEN actual_value >= target_value
           WHEN operator = '<=' THEN actual_value <= target_value
           WHEN operator = '>' THEN actual_value > target_value
           WHEN operator = '<' THEN actual_value < target_value
       END AS target_met,
       score, max_score, target_source_path, target_source_cell, result_source_path, result_source_cell
FROM paired
-- Only departments/projects and years that have a result: a target table alone is not an attainment.
WHERE result_template IS NOT NULL
   OR EXISTS (SELECT 1 FROM reported r2
              WHERE r2.department_name IS NOT DISTINCT FROM paired.department_name
                AND r2.fiscal_year IS NOT DISTINCT FROM paired.fiscal_year
                AND r2.project_name IS NOT DISTINCT FROM paired.project_name);

-- Per fund item of a self-evaluation: what was budgeted (年初预算数, 全年预算数), what was executed
-- (全年执行数), the execution rate recomputed (执行数 / 预算数 × 100, two decimals) and as reported with its
-- score, and the item's 全年预算数 in the department's (or project's) target table of that year (a
-- submission with targets that is not a self-evaluation).
CREATE VIEW v_budget_execution AS
WITH current_submissions AS (
    SELECT * FROM submissions WHERE status = 'loaded' AND is_current
),
executing AS (
    SELECT DISTINCT submission_id FROM fact_budget WHERE measure = 'executed'
),
amounts AS (
    SELECT f.submission_id, f.fund_item_id,
           max(f.amount_wan) FILTER (WHERE f.measure = 'initial_budget') AS initial_budget_wan,
           max(f.amount_wan) FILTER (WHERE f.measure = 'budget') AS budget_wan,
           max(f.amount_wan) FILTER (WHERE f.measure = 'executed') AS executed_wan,
           max(f.source_sheet) AS source_sheet,
           max(f.source_cell) FILTER (WHERE f.measure = 'executed') AS executed_cell
    FROM fact_budget f
    WHERE f.submission_id IN (SELECT submission_id FROM executing) AND f.period = 'full_year'
    GROUP BY f.submission_id, f.fund_item_id
),
planned AS (
    SELECT s.department_name, s.fiscal_year, s.project_name, f.fund_item_id, max(f.amount_wan) AS amount_wan
    FROM fact_budget f
    JOIN current_submissions s ON s.submission_id = f.submission_id
    WHERE f.measure = 'budget' AND f.period = 'full_year'
      AND f.submission_id IN (SELECT submission_id FROM fact_target)  -- a target table, not a disclosure
      AND f.submission_id NOT IN (SELECT submission_id FROM executing)
    GROUP BY s.department_name, s.fiscal_year, s.project_name, f.fund_item_id
)
SELECT s.department_name,
       s.fiscal_year,
       s.project_name,
       s.template,
       i.direction,
       i.item_path,
       a.initial_budget_wan,
       a.budget_wan,
       a.executed_wan,
       CASE WHEN a.budget_wan > 0 THEN CAST(round(a.executed_wan / a.budget_wan * 100, 2) AS DECIMAL(9, 2)) END
           AS execution_rate,
       sc.execution_rate AS reported_execution_rate,
       sc.max_score,
       sc.score,
       p.amount_wan AS target_table_budget_wan,
       s.source_path,
       a.source_sheet,
       a.executed_cell
FROM amounts a
JOIN current_submissions s ON s.submission_id = a.submission_id
JOIN dim_fund_item i ON i.fund_item_id = a.fund_item_id
LEFT JOIN fact_budget_score sc ON sc.submission_id = a.submission_id AND sc.fund_item_id = a.fund_item_id
LEFT JOIN planned p ON p.department_name IS NOT DISTINCT FROM s.department_name
                   AND p.fiscal_year IS NOT DISTINCT FROM s.fiscal_year
                   AND p.project_name IS NOT DISTINCT FROM s.project_name
                   AND p.fund_item_id = a.fund_item_id;
