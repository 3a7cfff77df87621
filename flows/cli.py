"""`budget-etl`: the thin command-line edge over the library (see README and ../shared/CONTRACT.md).

Imports are deferred into each command so that `--help` is instant and `query` never loads Great
Expectations or Prefect. Errors are one clear line on stderr (exit 2); `--debug` shows the traceback.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

import budget_etl
from budget_etl.errors import BudgetEtlError
from budget_etl.flows.chunks import DEFAULT_CHUNK_FILES

EXIT_OK, EXIT_FAILURE = 0, 2  # ingest also exits 1 when files were quarantined or rejected: RunSummary.exit_code


def seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above 0 (``nan`` would disable a limit, ``inf`` crash)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0, like 60")
    return value


def wait_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, 0 allowed (do not wait)."""
    if text.strip() in ("0", "0.0"):
        return 0.0
    return seconds(text)


def positive(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    value = count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give 1 or more")
    return value


def count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give 0 or more")
    return value


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=Path("warehouse.duckdb"),
                        help="the DuckDB warehouse file (default: ./warehouse.duckdb)")


def _add_templates(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", type=Path, action="append", default=[], metavar="DIR",
                        help="a folder of extra family declarations (*.toml); may be given more than once "
                             "[declaration_invalid]")


def _registry(args: argparse.Namespace):
    """The families, with --templates folders: a broken declaration stops the command here, before any work."""
    from budget_etl.parsers.templates import registry_for

    return registry_for(args.templates)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budget-etl",
        description="Turn department budget performance target tables (xlsx, xls, text exports, HTML) "
                    "into a validated DuckDB warehouse.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {budget_etl.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    ingest = commands.add_parser("ingest", help="parse, gate, load files and folders; write the run report",
                                 description="Ingest files and folders (recursively). Exit 0: all loaded or "
                                             "duplicates; 1: some quarantined or rejected (the good ones are "
                                             "loaded); 2: usage error or nothing could be loaded.")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to ingest")
    _add_db(ingest)
    ingest.add_argument("--reports", type=Path, default=Path("reports"), help="report folder (default: ./reports)")
    ingest.add_argument("--quarantine", type=Path, default=Path("quarantine"),
                        help="where quarantined files are copied with a reason file (default: ./quarantine)")
    ingest.add_argument("--json", action="store_true", help="print the run summary as one JSON object on stdout")
    ingest.add_argument("--prefect", action="store_true", help="run as a tracked Prefect flow run")
    ingest.add_argument("--workers", type=count, default=None,
                        help="reader processes (default: one per core; 0: in-process, no crash isolation)")
    ingest.add_argument("--timeout", type=seconds, default=60.0, help="seconds allowed to read one file (default 60)")
    ingest.add_argument("--chunk-files", type=positive, default=DEFAULT_CHUNK_FILES, metavar="N",
                        help=f"validate and load N files at a time, each chunk in one transaction "
                             f"(default {DEFAULT_CHUNK_FILES}): memory stays flat however many files")
    ingest.add_argument("--lock-wait", type=wait_seconds, default=30.0,
                        help="seconds to wait for another writer to release the warehouse (default 30)")
    ingest.add_argument("--data-docs", dest="data_docs", action="store_true", default=False,
                        help="also build Great Expectations Data Docs in the report folder (not linked, offline)")
    ingest.add_argument("--no-data-docs", dest="data_docs", action="store_false",
                        help="do not build Data Docs (the default; kept for scripts that pass it)")
    ingest.add_argument("--annotate-warnings", action="store_true",
                        help="also write an annotated workbook for each loaded file with warnings "
                             "(quarantined files always get one)")
    ingest.add_argument("--no-generic", action="store_true",
                        help="reject tables no family recognises (unknown_template) instead of loading them as "
                             "generic tables")
    ingest.add_argument("--dask-address", default=None,
                        help="with --prefect: parse on this Dask scheduler ('local' starts a LocalCluster)")
    _add_templates(ingest)

    query = commands.add_parser("query", help="run read-only SQL against the warehouse")
    query.add_argument("sql", metavar="SQL")
    _add_db(query)
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--timeout", type=seconds, default=60.0,
                       help="stop the query after this many seconds (default 60) [query_timeout]")

    report = commands.add_parser("report", help="print (and rewrite) the report of a run (the last by default)")
    report.add_argument("run_id", nargs="?", metavar="RUN_ID")
    _add_db(report)
    report.add_argument("--quarantine", type=Path, default=None,
                        help="where the run's missing quarantine copies are re-created (default: where the run "
                             "put them, else ./quarantine)")

    serve = commands.add_parser("serve", help="scheduled ingestion of an inbox folder as a Prefect deployment")
    serve.add_argument("--inbox", type=Path, required=True, help="folder departments drop submissions into")
    serve.add_argument("--cron", default="*/15 * * * *", help="schedule (default: every 15 minutes)")
    _add_db(serve)
    serve.add_argument("--reports", type=Path, default=Path("reports"))
    serve.add_argument("--quarantine", type=Path, default=Path("quarantine"))
    serve.add_argument("--name", default="budget-etl-inbox", help="deployment name")
    serve.add_argument("--settle", type=wait_seconds, default=10.0, metavar="S",
                       help="take a file only once it has not changed for S seconds (default 10): "
                            "an upload still running is left for a later run")
    _add_templates(serve)

    templates = commands.add_parser("templates", help="list the table families it knows (name, scope, title, "
                                                      "where the declaration is)")
    _add_templates(templates)

    explain = commands.add_parser("explain", help="why a file is (not) recognised: per sheet and family the "
                                                  "score, labels found with their cells, labels missing",
                                  description="Exit 0: a family was recognised; 1: none was (the file would be "
                                              "rejected as unknown_template); 2: the file cannot be read.")
    explain.add_argument("file", type=Path, metavar="FILE")
    _add_templates(explain)

    tables = commands.add_parser("tables", help="read files' tables generically and print them (writes nothing)",
                                 description="Read any file's tables without a template: entries with their "
                                             "labels, labels with their parents. Needs no warehouse. Exit 0: "
                                             "every file read; 1: some could not be read; 2: none could.")
    tables.add_argument("files", nargs="+", type=Path, metavar="FILE", help="xlsx, xls, HTML or text files")
    tables.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                        help="jsonl: one JSON line per table (CONTRACT.md); table: for people (default: jsonl)")

    dashboard = commands.add_parser("dashboard", help="write a one-page dashboard (charts) over the warehouse")
    _add_db(dashboard)
    dashboard.add_argument("--out", type=Path, default=Path("reports"),
                           help="folder to write dashboard.html into (default: ./reports)")

    export = commands.add_parser("export", help="write every contract table and view as Parquet")
    export.add_argument("--format", choices=("parquet",), default="parquet")
    export.add_argument("dir", type=Path, metavar="DIR")
    _add_db(export)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.debug:
        _quiet_library_logs()
    handler = {"ingest": cmd_ingest, "query": cmd_query, "report": cmd_report,
               "serve": cmd_serve, "export": cmd_export, "tables": cmd_tables, "templates": cmd_templates,
               "explain": cmd_explain, "dashboard": cmd_dashboard}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted: nothing of the unfinished load was committed", file=sys.stderr)
        return 130
    except Exception as exc:  # the edge: one clear line, never a traceback unless asked
        if args.debug:
            raise
        print(f"error: {_describe(exc)}", file=sys.stderr)
        return EXIT_FAILURE


