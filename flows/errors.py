"""The flows' own errors: a path to ingest that is not there, no temporary folder, a Prefect server that is not there.

They are :class:`budget_etl.errors.BudgetEtlError`, like every error of budget-etl; readers and the
warehouse have theirs (``parsers/errors.py``, ``warehouse/errors.py``).
"""
from __future__ import annotations

#: The stable codes of the flows, with a title each (for the README and the CLI's error line).
FLOW_CODES: dict[str, str] = {
    "path_not_found": "A file or folder to ingest, or the inbox to serve, does not exist",
    "temp_dir_unusable": "`ingest` or `serve` finds no temporary folder it may write (TMPDIR, /tmp, /var/tmp, ...)",
    "prefect_server_missing": "`serve` needs a Prefect server: PREFECT_API_URL is not set",
    "prefect_server_unreachable": "No Prefect server answers at PREFECT_API_URL",
}
