"""The temporary folder an ingest run needs: its per-file summaries live in a temporary file
(``flows/summary_store.py``), and worker start-up may want one too.

Python takes the first folder it can write of TMPDIR, TEMP, TMP, then /tmp, /var/tmp, /usr/tmp, then the current
folder (``tempfile.gettempdir``). A TMPDIR that is missing or read-only is thus no problem while /tmp can be written;
only when none can does ``tempfile`` raise, and then deep inside the run (under ``--prefect`` with Prefect's logged
traceback). :func:`check_temp_dir` asks first, so the run stops before anything is read, in one line.
"""
from __future__ import annotations

import os
import tempfile

from budget_etl.errors import BudgetEtlError
from budget_etl.flows.files import path_text

#: The variables Python reads, in its order (the first one set is the one the user meant).
_VARIABLES = ("TMPDIR", "TEMP", "TMP")


def check_temp_dir() -> str:
    """The temporary folder Python will use; raises ``temp_dir_unusable`` when there is none it can write."""
    try:
        return tempfile.gettempdir()
    except FileNotFoundError:  # tempfile's own word for "none of the candidates could be written"
        pass
    named = next((name for name in _VARIABLES if os.environ.get(name)), None)
    said = f"{named}={path_text(os.environ[named])} {_why(os.environ[named])}, and " if named else ""
    raise BudgetEtlError(
        "temp_dir_unusable",
        f"no temporary folder can be written: {said}/tmp, /var/tmp, /usr/tmp and the current folder cannot be "
        "written either; set TMPDIR to a folder this user may write; nothing was read or loaded")


def _why(folder: str) -> str:
    if not os.path.lexists(folder):
        return "does not exist"
    if not os.path.isdir(folder):
        return "is not a folder"
    return "is not writable"
