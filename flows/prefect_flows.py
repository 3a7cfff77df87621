"""The ingest pipeline as Prefect flows: the same plain-Python stages as `budget-etl ingest`, tracked.

    plan (discover, hash, settle duplicates)  →  read+parse, one task per *batch* of files (in parallel,
    on threads or a Dask cluster)  →  load (stage, validate, one transaction, quarantine, report; in the
    flow process: the warehouse has a single writer)  →  artifacts  [→ inbox: move the settled files]

Only importing this module imports Prefect: the one-shot CLI path never does unless ``--prefect`` is given.
Retries, with exponential backoff, happen only for errors that say they are ``transient`` (a locked
warehouse, a flaky disk); a bad file never fails a task, it becomes a ``rejected`` result.
"""
from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from budget_etl.errors import BudgetEtlError
from budget_etl.flows import inbox as inbox_mod
from budget_etl.flows import pipeline
from budget_etl.flows.pipeline import IngestOptions, ParsedRun
from budget_etl.flows.progress import NoProgress
from budget_etl.flows.stages import FileTask, rejected_result
from budget_etl.flows.summary import RunSummary
from budget_etl.flows.temp_dir import check_temp_dir
from budget_etl.parsers.errors import ReadError

#: Files per parse task. A Prefect task costs ~10–90 ms, a file ~5–50 ms: 200 keeps the overhead small
#: while still giving a cluster enough tasks to spread.
FILES_PER_TASK = 200
RETRIES = 3
BACKOFF_S = 2.0  # first retry after 2 s, then 4 s, 8 s
#: OS errors worth another try: the disk or network share hiccuped, not the file being wrong.
_TRANSIENT_ERRNOS = {errno.EAGAIN, errno.EBUSY, errno.EIO, errno.ETIMEDOUT, errno.EINTR,
                     getattr(errno, "ESTALE", -1)}
#: Dask workers of a local cluster (``--dask-address local``). Threads, not processes: the parsing
#: itself runs in the sandbox's worker processes, and a daemonic Dask process may not start those.
LOCAL_DASK_WORKERS = 2


def is_transient(exc: BaseException) -> bool:
    """Can trying again help? Our own errors say so (``transient``); some OS errors are by nature."""
    if getattr(exc, "transient", False):
        return True
    return isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS


def retry_only_transient(task, task_run, state) -> bool:
    """Prefect ``retry_condition_fn``: retry a failed task only when its exception is transient, ``RETRIES`` times.

    The limit is counted here (``task_run.run_count``: the tries so far), not by Prefect: its task engine logs a task
    that fails with no retry left as ERROR 'Retries are exhausted' with the whole traceback, even one of our errors,
    which say what to do in one line. A task declares one retry more than it uses (:data:`_retrying`), so that a
    failure is always refused here, as a non-transient one is: the task ends Failed and the flow reports its error
    as one line (:func:`_failed_on`)."""
    if task_run.run_count > RETRIES:
        return False
    try:
        state.result()
    except Exception as exc:  # the task's own exception, re-raised from the Failed state
        return is_transient(exc)
    return False


class StageLog(NoProgress):
    """Progress for a flow run: each stage of the load as a line in the run's log (no terminal bar)."""

    def stage(self, name: str, total: int | None = None) -> None:
        get_run_logger().info("stage: %s", name)


# RETRIES + 1: the last one is never taken (retry_only_transient refuses it), so Prefect never finds the retries
# exhausted; its INFO lines count to 4 ("Retry 1/4 ...") although at most 3 retries happen.
_retrying = dict(retries=RETRIES + 1, retry_delay_seconds=exponential_backoff(backoff_factor=BACKOFF_S),
                 retry_condition_fn=retry_only_transient, cache_policy=NO_CACHE)


@task(name="plan", **_retrying)
def plan_task(paths: list[str], options: IngestOptions) -> tuple[ParsedRun, list[FileTask]]:
    return pipeline.plan_run(paths, options)


