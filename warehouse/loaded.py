"""The SQL fragments every load step joins: this run's loaded submissions and who owns each of them."""
from __future__ import annotations

#: The loaded submissions of this run (``$run_id``): only they contribute dimensions and facts.
LOADED = "(SELECT * FROM submissions WHERE run_id = $run_id AND status = 'loaded')"

#: The department and project of each loaded submission of this run.
OWNERS = f"""
    (SELECT l.file_key, l.submission_id, l.fiscal_year, d.department_id, p.project_id
     FROM {LOADED} l
     LEFT JOIN dim_department d ON d.department_name = l.department_name
     LEFT JOIN dim_project p ON p.department_id IS NOT DISTINCT FROM d.department_id
                            AND p.project_name = l.project_name)
"""
