"""One real ingest, paused between its parse half and its load half: the subprocess the concurrency tests run.

    python overlapping_ingest.py DB REPORTS QUARANTINE PATH...

Plans and parses (its duplicate look-up happens here), prints ``parsed``, waits for a line on stdin, then loads
and prints the run summary as JSON. Two of these released together overlap exactly as a scheduled serve and a
manual ingest do: both looked up the warehouse before either loaded.
"""
import json
import sys
from pathlib import Path

from budget_etl.flows.pipeline import IngestOptions, load_parsed, parse_files
from budget_etl.flows.progress import NoProgress

db, reports, quarantine, *paths = sys.argv[1:]
options = IngestOptions(db_path=Path(db), reports_dir=Path(reports), quarantine_dir=Path(quarantine),
                        workers=0, data_docs=False, lock_wait_s=120)
parsed = parse_files(paths, options, NoProgress())
print("parsed", flush=True)
sys.stdin.readline()
summary = load_parsed(parsed, options, NoProgress())
print(json.dumps(summary.to_json(), ensure_ascii=False, default=str), flush=True)
