-- Quality over time: how each department fares per table family (template) across every run.
-- Unlike the contract's views these read every submission of every run (all statuses, superseded
-- versions too): a department that sent the same failing table three times has three submissions here.
-- Files rejected before their department was read (corrupt, unknown layout) have no department and
-- are left out; duplicates are never recorded as submissions, so they are not counted.

-- Per department, family and check: how often the check failed, in how many runs, first and last time.
CREATE VIEW v_quality_check_history AS
SELECT s.department_name,
       s.template,
       q.expectation,
       q.severity,
       count(DISTINCT q.submission_id) AS failed_submissions,
       count(DISTINCT q.run_id) AS failed_runs,
       min(r.started_at) AS first_failed,
       max(r.started_at) AS last_failed
FROM quality_results q
JOIN submissions s ON s.submission_id = q.submission_id
JOIN ingest_runs r ON r.run_id = q.run_id
WHERE NOT q.success AND s.department_name IS NOT NULL
GROUP BY s.department_name, s.template, q.expectation, q.severity;

-- Per department and family: submissions by outcome, and the error checks failed more than once.
-- repeat_failures counts the failures of a check beyond its first (failed in 3 submissions: 2 repeats);
-- repeated_checks names those checks, the most repeated first.
CREATE VIEW v_quality_history AS
WITH seen AS (
    SELECT s.department_name, s.template, s.status, r.started_at
    FROM submissions s
    JOIN ingest_runs r ON r.run_id = s.run_id
    WHERE s.department_name IS NOT NULL
),
repeats AS (
    SELECT department_name,
           template,
           sum(failed_submissions - 1) AS repeat_failures,
           list(expectation ORDER BY failed_submissions DESC, expectation) AS repeated_checks
    FROM v_quality_check_history
    WHERE severity = 'error' AND failed_submissions > 1
    GROUP BY department_name, template
),
totals AS (
    SELECT department_name,
           template,
           count(*) AS submissions,
           count(*) FILTER (WHERE status = 'loaded') AS loaded,
           count(*) FILTER (WHERE status = 'quarantined') AS quarantined,
           count(*) FILTER (WHERE status = 'rejected') AS rejected,
           min(started_at) AS first_seen,
           max(started_at) AS last_seen
    FROM seen
    GROUP BY department_name, template
)
SELECT t.department_name,
       t.template,
       t.submissions,
       t.loaded,
       t.quarantined,
       t.rejected,
       CAST(coalesce(p.repeat_failures, 0) AS BIGINT) AS repeat_failures,
       coalesce(p.repeated_checks, CAST([] AS VARCHAR[])) AS repeated_checks,
       t.first_seen,
       t.last_seen
FROM totals t
LEFT JOIN repeats p ON p.department_name = t.department_name AND p.template IS NOT DISTINCT FROM t.template;
