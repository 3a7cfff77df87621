"""What a run keeps of a submission once it is staged: its header, none of its records. Every list of a
ParsedSubmission grows with its file; one added later and left out of ``without_records`` would be kept for the
whole chunk (the disclosure lines were, until this test)."""
from dataclasses import fields

from budget_etl.flows.chunks import _header
from budget_etl.parsers.records import FileResult, ParsedSubmission

RECORD_LISTS = [f.name for f in fields(ParsedSubmission) if str(f.type).startswith("list[")]


def test_a_header_keeps_the_identity_and_drops_every_record():
    assert "disclosure" in RECORD_LISTS
    parsed = ParsedSubmission("budget_disclosure", "某局", 2024, attributes={"title": "2024年收支总表"},
                              sources={"department_name": ("封面", "B3")})
    for name in RECORD_LISTS:
        getattr(parsed, name).append(object())
    header = _header(FileResult(key=3, path="a.xlsx", sha256="x", size=1, parsed=parsed, issues=[object()]))
    assert [name for name in RECORD_LISTS if getattr(header.parsed, name)] == [] and header.issues == []
    assert (header.parsed.template, header.parsed.department_name, header.parsed.fiscal_year,
            header.parsed.attributes, header.parsed.sources) == (
        "budget_disclosure", "某局", 2024, {"title": "2024年收支总表"}, {"department_name": ("封面", "B3")})
    assert len(parsed.disclosure) == 1  # the original is not changed


def test_a_parsed_result_keeps_the_runs_one_copy_of_its_path_and_hash():
    """A worker sends back equal copies of the path and hash; the run keeps them to its end (memory, issue 18),
    so the router puts the planned objects in their place, unless the file changed since it was hashed."""
    import pickle

    from budget_etl.flows.chunks import ChunkRouter
    from budget_etl.flows.pipeline import ParsedRun

    planned = [FileResult(key=k, path=f"/in/{k:03d}-项目.xlsx", sha256=f"{k:064x}", size=1) for k in range(2)]
    run = ParsedRun(run_id="r", started_at=None, results=planned, duplicates=[], next_key=2)
    router = ChunkRouter(run, chunk_files=10)
    same, changed = (pickle.loads(pickle.dumps(r)) for r in planned)  # as a worker's result arrives
    changed.sha256 = "f" * 64
    assert same.path is not planned[0].path
    list(router.add(same))
    (chunk,) = router.add(changed)
    first, second = chunk.results
    assert first.path is planned[0].path and first.sha256 is planned[0].sha256
    assert second.path is planned[1].path and second.sha256 == "f" * 64
    assert chunk.staging.files["sha256"].tolist() == [f"{0:064x}", "f" * 64]
