-- Budget disclosure workbooks (family budget_disclosure): the classification dimensions and their amounts.
--
-- Their amounts live in fact_disclosure, not fact_budget: a disclosure states the same money as a
-- department's target table, seen by function and economic class and by table (支出预算总表, 一般公共预算
-- 支出功能分类预算表 …), so adding its rows to fact_budget would make v_budget count that money again
-- under other names. v_budget keeps its meaning (the target tables' funds); v_disclosure_spending and
-- fact_disclosure are where the disclosures are queried.

-- 功能分类: 类 '205' 教育支出 -> 款 '20502' 普通教育 -> 项 '2050205' 高等教育. Codes are text.
CREATE TABLE dim_function_class (
    function_code VARCHAR PRIMARY KEY,
    name          VARCHAR,                 -- as first loaded; NULL for an ancestor no table named
    level         INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    level_name    VARCHAR NOT NULL CHECK (level_name IN ('类', '款', '项')),
    parent_code   VARCHAR,                 -- NULL for a 类
    class_code    VARCHAR NOT NULL,        -- the 类 (3 digits)
    section_code  VARCHAR                  -- the 款 (5 digits); NULL for a 类
);

-- 部门预算支出经济分类: 类 '301' 工资福利支出 -> 款 '30101' 基本工资.
CREATE TABLE dim_economic_class (
    economic_code VARCHAR PRIMARY KEY,
    name          VARCHAR,
    level         INTEGER NOT NULL CHECK (level IN (1, 2)),
    level_name    VARCHAR NOT NULL CHECK (level_name IN ('类', '款')),
    parent_code   VARCHAR,
    class_code    VARCHAR NOT NULL
);

-- One row per amount cell of a disclosure table.
CREATE TABLE fact_disclosure (
    submission_id VARCHAR NOT NULL,
    department_id INTEGER,
    fiscal_year   INTEGER,
    variant       VARCHAR CHECK (variant IN ('department', 'unit')),  -- 部门预算 or 单位预算
    table_code    VARCHAR NOT NULL,        -- expense_summary, general_budget_function, three_public ...
    side          VARCHAR CHECK (side IN ('income', 'expense')),      -- on a 收支总表; NULL elsewhere
    item          VARCHAR NOT NULL,        -- the row's name: '高等教育', '财政拨款收入/一般公共预算', '合计'
    function_code VARCHAR,                 -- dim_function_class
    economic_code VARCHAR,                 -- dim_economic_class
    column_path   VARCHAR NOT NULL,        -- '合计', '基本支出', '基本支出/人员经费', '财政拨款收入'
    is_total      BOOLEAN NOT NULL,        -- a 合计 / 收入总计 / 支出总计 row
    amount_wan    DECIMAL(20, 6),          -- NULL: the source had no value ('—', empty), not zero
    amount_source DECIMAL(20, 6),          -- the amount as written, in amount_unit
    amount_unit   VARCHAR NOT NULL CHECK (amount_unit IN ('元', '万元')),
    amount_raw    VARCHAR,                 -- the source text of the amount
    source_sheet  VARCHAR,
    source_cell   VARCHAR
);

-- Spending by function class (current versions of loaded disclosures): one row per department, year,
-- table and coded row, with its class at each level, 基本支出 / 项目支出 / 合计 in 万元.
-- `funds` says which money: 'all' (支出预算总表: every source), 'general_budget' (一般公共预算),
-- 'government_funds' (政府性基金预算), 'state_capital' (国有资本经营预算). The same money appears under
-- 'all' and under its own source, and a 类 row holds its 款 and 项 rows: add up rows of one funds and
-- one level only.
CREATE VIEW v_disclosure_spending AS
SELECT d.department_name,
       s.fiscal_year,
       f.variant,
       CASE f.table_code WHEN 'expense_summary' THEN 'all'
                         WHEN 'general_budget_function' THEN 'general_budget'
                         WHEN 'gov_fund_function' THEN 'government_funds'
                         WHEN 'state_capital_function' THEN 'state_capital' END AS funds,
       c.level,
       c.level_name,
       f.function_code,
       c.name AS function_name,
       c.class_code,
       k.name AS class_name,
       c.section_code,
       x.name AS section_name,
       CASE WHEN c.level = 3 THEN c.function_code END AS item_code,
       CASE WHEN c.level = 3 THEN c.name END AS item_name,
       sum(f.amount_wan) FILTER (WHERE f.column_path = '基本支出') AS basic_wan,
       sum(f.amount_wan) FILTER (WHERE f.column_path = '项目支出') AS project_wan,
       sum(f.amount_wan) FILTER (WHERE f.column_path = '合计') AS total_wan,
       s.source_path,
       min(f.source_sheet) AS source_sheet
FROM fact_disclosure f
JOIN submissions s ON s.submission_id = f.submission_id AND s.status = 'loaded' AND s.is_current
JOIN dim_function_class c ON c.function_code = f.function_code
LEFT JOIN dim_function_class k ON k.function_code = c.class_code
LEFT JOIN dim_function_class x ON x.function_code = c.section_code
LEFT JOIN dim_department d ON d.department_id = f.department_id
WHERE f.table_code IN ('expense_summary', 'general_budget_function', 'gov_fund_function', 'state_capital_function')
GROUP BY ALL;
