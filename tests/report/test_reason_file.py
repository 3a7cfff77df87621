"""The quarantine reason file: each failed check with observed vs expected and the cells, in plain UTF-8 text."""
from budget_etl.flows.report import reason_file_text

HOSTILE = "<script>alert(1)</script>"


def _reason_text(summary):
    quarantined = summary.files[1]
    rows = summary.quality[summary.quality["path"] == quarantined.path]
    return reason_file_text(quarantined, rows)


def test_each_failed_check_is_listed_with_observed_expected_and_cells(summary):
    text = _reason_text(summary)
    assert "Failed checks (each blocks the load): 2" in text
    assert "1. [reconcile] funds_total_reconciles" in text
    assert "   Observed: 1400\n   Expected: 1363.41 = 财政拨款 1363.41 + 国有资本金 0\n   Cells:    Sheet1!E13, Sheet1!F14" in text
    assert "2. [targets] quantitative_target_readable" in text
    assert "Cells:    Sheet1!F70" in text


def test_passed_checks_are_not_listed(summary):
    assert "year_plausible" not in _reason_text(summary)


def test_it_names_the_file_and_submission(summary):
    text = _reason_text(summary)
    assert f"File:        /in/{HOSTILE}.txt" in text
    assert "sha256:      " + "b" * 64 in text
    assert "Year:        2023" in text
    assert text.encode("utf-8").decode("utf-8") == text and text.endswith("\n")


def test_warnings_get_their_own_section(summary):
    loaded = summary.files[0]
    text = reason_file_text(loaded, summary.quality[summary.quality["path"] == loaded.path])
    assert "Failed checks (each blocks the load): 0" in text
    assert "Warnings (reported, would not block the load): 1" in text
    assert "rate_percent_within_0_100" in text and "Observed: =120%" in text


def test_the_findings_split_once_per_run_give_each_file_the_same_text(summary):
    """A run's quarantine copies sort and split the failed rows once (failed_by_path): each file's reason file
    says what the file's own rows give."""
    from budget_etl.flows.report import failed_by_path

    split = failed_by_path(summary.quality)
    assert set(split) == {summary.files[0].path, summary.files[1].path}  # the files with a failed or warned check
    for f in summary.files:
        own = summary.quality[summary.quality["path"] == f.path]
        assert reason_file_text(f, split.get(f.path, [])) == reason_file_text(f, own)
    assert [r["expectation"] for r in split[summary.files[1].path]] == \
        ["funds_total_reconciles", "quantitative_target_readable"]  # errors first, by suite then check
