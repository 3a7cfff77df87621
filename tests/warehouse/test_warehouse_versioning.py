"""A corrected file of the same identity becomes a new current version; history stays queryable."""
import pytest
from warehouse_factory import FileSpec, department_submission, make_run, project_submission, table_counts


def _versions(wh):
    return wh.query("SELECT submission_id, version, is_current, superseded_by FROM submissions "
                    "WHERE status = 'loaded' ORDER BY submission_id")[1]


def _total(wh):
    return wh.query("SELECT amount_wan FROM v_budget WHERE item_path = '资金总额' AND project_name IS NULL")[1]


@pytest.mark.parametrize("resent_name", ["苏州市总工会（本级）", "苏州市总工会(本级)", " 苏州市总工会 （本级）"])
def test_a_resent_file_becomes_the_current_version(wh, resent_name):
    make_run("r1", [FileSpec(department_submission(total="1363.41"))]).load_into(wh)
    result = make_run("r2", [FileSpec(department_submission(resent_name, total="1400"))]).load_into(wh)
    assert (int(result.version[0]), bool(result.is_current[0])) == (2, True)
    assert _versions(wh) == [("r1-0001", 1, False, "r2-0001"), ("r2-0001", 2, True, None)]
    assert [str(v) for (v,) in _total(wh)] == ["1400.000000"]
    # the earlier version's facts stay queryable
    assert wh.query("SELECT count(*) FROM fact_budget WHERE submission_id = 'r1-0001'")[1] == [(8,)]


@pytest.mark.parametrize("other", [
    dict(year=2024), dict(name="苏州市教育局"),
])
def test_a_different_identity_is_a_separate_chain(wh, other):
    make_run("r1", [FileSpec(department_submission())]).load_into(wh)
    make_run("r2", [FileSpec(department_submission(**other))]).load_into(wh)
    assert _versions(wh) == [("r1-0001", 1, True, None), ("r2-0001", 1, True, None)]


def test_projects_of_one_department_are_separate_identities(wh):
    make_run("r1", [FileSpec(project_submission(project="甲项目")), FileSpec(project_submission(project="乙项目")),
                    FileSpec(department_submission())]).load_into(wh)
    make_run("r2", [FileSpec(project_submission(project="甲项目", total="30"))]).load_into(wh)
    assert _versions(wh) == [("r1-0001", 1, False, "r2-0001"), ("r1-0002", 1, True, None),
                             ("r1-0003", 1, True, None), ("r2-0001", 2, True, None)]


def test_two_files_of_one_identity_in_one_run_load_as_successive_versions_in_file_order(wh):
    make_run("r0", [FileSpec(department_submission(total="1000"))]).load_into(wh)
    run = make_run("r1", [FileSpec(department_submission(total="1100"), path="/inbox/a.txt"),
                          FileSpec(project_submission()),
                          FileSpec(department_submission(total="1200"), path="/inbox/b.txt")])
    result = run.load_into(wh)
    assert [(int(v), bool(c)) for v, c in zip(result.version, result.is_current)] == [(2, False), (1, True), (3, True)]
    assert _versions(wh) == [("r0-0001", 1, False, "r1-0001"), ("r1-0001", 2, False, "r1-0003"),
                             ("r1-0002", 1, True, None), ("r1-0003", 3, True, None)]
    assert [str(v) for (v,) in _total(wh)] == ["1200.000000"]


@pytest.mark.parametrize("status", ["quarantined", "rejected"])
def test_quarantined_and_rejected_files_never_become_current(wh, status):
    make_run("r1", [FileSpec(department_submission(total="1000"))]).load_into(wh)
    make_run("r2", [FileSpec(department_submission(total="9999"), status=status)]).load_into(wh)
    assert _versions(wh) == [("r1-0001", 1, True, None)]
    assert [str(v) for (v,) in _total(wh)] == ["1000.000000"]
    # and a later good file is version 2: failed files take no version number
    make_run("r3", [FileSpec(department_submission(total="1100"))]).load_into(wh)
    assert _versions(wh)[-1] == ("r3-0001", 2, True, None)


@pytest.mark.parametrize("view", ["v_budget", "v_targets"])
def test_views_show_only_current_versions(wh, view):
    make_run("r1", [FileSpec(department_submission())]).load_into(wh)
    single = wh.query(f"SELECT count(*) FROM {view}")[1]
    make_run("r2", [FileSpec(department_submission(total="1400"))]).load_into(wh)
    assert wh.query(f"SELECT count(*) FROM {view}")[1] == single
    assert wh.query(f"SELECT DISTINCT source_path FROM {view}")[1] == [("/inbox/r2/file-001.txt",)]


def test_loaded_sha256_finds_only_loaded_submissions(wh):
    make_run("r1", [FileSpec(department_submission(), sha256="a" * 64),
                    FileSpec(department_submission("苏州市教育局"), status="quarantined", sha256="b" * 64),
                    FileSpec(None, status="rejected", sha256="c" * 64)]).load_into(wh)
    assert wh.loaded_sha256(["a" * 64, "b" * 64, "c" * 64, "d" * 64]) == {"a" * 64: "r1-0001"}
    assert wh.loaded_sha256([]) == {}


def test_bytes_loaded_again_after_a_newer_version_still_count_as_loaded(wh):
    make_run("r1", [FileSpec(department_submission(), sha256="a" * 64)]).load_into(wh)
    make_run("r2", [FileSpec(department_submission(total="1400"), sha256="e" * 64)]).load_into(wh)
    assert wh.loaded_sha256(["a" * 64]) == {"a" * 64: "r1-0001"}


def test_a_run_of_only_duplicates_changes_no_submission(wh):
    make_run("r1", [FileSpec(department_submission(), sha256="a" * 64)]).load_into(wh)
    before = table_counts(wh.connection)
    # the pipeline drops the duplicate and records only the run
    run = make_run("r2", [])
    run.run.files_seen, run.run.files_skipped = 1, 1
    run.load_into(wh)
    after = table_counts(wh.connection)
    assert after == {**before, "ingest_runs": before["ingest_runs"] + 1}
    assert _versions(wh) == [("r1-0001", 1, True, None)]
