"""`query`, `report` and `export` reach the warehouse only; a query has a time limit (issue 11, point 11).

Also: `query --format json` is always valid JSON, and options refuse values that would disable a limit.
"""
from __future__ import annotations

import http.server
import json
import threading

import duckdb
import pytest

from budget_etl.flows import rebuild
from budget_etl.warehouse import Warehouse, WarehouseError

OUTSIDE = [
    "select * from read_text('/etc/passwd')",
    "select * from glob('/root/*')",
    "select * from read_csv('/etc/passwd')",
    "select * from read_blob('/etc/hostname')",
    "select count(*) from read_parquet('/etc/*.parquet')",
    "with t as (select * from read_json('/etc/os-release')) select count(*) from t",
]


@pytest.fixture
def db(run_dirs):
    Warehouse(run_dirs["db"]).close()  # an empty, migrated warehouse: these queries need no data
    return run_dirs["db"]


@pytest.mark.parametrize("sql", OUTSIDE)
def test_sql_cannot_read_files_outside_the_warehouse(cli, db, sql):
    code, out, err = cli("query", sql)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.rstrip().endswith("[query_outside]")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_http_path_makes_no_request(cli, db):
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"a,b\n1,2\n")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x.csv"
        code, _, err = cli("query", f"select * from read_csv('{url}')")
    finally:
        server.shutdown()
    assert code == 2 and "[query_outside]" in err
    assert requests == []


def test_sql_cannot_lift_the_seal(db):
    with Warehouse(db, read_only=True, sealed=True) as wh:
        for sql in ("SET enable_external_access = true", "RESET enable_external_access",
                    "SET lock_configuration = false"):
            with pytest.raises(duckdb.Error):
                wh.connection.execute(sql)
        with pytest.raises(duckdb.PermissionException):
            wh.connection.execute("select * from read_text('/etc/passwd')")


def test_a_long_query_is_stopped_at_its_timeout(cli, db):
    code, out, err = cli("query", "--timeout", "0.5", "select count(*) from range(1000000000000000)")
    assert code == 2 and out == ""
    assert err.rstrip().endswith("[query_timeout]") and "--timeout" in err
    code, out, _ = cli("query", "--timeout", "30", "select 41 + 1")  # a quick one is unaffected
    assert (code, out) == (0, "42\n")


def test_the_connection_is_usable_after_a_timeout(db):
    with Warehouse(db, read_only=True, sealed=True) as wh:
        with pytest.raises(WarehouseError) as caught:
            wh.query("select count(*) from range(1000000000000000)", timeout_s=0.3)
        assert caught.value.code == "query_timeout"
        assert wh.query("select count(*) from submissions", timeout_s=30) == (["count_star()"], [(0,)])


def test_report_reads_through_a_sealed_connection(cli, db, seed_path, monkeypatch):
    cli("ingest", str(seed_path))
    opened = []
    real = rebuild.__dict__.get("Warehouse")
    assert real is None  # imported inside rewrite_report; watch the class itself

    class Watched(Warehouse):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            opened.append(self)
            with pytest.raises(duckdb.PermissionException):
                self.connection.execute("select * from read_text('/etc/passwd')")

    monkeypatch.setattr("budget_etl.warehouse.Warehouse", Watched)
    code, out, _ = cli("report")
    assert code == 0 and "seed-department-overall.txt" in out and len(opened) == 1


def test_export_writes_into_its_folder_and_nowhere_else(cli, db, tmp_path, monkeypatch):
    out_dir = tmp_path / "parquet"
    with Warehouse(db, read_only=True, writable_dir=out_dir) as wh:
        out_dir.mkdir()
        wh.connection.execute(f"COPY (SELECT 1 AS x) TO '{out_dir / 'ok.parquet'}' (FORMAT parquet)")
        for target in (tmp_path / "elsewhere.parquet", out_dir / ".." / "escaped.parquet",
                       tmp_path / "parquet-sibling" / "x.parquet"):
            with pytest.raises(duckdb.PermissionException):
                wh.connection.execute(f"COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet)")
        with pytest.raises(duckdb.PermissionException):
            wh.connection.execute("select * from read_text('/etc/passwd')")
    assert sorted(p.name for p in tmp_path.rglob("*.parquet")) == ["ok.parquet"]
    monkeypatch.chdir(tmp_path)  # a relative target folder works the same
    code, _, _ = cli("export", "--format", "parquet", "relative-out")
    assert code == 0 and (tmp_path / "relative-out" / "fact_budget.parquet").exists()


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_json_output_is_valid_json_for_nan_and_infinity(cli, db):
    code, out, _ = cli("query", "--format", "json",
                       "select 'nan'::double as n, 'inf'::double as i, '-inf'::double as m, 1.5::double as f, "
                       "['nan'::double, 2.0] as l, {'x': 'inf'::double} as s")
    assert code == 0
    assert _strict_json(out) == [{"n": "NaN", "i": "Infinity", "m": "-Infinity", "f": 1.5,
                                  "l": ["NaN", 2.0], "s": {"x": "Infinity"}}]


@pytest.mark.parametrize("argv", [
    ["ingest", "x", "--timeout", "nan"],
    ["ingest", "x", "--timeout", "inf"],
    ["ingest", "x", "--timeout", "-1"],
    ["ingest", "x", "--timeout", "0"],
    ["ingest", "x", "--workers", "-1"],
    ["ingest", "x", "--workers", "two"],
    ["ingest", "x", "--lock-wait", "nan"],
    ["ingest", "x", "--lock-wait", "-5"],
    ["query", "select 1", "--timeout", "nan"],
    ["query", "select 1", "--timeout", "inf"],
])
def test_options_that_would_disable_a_limit_are_refused(argv, capsys):
    from budget_etl.flows.cli import main

    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2
    message = [line for line in err.splitlines() if "error:" in line]
    assert len(message) == 1 and argv[-1] in message[0]


@pytest.mark.parametrize("argv, value", [
    (["ingest", "x", "--workers", "0"], ("workers", 0)),
    (["ingest", "x", "--lock-wait", "0"], ("lock_wait", 0.0)),
    (["ingest", "x", "--timeout", "2.5"], ("timeout", 2.5)),
    (["query", "select 1", "--timeout", "1e3"], ("timeout", 1000.0)),
])
def test_sensible_option_values_are_taken(argv, value):
    from budget_etl.flows.cli import build_parser

    args = build_parser().parse_args(argv)
    assert getattr(args, value[0]) == value[1]
