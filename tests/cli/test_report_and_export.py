"""`budget-etl report` rewrites a past run's report; `budget-etl export` writes Parquet."""
from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb


def test_report_prints_and_rewrites_the_last_run(cli, seed_path, run_dirs, tmp_path):
    noise = tmp_path / "noise.xlsx"
    noise.write_bytes(b"PK\x03\x04 not really a zip")
    _, summary, _ = cli.json("ingest", str(seed_path), str(noise), "--json")
    html = Path(summary["report_path"])
    html.unlink()
    code, out, _ = cli("report")
    assert code == 0
    assert summary["run_id"] in out and "noise.xlsx" in out and str(html) in out
    assert html.exists() and "noise.xlsx" in html.read_text(encoding="utf-8")


def test_report_survives_a_lost_reports_folder(cli, seed_path, run_dirs):
    _, summary, _ = cli.json("ingest", str(seed_path), "--json")
    shutil.rmtree(run_dirs["reports"])
    code, out, _ = cli("report", summary["run_id"])
    assert code == 0 and "seed-department-overall.txt" in out
    assert Path(summary["report_path"]).exists()


def test_report_of_unknown_run_is_one_line_error(cli, seed_path):
    cli("ingest", str(seed_path))
    code, _, err = cli("report", "no-such-run")
    assert code == 2 and err.startswith("error: ") and "no-such-run" in err


def test_export_parquet_round_trips_exact_amounts(cli, seed_path, tmp_path):
    cli("ingest", str(seed_path))
    out_dir = tmp_path / "parquet"
    code, out, _ = cli("export", "--format", "parquet", str(out_dir))
    assert code == 0
    names = {p.stem for p in out_dir.glob("*.parquet")}
    assert {"submissions", "fact_budget", "fact_target", "v_budget", "v_targets", "quality_results"} <= names
    total = duckdb.sql(f"select sum(amount_wan)::varchar from '{out_dir / 'v_budget.parquet'}' "
                       "where item_path = '资金总额'").fetchall()
    assert total == [("1363.410000",)]


def test_progress_is_drawn_on_a_terminal(seed_path, run_dirs):
    """On a terminal (a pty here) `ingest` redraws a progress line on stderr; with --json it stays silent."""

    def run(*extra: str) -> str:
        primary, secondary = pty.openpty()
        args = [sys.executable, "-m", "budget_etl.flows.cli", "ingest", str(seed_path), "--db", str(run_dirs["db"]),
                "--reports", str(run_dirs["reports"]), "--quarantine", str(run_dirs["quarantine"]),
                "--no-data-docs", *extra]
        proc = subprocess.Popen(args, stdin=secondary, stdout=subprocess.PIPE, stderr=secondary)
        os.close(secondary)
        chunks = []
        while True:
            try:
                data = os.read(primary, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=120)
        os.close(primary)
        return b"".join(chunks).decode("utf-8", "replace")

    shown = run()
    assert "[read+parse]" in shown and "\r" in shown
    assert run("--json") == ""
