"""Shaping the pipeline's DataFrames into exactly what the load's SQL reads.

Everything row-wise happens here, in pandas, before the transaction opens: names
normalised, timestamps made time-zone aware, quality details turned into text.
The SQL then only joins and appends.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime

import pandas as pd

from budget_etl.parsers.staging import map_values
from budget_etl.warehouse.names import normalise_name

#: What prepare_files and prepare_quality need of the pipeline's frames (staging's files table and the quality
#: results carry more).
REQUIRED_FILE_COLUMNS = [
    "file_key", "path", "sha256", "format", "status", "template", "department_name",
    "fiscal_year", "project_name", "error_code", "error_message", "received_at",
]
REQUIRED_QUALITY_COLUMNS = [
    "file_key", "suite", "expectation", "severity", "success", "observed", "source_cells", "message",
]
#: The file statuses the warehouse records: a ``duplicate`` changes nothing, so it is never recorded.
RECORDED_STATUSES = ("loaded", "quarantined", "rejected")


def submission_id(run_id: str, file_key: int) -> str:
    """Readable and unique: run ids are unique, file keys are unique within a run."""
    return f"{run_id}-{int(file_key):04d}"


def generic_identity(files: pd.DataFrame, spelled: Callable[[str], str] = lambda path: path) -> pd.Series:
    """A generic submission's identity: its file's path (no department, year or project tells two apart); NULL for
    every family. ``spelled``: how the path is written. The pipeline gives its absolute spelling
    (flows.files.absolute_path_text: '../inbox/a.xlsx' and '/data/inbox/a.xlsx' are one file); the warehouse,
    which does not import the flows, keeps the path a direct caller of ``load_run`` gives."""
    generic = files["template"] == "generic"
    return pd.Series([spelled(path) if g else None for path, g in zip(files["path"], generic)],
                     index=files.index, dtype=object)


def prepare_files(run_id: str, files: pd.DataFrame) -> pd.DataFrame:
    """One row per file with the submission's id, its normalised identity and UTC timestamps."""
    _require(files, REQUIRED_FILE_COLUMNS, "files")
    bad = sorted(set(files["status"]) - set(RECORDED_STATUSES))
    if bad:
        raise ValueError(f"files: status must be one of {RECORDED_STATUSES}, got {bad}")
    if files["file_key"].duplicated().any():
        raise ValueError("files: file_key must be unique within a run")
    files = files.reset_index(drop=True)  # the columns built below must align row by row
    out = pd.DataFrame({
        "file_key": files["file_key"].astype("int64"),
        "submission_id": [submission_id(run_id, k) for k in files["file_key"]],
        "source_path": files["path"].astype(object),
        "source_sha256": files["sha256"].astype(object),
        "source_format": _strings(files["format"]),
        "status": files["status"].astype(object),
        "template": _strings(files["template"]),
        "department_name": map_values(files["department_name"], _normalised),
        "department_name_raw": _strings(files["department_name"]),
        "fiscal_year": pd.array(files["fiscal_year"], dtype="Int64"),
        "project_name": map_values(files["project_name"], _normalised),
        "error_code": _strings(files["error_code"]),
        "error_message": _strings(files["error_message"]),
        "received_at": _as_utc(files["received_at"]),
        # the absolute path the pipeline gives (generic_identity with flows.files.absolute_path_text), else the
        # path as given
        "identity_path": (files["identity_path"].astype(object) if "identity_path" in files
                          else generic_identity(files)),
        # a self-evaluation's plan amounts repeat its target table's: v_budget leaves them out
        "restates_plan": (files["restates_plan"].fillna(False).astype(bool) if "restates_plan" in files
                          else pd.Series(False, index=files.index)),
    })
    return out.sort_values("file_key", kind="stable").reset_index(drop=True)


def prepare_quality(quality: pd.DataFrame) -> pd.DataFrame:
    """quality_results rows; observed/expected/source_cells become text whatever GX gave."""
    if quality is None or quality.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REQUIRED_QUALITY_COLUMNS + ["expected"]})
    _require(quality, REQUIRED_QUALITY_COLUMNS, "quality")
    quality = quality.reset_index(drop=True)
    out = pd.DataFrame({
        "file_key": pd.array(quality["file_key"], dtype="Int64"),
        "suite": quality["suite"].astype(object),
        "expectation": quality["expectation"].astype(object),
        "severity": quality["severity"].astype(object),
        "success": quality["success"].astype(bool),
        "observed": map_values(quality["observed"], as_text),
        "source_cells": map_values(quality["source_cells"], as_text),
        "message": map_values(quality["message"], as_text),
        "expected": (map_values(quality["expected"], as_text) if "expected" in quality
                     else pd.Series([None] * len(quality), index=quality.index)).astype(object),
    })
    return out.reset_index(drop=True)


def as_text(value) -> str | None:
    """A quality detail as text: lists comma-joined (cell lists), mappings as JSON."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def _normalised(value) -> str | None:
    return normalise_name(value) if isinstance(value, str) else None


def _strings(series: pd.Series) -> pd.Series:
    """The strings of a column as they are; anything else (None, NaN, pd.NA) becomes None (SQL NULL)."""
    return map_values(series, lambda v: v if isinstance(v, str) else None)


def _as_utc(series: pd.Series) -> pd.Series:
    """mtimes as UTC; a naive datetime is local time (what ``datetime.fromtimestamp`` gives)."""
    def one(value):
        if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            return pd.NaT
        if isinstance(value, (int, float)):  # epoch seconds, as os.stat().st_mtime
            return pd.Timestamp(value, unit="s", tz="UTC")
        moment = pd.Timestamp(value).to_pydatetime()
        if moment.tzinfo is None:
            moment = moment.astimezone()
        return pd.Timestamp(moment).tz_convert("UTC")
    return pd.Series([one(v) for v in series], dtype="datetime64[us, UTC]")


def as_utc_datetime(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone() if value.tzinfo is None else value


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {missing}")