@task(name="read-parse-batch", **_retrying)
def parse_batch_task(batch: list[FileTask], options: IngestOptions) -> list:
    return pipeline.parse_batch(batch, options)


@task(name="load", **_retrying)
def load_task(run: ParsedRun, options: IngestOptions) -> RunSummary:
    return pipeline.load_parsed(run, options, StageLog())


@task(name="settle-inbox", cache_policy=NO_CACHE)
def settle_inbox_task(summary: RunSummary, inbox: str) -> list[inbox_mod.Move]:
    return inbox_mod.settle_inbox(summary, Path(inbox))


def batches_of(tasks: list[FileTask], size: int | None = None) -> list[list[FileTask]]:
    size = size or FILES_PER_TASK  # read at call time, so a deployment (or a test) can tune it
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def _workers_per_batch(options: IngestOptions, concurrent_batches: int) -> IngestOptions:
    """Sandbox processes per batch so that batches running side by side share the cores, not multiply them."""
    if options.workers is not None:  # the user chose (0: in-process)
        return options
    cores = os.cpu_count() or 1
    return replace(options, workers=max(1, cores // max(1, concurrent_batches)))


def _read_and_parse(tasks: list[FileTask], options: IngestOptions, concurrent_batches: int | None) -> list:
    """Submit one task per batch; a batch that still fails after its retries rejects its files, not the run."""
    logger = get_run_logger()
    batches = batches_of(tasks)
    if concurrent_batches is not None:
        options = _workers_per_batch(options, min(concurrent_batches, len(batches)))
    # No quote() here: prefect-dask passes it through unresolved, and a batch of FileTasks is cheap to inspect.
    futures = [parse_batch_task.submit(batch, options) for batch in batches]
    results = []
    for batch, future in zip(batches, futures):
        try:
            results.extend(future.result())
        except Exception as exc:  # the batch's worker pool itself died (a Dask worker lost, …)
            logger.error("a batch of %d files failed (%s); its files are rejected", len(batch), exc)
            error = ReadError("worker_crashed", f"the batch reading this file failed: {type(exc).__name__}: {exc}")
            results.extend(rejected_result(t, error) for t in batch)
    return results


def _ingest(paths: list[str], options: IngestOptions, concurrent_batches: int | None,
            skip_if_empty: bool = False) -> RunSummary | None:
    logger = get_run_logger()
    run, tasks = plan_task(paths, quote(options))
    if run.waiting:
        logger.info("%d files changed in the last %g s (still being written?), left for a later run: %s",
                    len(run.waiting), options.settle_s, ", ".join(run.waiting[:10]))
    if skip_if_empty and not run.results and not run.duplicates:
        logger.info("no new files")
        return None
    logger.info("run %s: %d files to read, %d already loaded, %d tasks of up to %d files",
                run.run_id, len(tasks), len(run.duplicates), len(batches_of(tasks)), FILES_PER_TASK)
    pipeline.assemble(run, _read_and_parse(tasks, options, concurrent_batches))
    summary = load_task(quote(run), quote(options))  # in the flow process, whatever the task runner
    counts = ", ".join(f"{n} {status}" for status, n in summary.counts.items())
    logger.info("run %s committed: %s; report %s", summary.run_id, counts, summary.report_path)
    for problem in summary.problems:  # after the commit: the load stands, the step must be redone
        logger.error("%s", problem)
    return summary


@flow(name="budget-etl-ingest", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 1),
      validate_parameters=False, log_prints=False)
def ingest_flow(paths: list[str], options: IngestOptions, concurrent_batches: int | None = os.cpu_count() or 1,
                ) -> RunSummary | State:
    """`budget-etl ingest --prefect`: one tracked run over files and folders.

    One of our own errors (a warehouse that cannot be opened, …) ends the run as a Failed state carrying it, not as
    a raised exception: Prefect's flow engine logs a raised exception with its whole traceback, before the CLI's one
    line ``message [code]``. The state's message is that line; calling the flow still raises the error itself (a
    Failed state whose data is an exception raises it), so the CLI says it as without ``--prefect``. The traceback
    is in the run's log at DEBUG (PREFECT_LOGGING_LEVEL=DEBUG), and ``--debug`` prints it. Any other exception is a
    defect: Prefect logs its traceback."""
    try:
        summary = _ingest(paths, options, concurrent_batches)
        publish_run_artifacts(summary)
    except BudgetEtlError as exc:
        return _failed_on(exc)
    return summary


def _failed_on(exc: BudgetEtlError) -> State:
    """The Failed state a flow returns for one of our errors: its message is the error's one line ``message [code]``,
    its data the error (so calling the flow raises it). Returned rather than raised because Prefect's flow engine
    logs a raised exception with its whole traceback; ours are expected and say what to do in one line. The traceback
    stays in the run's log at DEBUG, for whoever needs it."""
    get_run_logger().debug("the run stopped on this error", exc_info=exc)
    return Failed(message=f"{exc.message} [{exc.code}]", data=exc)


@flow(name="budget-etl-inbox", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 1))
def inbox_flow(inbox: str, db_path: str, reports_dir: str, quarantine_dir: str,
               template_dirs: list[str] | None = None, settle_s: float = inbox_mod.DEFAULT_SETTLE_S,
               ) -> dict | State:
    """The scheduled run: ingest what is new in the inbox, then move the settled files out of it.

    Only files unchanged for ``settle_s`` seconds are taken (the others are still being uploaded). The
    moves happen only after the load committed; if the load fails, the flow fails and every file stays
    in the inbox for the next run.

    One of our own errors (a warehouse that cannot be opened, …) ends the run as ``ingest_flow``'s do: a Failed
    state whose message is the line ``message [code]``, no traceback. Nobody runs a CLI here to say that line, so the
    run's log also has it as an ERROR, where the operator of the server or worker looks. Any other exception is a
    defect: Prefect logs its traceback.
    """
    try:
        return _inbox_run(inbox, db_path, reports_dir, quarantine_dir, template_dirs, settle_s)
    except BudgetEtlError as exc:
        get_run_logger().error("%s [%s]", exc.message, exc.code)
        return _failed_on(exc)


