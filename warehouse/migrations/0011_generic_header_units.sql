-- A unit written in a column header ('金额（万元）', '预算数(元)') is the unit of the numbers under it, as much as a
-- '单位：万元' line above the table (0010): v_generic_entries.unit takes the header's money unit first, then the
-- table's. Only money units are read from headers: '（本级）' or '（人）' in a header is not a unit to convert by.
CREATE OR REPLACE VIEW v_generic_entries AS
SELECT s.source_path,
       e.sheet,
       e.table_range,
       e.cell,
       e.value_text,
       e.value,
       e.headers,
       t.title AS table_title,
       coalesce(nullif(regexp_extract(array_to_string(e.headers, ' | '),
                                      '[（(]\s*(?:单位[:：]\s*)?((?:百万|千|万|亿)?元)\s*[）)]', 1), ''),
                t.unit) AS unit,
       CAST(regexp_extract(e.cell, '[0-9]+$') AS INTEGER) AS sheet_row
FROM generic_entries e
JOIN submissions s ON s.submission_id = e.submission_id AND s.status = 'loaded' AND s.is_current
LEFT JOIN generic_tables t
       ON t.submission_id = e.submission_id AND t.sheet = e.sheet AND t.table_range = e.table_range;
