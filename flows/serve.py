"""`budget-etl serve`: the inbox flow as a scheduled Prefect deployment, served from this process.

Schedules only run on a real Prefect server (the temporary one Prefect starts on demand lives and dies with
one process), so ``serve`` requires ``PREFECT_API_URL`` to point at a running server and says how to start
one when it does not. It does not start a server itself: a server outlives ``serve`` restarts, keeps the
run history, and is shared with the UI — it belongs to whoever operates the machine (see SCHEDULING.md).
"""
from __future__ import annotations

from pathlib import Path

from budget_etl.errors import BudgetEtlError
from budget_etl.flows.inbox import DEFAULT_SETTLE_S
from budget_etl.flows.temp_dir import check_temp_dir

DEFAULT_API_URL = "http://127.0.0.1:4200/api"
START_HINT = (f"start one with `prefect server start` (or scripts/prefect-server.sh) and "
              f"`export PREFECT_API_URL={DEFAULT_API_URL}`")


class PrefectServerUnavailable(BudgetEtlError):
    """`serve` needs a real Prefect server (codes ``prefect_server_*`` in :data:`budget_etl.flows.errors.FLOW_CODES`);
    only an unreachable one is transient."""

    def __init__(self, code: str, message: str):
        super().__init__(code, message, transient=code == "prefect_server_unreachable")


def require_prefect_server() -> str:
    """The configured API URL of a server that answers; raises PrefectServerUnavailable otherwise."""
    from prefect.client.orchestration import get_client
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        raise PrefectServerUnavailable(
            "prefect_server_missing",
            f"budget-etl serve needs a Prefect server (schedules do not run on Prefect's temporary one): {START_HINT}")
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise PrefectServerUnavailable(
            "prefect_server_unreachable",
            f"no Prefect server answers at PREFECT_API_URL={url} ({type(problem).__name__}): {START_HINT}")
    return url


def build_inbox_deployment(inbox: Path, cron: str, db_path: Path, reports_dir: Path, quarantine_dir: Path,
                           name: str, template_dirs: tuple[Path, ...] = (),
                           settle_s: float = DEFAULT_SETTLE_S):
    """The deployment object (not yet registered): the inbox flow on ``cron``, never two runs at once.

    A run that would overlap a running one is cancelled rather than queued: the running one, or the next
    scheduled one, picks its files up anyway, and a slow day must not pile up a queue of runs.
    Paths are absolute because the served runs execute in a fresh process.
    """
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.types.entrypoint import EntrypointType

    from budget_etl.flows.prefect_flows import inbox_flow

    parameters = {"inbox": str(Path(inbox).resolve()), "db_path": str(Path(db_path).resolve()),
                  "reports_dir": str(Path(reports_dir).resolve()),
                  "quarantine_dir": str(Path(quarantine_dir).resolve()),
                  "template_dirs": [str(Path(d).resolve()) for d in template_dirs], "settle_s": float(settle_s)}
    return inbox_flow.to_deployment(
        name=name, cron=cron, parameters=parameters,
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description=f"Ingest new submissions dropped into {parameters['inbox']}",
        tags=["budget-etl"], entrypoint_type=EntrypointType.MODULE_PATH)


def serve_inbox(inbox: Path, cron: str, db_path: Path, reports_dir: Path, quarantine_dir: Path,
                name: str, template_dirs: tuple[Path, ...] = (),
                settle_s: float = DEFAULT_SETTLE_S) -> None:
    """Register the deployment and serve it until interrupted (Ctrl-C pauses its schedule)."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise BudgetEtlError("path_not_found", f"no such inbox folder: {inbox}")
    check_temp_dir()  # now rather than in every scheduled run
    require_prefect_server()
    from prefect import serve

    deployment = build_inbox_deployment(inbox, cron, db_path, reports_dir, quarantine_dir, name, template_dirs,
                                        settle_s)
    serve(deployment, limit=1)