def _inbox_run(inbox: str, db_path: str, reports_dir: str, quarantine_dir: str, template_dirs: list[str] | None,
               settle_s: float) -> dict:
    options = inbox_mod.inbox_options(Path(inbox), Path(db_path), Path(reports_dir), Path(quarantine_dir),
                                      template_dirs=tuple(Path(d) for d in template_dirs or ()),
                                      settle_s=settle_s)
    summary = _ingest([inbox], options, os.cpu_count() or 1, skip_if_empty=True)
    if summary is None:
        return {"run_id": None, "counts": {}, "moved": 0, "left": 0}
    moves = settle_inbox_task(quote(summary), inbox)
    left = [m for m in moves if m.target is None]
    for m in left:
        get_run_logger().warning("left in the inbox: %s (%s)", m.source, m.note)
    publish_run_artifacts(summary, moves)
    return {"run_id": summary.run_id, "counts": summary.counts, "moved": len(moves) - len(left), "left": len(left)}


# ------------------------------------------------------------------------------------------- artifacts
def run_markdown(summary: RunSummary, moves: list[inbox_mod.Move] | None = None) -> str:
    """The run report in brief, for the flow run's Artifacts tab: counts, failed files, failed checks."""
    c = summary.counts
    lines = [f"# budget-etl run `{summary.run_id}`", "",
             "| loaded | quarantined | rejected | duplicate |", "| ---: | ---: | ---: | ---: |",
             f"| {c['loaded']} | {c['quarantined']} | {c['rejected']} | {c['duplicate']} |", ""]
    generic = summary.generic_counts_text()
    if generic:  # listed apart, as in the run output and the report
        lines += [f"Loaded: {generic} (their cells are in `v_generic_entries`).", ""]
    failed = [f for f in summary.files if f.status in ("quarantined", "rejected")]
    if failed:
        lines += ["## Failed files", ""]
        for f in failed:
            why = ", ".join(f.failed_checks) if f.status == "quarantined" else f"{f.error_code}: {f.error_message}"
            lines.append(f"- **{f.status}** `{f.path}` — {why}")
        lines.append("")
    checks = _failed_check_counts(summary)
    if checks:
        lines += ["## Failed checks", "", "| expectation | severity | files |", "| --- | --- | ---: |"]
        lines += [f"| {name} | {severity} | {n} |" for (name, severity), n in checks.items()]
        lines.append("")
    if moves is not None:
        left = [m for m in moves if m.target is None]
        lines.append(f"Inbox: {len(moves) - len(left)} files moved, {len(left)} left for the next run.")
    if summary.report_path:
        lines.append(f"Report: `{summary.report_path}`")
    return "\n".join(lines) + "\n"