def _quiet_library_logs() -> None:
    """Great Expectations logs its failures (a full disk while it writes Data Docs) as ERROR records holding
    whole tracebacks, which Python would print to stderr for want of a handler. The run reports such a
    failure itself, in one line; ``--debug`` shows the records."""
    import logging

    logging.getLogger("great_expectations").addHandler(logging.NullHandler())


def _describe(exc: BaseException) -> str:
    """``message [code]`` for budget-etl's own errors; the system's words for the system's (a full disk, a folder
    it may not write); anything else is a defect, so say how to see it."""
    if isinstance(exc, BudgetEtlError):
        return f"{exc.message} [{exc.code}]" + ("; trying again later may help" if exc.transient else "")
    if isinstance(exc, OSError):
        return str(exc)
    return f"{type(exc).__name__}: {exc} (run with --debug for the traceback)"


# ----------------------------------------------------------------------------------------------- ingest
def cmd_ingest(args: argparse.Namespace) -> int:
    from budget_etl.flows.progress import progress_for

    _registry(args)
    summary = budget_etl.ingest(
        args.paths, db_path=args.db, reports_dir=args.reports, quarantine_dir=args.quarantine,
        workers=args.workers, timeout_s=args.timeout, lock_wait_s=args.lock_wait, data_docs=args.data_docs,
        chunk_files=args.chunk_files,
        template_dirs=tuple(args.templates), annotate_warnings=args.annotate_warnings, generic=not args.no_generic,
        prefect=args.prefect, dask_address=args.dask_address,
        progress=None if args.prefect else progress_for(sys.stderr, quiet=args.json))
    if args.json:
        summary.write_json(sys.stdout, ensure_ascii=False, default=str)  # a file at a time: a large run's JSON
        print()
    else:
        print(format_run(summary))
    for problem in summary.problems:  # after the commit: the load stands, this step must be redone
        print(f"error: {problem} [output_failed]", file=sys.stderr)
    return summary.exit_code


