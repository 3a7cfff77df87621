# The two commands of the README: `make run` and `make test`.
# Everything installs into .venv/ with the exact working set pinned in constraints.txt.
# python3.11 if there is one, else python3 (checked below to be 3.11 or newer).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3.11)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

LINT_PATHS := flows parsers expectations warehouse budget_etl tests benchmarks scripts

.PHONY: run test lint venv clean bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=/path/to/python3.11)"; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "error: $(PYTHON) is older than Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(STAMP): $(BIN)/python pyproject.toml setup.py constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

venv: $(STAMP)

## make run: set up, ingest samples/ into ./warehouse.duckdb, write the run report, show queries (target attainment last).
run: $(STAMP)
	@# Exit 1 means "some files were quarantined or rejected, the good ones are loaded". samples/ holds one bad
	@# submission on purpose (*sums-do-not-add-up*), to show the gate: accept that one, and no other failure.
	@$(BIN)/budget-etl ingest samples/ --db warehouse.duckdb --reports reports --quarantine quarantine; \
	  status=$$?; if [ $$status -gt 1 ]; then exit $$status; fi
	@unexpected=$$($(BIN)/budget-etl query --db warehouse.duckdb "select count(*) from v_load_history \
	  where run_id = (select run_id from ingest_runs order by started_at desc limit 1) \
	  and status <> 'loaded' and source_path not like '%sums-do-not-add-up%'"); \
	  if [ "$$unexpected" != "0" ]; then echo "error: $$unexpected sample(s) failed unexpectedly (see the report)"; exit 1; fi
	@echo
	@echo "Example query: each department table's funds and spending (current versions)"
	@$(BIN)/budget-etl query --db warehouse.duckdb \
	  "select department_name, fiscal_year, income_total_wan, expense_half_year_wan, expense_full_year_wan, project_expense_items from v_department_year_totals order by all"
	@echo
	@echo "Example query: the disclosure workbook's spending by function class (类), basic vs project, 万元"
	@$(BIN)/budget-etl query --db warehouse.duckdb \
	  "select department_name, fiscal_year, class_code, class_name, sum(basic_wan) as basic_wan, sum(project_wan) as project_wan, sum(total_wan) as total_wan from v_disclosure_spending where funds = 'all' and level = 3 group by all order by all"
	@echo
	@echo "Year-end families loaded (self-evaluations 绩效自评表, evaluation forms 绩效评价表)"
	@$(BIN)/budget-etl query --db warehouse.duckdb \
	  "select template, department_name, fiscal_year, project_name, version from submissions where status = 'loaded' and is_current and template in ('project_self_evaluation', 'department_self_evaluation', 'project_evaluation') order by all"
	@echo
	@echo "Target attainment: each self-evaluated indicator against its target table's target"
	@$(BIN)/budget-etl query --db warehouse.duckdb \
	  "select coalesce(project_name, department_name) as of, level3, coalesce(target_raw, self_stated_target_raw) as target, actual_raw as actual, target_met, cast(score as decimal(6, 2)) as score, cast(max_score as decimal(6, 2)) as max_score from v_target_attainment where result_template like '%self_evaluation' order by of, level3"

## make test: set up with the test extras, lint, type-check and run the whole suite.
test: lint $(TEST_STAMP)
	@# pytest, not `python -m pytest`: that would put the checkout first on sys.path, where flows/, parsers/ … 
	@# pass for top-level packages; only budget_etl.* may be importable.
	$(BIN)/pytest $(PYTEST_ARGS)

## make lint: ruff over every Python folder, mypy over the packages pyproject's [tool.mypy] names.
## `.venv/bin/python -m ruff check --fix $(LINT_PATHS)` sorts imports and fixes what it safely can.
lint: $(TEST_STAMP)
	$(BIN)/python -m ruff check $(LINT_PATHS)
	$(BIN)/python scripts/typecheck.py

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) warehouse.duckdb reports quarantine .pytest_cache
