"""Invisible characters neither split a department nor hide in the output (issue 11, point 8).

Department names that differ only by zero-width or bidi characters, a soft hyphen, or Excel's ``_xHHHH_``
escapes are one department (one ``dim_department`` row, one version chain, its amounts once in ``v_budget``);
the raw text is kept, and reports and terminal output show such characters escaped. A file name with a newline
cannot forge a line of `ingest` output.
"""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import duckdb

SAMPLE = Path(__file__).parents[2] / "samples" / "wujiang-trade-union-2024-department.xlsx"
NAME = "苏州市吴江区总工会"
SPELLINGS = {  # as stored in the sheet's XML -> as it reads
    "zero-width-space.xlsx": ("苏州市吴江区_x200B_总工会", "苏州市吴江区\u200b总工会"),
    "rtl-override.xlsx": ("_x202E_苏州市吴江区总工会", "\u202e苏州市吴江区总工会"),
    "joiner-and-soft-hyphen.xlsx": ("苏州市\u200d吴江区总工会\u00ad", "苏州市\u200d吴江区总工会\u00ad"),
    "bom.xlsx": ("\ufeff苏州市吴江区总工会", "\ufeff苏州市吴江区总工会"),
}


def _respelt(xml_name: str) -> bytes:
    source = zipfile.ZipFile(SAMPLE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                before = f"<t>{NAME}</t>".encode()
                assert before in data
                data = data.replace(before, f"<t>{xml_name}</t>".encode(), 1)
            target.writestr(item, data)
    return out.getvalue()


def test_one_department_however_invisibly_spelt(cli, run_dirs, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "original.xlsx")
    for file_name, (xml_name, _) in SPELLINGS.items():
        (folder / file_name).write_bytes(_respelt(xml_name))
    code, summary, _ = cli.json("ingest", str(folder), "--json")
    assert code == 0 and summary["counts"]["loaded"] == 1 + len(SPELLINGS)

    with duckdb.connect(str(run_dirs["db"]), read_only=True) as con:
        assert con.execute("SELECT department_name FROM dim_department").fetchall() == [(NAME,)]
        raws = {Path(p).name: raw for p, raw in con.execute(
            "SELECT source_path, department_name_raw FROM submissions").fetchall()}
        versions = con.execute("SELECT max(version), count(*) FILTER (WHERE is_current) FROM submissions").fetchone()
        totals = con.execute("SELECT count(*) FROM v_budget WHERE item_path = '资金总额' AND period = 'full_year'"
                             ).fetchone()
    assert raws == {"original.xlsx": NAME, **{f: read for f, (_, read) in SPELLINGS.items()}}
    assert versions == (1 + len(SPELLINGS), 1)
    assert totals == (1,)  # the department's total once, not once per spelling

    # Reports show the invisible characters spelt out, so the spellings are seen to differ.
    html = Path(summary["report_path"]).read_text(encoding="utf-8")
    for escaped in ("苏州市吴江区\\u200b总工会", "\\u202e苏州市", "苏州市\\u200d吴江区总工会\\xad", "\\ufeff苏州市"):
        assert escaped in html
    assert "\u202e" not in html and "\u200b" not in html
    code, text, _ = cli("report")
    assert code == 0 and "苏州市吴江区\\u200b总工会" in text and "\u200b" not in text
    code, table, _ = cli("query", "select department_name_raw from submissions order by 1")
    assert code == 0 and "\\u202e" in table and "\u202e" not in table


def test_a_file_name_cannot_forge_output_lines(cli, seed_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    forged = "evil\nrejected     forged.txt\x1b[2K"
    shutil.copy(seed_path, folder / forged)
    code, out, _ = cli("ingest", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert not any(line.startswith("rejected") for line in lines)
    assert "\x1b" not in out
    assert any(line.startswith("loaded") and "evil\\nrejected     forged.txt\\x1b[2K" in line for line in lines)
    assert len([line for line in lines if line.startswith(("loaded", "rejected", "quarantined", "duplicate"))]) == 1
    code, summary, _ = cli.json("ingest", str(folder), "--json")  # JSON keeps the name exactly
    assert [Path(f["path"]).name for f in summary["files"]] == [forged]
    assert json.loads(json.dumps(summary))["files"][0]["status"] == "duplicate"
