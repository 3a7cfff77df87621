"""Open annotated workbooks in a real LibreOffice (headless) and check their comments survive.

    .venv/bin/python scripts/check_annotated_libreoffice.py [WORKBOOK.annotated.xlsx ...]

Without arguments it ingests the quarantined samples of every format (samples/ and tests/fixtures/feedback/)
into a temporary warehouse first and checks the workbooks that run writes. Each workbook is converted by
`soffice --headless --convert-to xlsx` (LibreOffice loads it as a user's spreadsheet would, then saves it
again); the converted file must exist, keep every sheet, and carry the same comments on the same cells, and the
findings sheet's links must still point at them. Exit 0 when every workbook passes, 1 otherwise.

Needs Debian's `libreoffice-calc` (apt-get install -y libreoffice-calc). Outside CI on purpose: LibreOffice is
large and slow to start.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def comments_of(path: Path) -> dict[tuple[str, str], str]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): " ".join(c.comment.text.split())
            for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment is not None}


def links_of(path: Path) -> list[str]:
    import openpyxl

    ws = openpyxl.load_workbook(path).worksheets[0]
    return [c.hyperlink.location for row in ws.iter_rows() for c in row
            if c.hyperlink is not None and c.hyperlink.location]


def convert(soffice: str, workbook: Path, out_dir: Path, profile: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(workbook)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    converted = out_dir / workbook.name
    if done.returncode != 0 or not converted.exists():
        raise RuntimeError(f"LibreOffice could not convert {workbook.name} (exit {done.returncode}): "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return converted


def check(soffice: str, workbook: Path, scratch: Path) -> list[str]:
    """Problems found with one workbook (empty: it passed)."""
    import openpyxl

    converted = convert(soffice, workbook, scratch / "out", scratch / "profile")
    problems = []
    before, after = comments_of(workbook), comments_of(converted)
    if not before:
        problems.append("the workbook has no comments to check")
    for key, text in before.items():
        if key not in after:
            problems.append(f"comment on {key[0]}!{key[1]} lost")
        elif after[key] != text:
            problems.append(f"comment on {key[0]}!{key[1]} changed: {after[key][:80]!r}")
    names_before = openpyxl.load_workbook(workbook).sheetnames
    names_after = openpyxl.load_workbook(converted).sheetnames
    if names_after != names_before:
        problems.append(f"sheets changed: {names_before} -> {names_after}")
    links = links_of(converted)
    if len(links) != len(links_of(workbook)):
        problems.append(f"links on the findings sheet: {len(links_of(workbook))} before, {len(links)} after")
    print(f"{'ok  ' if not problems else 'FAIL'} {workbook.name}: {len(before)} comments, {len(after)} after "
          f"LibreOffice, {len(links)} links, sheets {names_after}")
    return problems


def sample_workbooks(work: Path) -> list[Path]:
    """Ingest the bad submissions of every format; the workbooks the run wrote."""
    from budget_etl.flows.pipeline import IngestOptions, run_ingest

    inbox = work / "inbox"
    inbox.mkdir()
    sources = [ROOT / "samples" / "xiangcheng-trade-union-2024-sums-do-not-add-up.xlsx",
               ROOT / "samples" / "suzhou-trade-union-2023.txt",
               *sorted((ROOT / "tests" / "fixtures" / "feedback").iterdir())]
    for source in sources:
        shutil.copy2(source, inbox / source.name)
    summary = run_ingest([inbox], IngestOptions(db_path=work / "w.duckdb", reports_dir=work / "reports",
                                                quarantine_dir=work / "quarantine", data_docs=False,
                                                annotate_warnings=True))
    return [Path(f.annotated_path) for f in summary.files if f.annotated_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("error: LibreOffice is not installed (apt-get install -y libreoffice-calc)", file=sys.stderr)
        return 2
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"LibreOffice: {version}")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="annotated-lo-") as tmp:
        work = Path(tmp)
        workbooks = args.workbooks or sample_workbooks(work)
        for n, workbook in enumerate(workbooks):
            try:
                problems = check(soffice, workbook, work / f"check-{n}")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                problems = [str(exc)]
                print(f"FAIL {workbook.name}")
            for problem in problems:
                print(f"     {problem}")
            failures += bool(problems)
    print(f"{len(workbooks) - failures} of {len(workbooks)} workbooks passed")
    return 1 if failures or not workbooks else 0


if __name__ == "__main__":
    sys.exit(main())