def format_run(summary) -> str:
    """One line per file, then the counts and the report's path.

    Every text from a file or its name goes through ``visible``: a newline in a file name cannot forge a line.
    """
    from budget_etl.flows.query_output import display_width
    from budget_etl.flows.summary import generic_size
    from budget_etl.flows.visible import visible

    lines = []
    # by display width: a CJK character takes two columns (Chinese file names pushed the next column about)
    width = max((display_width(visible(f.path)) for f in summary.files), default=0)
    for f in summary.files:
        name = visible(f.path)
        line = f"{f.status:<12} {name}{' ' * (width - display_width(name))}"
        if f.status in ("loaded", "quarantined"):
            who = " ".join(visible(x) for x in (f.department_name, f.fiscal_year, f.project_name) if x)
            line += f"  {f.template}  {who or generic_size(f.generic_tables, f.generic_entries)}"
            if f.version and f.version > 1:
                line += f"  (version {f.version})"
        if f.status == "quarantined":
            line += f"\n{'':13}failed: {', '.join(f.failed_checks)}"
        elif f.status == "rejected":
            line += f"\n{'':13}{f.error_code}: {visible(_short(f.error_code, f.error_message))}"
        elif f.status == "duplicate":
            line += "  already loaded" + (f" as {f.submission_id}" if f.submission_id else "")
        if f.warnings and f.status != "duplicate":
            line += f"\n{'':13}warnings: {', '.join(f.warnings)}"
        if f.identity_note and f.status != "duplicate":
            line += f"\n{'':13}identity: {f.identity_note}"
        if len(f.submissions) > 1:  # several tables in one file: one line each
            line += "".join(f"\n{'':13}{_submission_line(s)}" for s in f.submissions)
        lines.append(line)
    c = summary.counts
    seconds = (summary.finished_at - summary.started_at).total_seconds() if summary.finished_at else 0.0
    generic = summary.generic_counts_text(loaded_only=True)
    generic = f" ({generic})" if generic else ""
    # a file that did not load may still have loaded its other sheets as generic tables: said apart, not as loaded
    failed = summary.failed_with_generic_sheets()
    failed = f"; {failed} not loaded had extra sheets loaded as generic tables" if failed else ""
    files = f"{len(summary.files)} file" + ("" if len(summary.files) == 1 else "s")
    lines.append(f"\n{files}: {c['loaded']} loaded{generic}, {c['quarantined']} quarantined, "
                 f"{c['rejected']} rejected, {c['duplicate']} duplicate{failed}  (run {summary.run_id}, {seconds:.1f} s)")
    lines.append(f"warehouse: {visible(summary.db_path)}")
    if summary.report_path:
        lines.append(f"report: {visible(summary.report_path)}")
    return "\n".join(lines)


def _submission_line(s: dict) -> str:
    """One submission of a file that holds several: '- sheet 表2: loaded department_overall 苏州市… 2023'."""
    from budget_etl.flows.summary import generic_size
    from budget_etl.flows.visible import visible

    who = " ".join(visible(s[k]) for k in ("department_name", "fiscal_year", "project_name") if s.get(k)) \
        or generic_size(s.get("generic_tables"), s.get("generic_entries"))
    said = (f"{s['error_code']}: {visible(_short(s['error_code'], s['error_message']))}"
            if s["status"] == "rejected" else "")
    return " ".join(x for x in ("-", f"sheet {visible(s['sheet'])}:" if s.get("sheet") else "", s["status"],
                                s.get("template") or "", who, said) if x)