def _failed_check_counts(summary: RunSummary) -> dict[tuple[str, str], int]:
    q = summary.quality
    if q is None or q.empty or "expectation" not in q.columns:
        return {}
    failed = q[~q["success"].astype(bool)]
    counts = failed.groupby(["expectation", "severity"])["file_key"].nunique()
    return {key: int(n) for key, n in counts.sort_values(ascending=False).items()}


def file_rows(summary: RunSummary) -> list[dict]:
    """One row per file, for the table artifact."""
    return [{"path": f.path, "status": f.status, "template": f.template, "department_name": f.department_name,
             "fiscal_year": f.fiscal_year, "project_name": f.project_name, "version": f.version,
             "submission_id": f.submission_id, "error_code": f.error_code,
             "failed_checks": ", ".join(f.failed_checks), "warnings": ", ".join(f.warnings)}
            for f in summary.files]


def publish_run_artifacts(summary: RunSummary, moves: list[inbox_mod.Move] | None = None) -> None:
    """Markdown summary, table of files, link to the HTML report; keyed so the UI shows their history."""
    create_markdown_artifact(run_markdown(summary, moves), key="budget-etl-run-summary",
                             description=f"budget-etl run {summary.run_id}")
    create_table_artifact(file_rows(summary), key="budget-etl-run-files",
                          description=f"files of budget-etl run {summary.run_id} with their statuses")
    if summary.report_path:
        create_link_artifact(Path(summary.report_path).resolve().as_uri(), link_text="HTML run report",
                             key="budget-etl-run-report", description=f"report of budget-etl run {summary.run_id}")


# ------------------------------------------------------------------------------------------------ dask
def dask_task_runner(address: str):
    """prefect-dask's runner: ``"local"`` starts a LocalCluster for the run, anything else is a scheduler
    address (``tcp://host:8786``) of a cluster whose workers see the same files (a shared folder)."""
    from prefect_dask import DaskTaskRunner

    if address == "local":
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": LOCAL_DASK_WORKERS, "threads_per_worker": 1,
                                              "processes": False, "dashboard_address": None})
    return DaskTaskRunner(address=address)


def run_ingest_flow(paths: list[str], options: IngestOptions, dask_address: str | None = None) -> RunSummary:
    """What `budget-etl ingest --prefect [--dask-address A]` calls: the ingest as a tracked flow run."""
    check_temp_dir()  # before the flow run: inside it, Prefect would log the error with a traceback
    if not dask_address:
        return ingest_flow(list(paths), options)
    # On a cluster each batch uses its worker machine's cores (start workers with --nthreads 1);
    # a local cluster shares this machine's cores between its workers.
    concurrent = LOCAL_DASK_WORKERS if dask_address == "local" else None
    return ingest_flow.with_options(task_runner=dask_task_runner(dask_address))(list(paths), options, concurrent)