def _short(code: str | None, message: str | None) -> str | None:
    """unknown_template: the one-sentence reason; what each family looks for is in the report."""
    if code == "unknown_template" and message:
        from budget_etl.parsers.templates import short_message

        return short_message(message)
    return message


# ----------------------------------------------------------------------------------------------- query
def cmd_query(args: argparse.Namespace) -> int:
    from budget_etl.flows.query_output import render

    with budget_etl.connect(args.db, sealed=True) as wh:  # SQL reaches the warehouse only
        columns, rows = wh.query(args.sql, timeout_s=args.timeout)
    sys.stdout.write(render(columns, rows, args.format))
    return EXIT_OK


# ----------------------------------------------------------------------------------------------- report
def cmd_report(args: argparse.Namespace) -> int:
    from budget_etl.flows.rebuild import rewrite_report

    text, problems = rewrite_report(args.db, args.run_id, args.quarantine)
    print(text)
    for problem in problems:
        print(f"error: {problem} [output_failed]", file=sys.stderr)
    return 1 if problems else EXIT_OK


# ----------------------------------------------------------------------------------------------- serve
def cmd_serve(args: argparse.Namespace) -> int:
    from budget_etl.flows.serve import serve_inbox

    _registry(args)
    serve_inbox(inbox=args.inbox, cron=args.cron, db_path=args.db, reports_dir=args.reports,
                quarantine_dir=args.quarantine, name=args.name, template_dirs=tuple(args.templates),
                settle_s=args.settle)
    return EXIT_OK


# ----------------------------------------------------------------------------------------------- templates
def cmd_templates(args: argparse.Namespace) -> int:
    from budget_etl.flows.explain import list_templates

    print(list_templates(_registry(args)))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from budget_etl.flows.explain import explain_file

    explanation = explain_file(args.file, _registry(args))
    print(explanation.text)
    return EXIT_OK if explanation.recognised else 1


# ----------------------------------------------------------------------------------------------- dashboard
def cmd_dashboard(args: argparse.Namespace) -> int:
    from budget_etl.flows.dashboard import write_dashboard

    print(write_dashboard(args.db, args.out))
    return EXIT_OK


# ----------------------------------------------------------------------------------------------- export
def cmd_export(args: argparse.Namespace) -> int:
    from budget_etl.warehouse.export import export_parquet

    written = export_parquet(args.db, args.dir)
    for path in written:
        print(path)
    print(f"{len(written)} Parquet files in {args.dir}", file=sys.stderr)
    return EXIT_OK


# ----------------------------------------------------------------------------------------------- tables
def cmd_tables(args: argparse.Namespace) -> int:
    from budget_etl.flows.tables import format_table, tables_of_files

    paths = []
    for path in args.files:
        if not path.exists():
            raise BudgetEtlError("path_not_found", f"no such file: {path}")
        if not path.is_file():  # a folder too: `tables` reads the files it is given, one by one
            raise BudgetEtlError("not_regular_file", f"{path} is not a file: give the files to read")
        paths.append(str(path))
    failed = 0
    results = tables_of_files(paths)
    try:
        for path, status, payload in results:
            if status == "error":
                code, message = payload
                print(f"error: {message if path in message else f'{path}: {message}'} [{code}]", file=sys.stderr)
                failed += 1
                continue
            tables, warnings = payload
            for code, message in warnings:
                print(f"warning: {path}: {message} [{code}]", file=sys.stderr)
            for table in tables:
                if args.format == "jsonl":
                    print(json.dumps(table, ensure_ascii=False))
                else:
                    print(format_table(table) + "\n")
            sys.stdout.flush()
    except BrokenPipeError:  # `budget-etl tables … | head`: the reader has all it wants; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        return EXIT_OK
    finally:
        results.close()  # stops the workers now
    if failed == len(paths):
        return EXIT_FAILURE
    return 1 if failed else EXIT_OK


def entry() -> None:
    """The console script. Leaves without the interpreter's teardown when Great Expectations was loaded:
    its ~150 MB of module objects take ~0.7 s to tear down, and by now every file is written and closed and
    the DuckDB connection and worker processes are shut. Not when Prefect was loaded: its atexit hooks stop
    the temporary server it may have started."""
    code = main()
    if "great_expectations" in sys.modules and "prefect" not in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
