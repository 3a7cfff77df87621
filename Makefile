# The two commands of the README: `make run` and `make test`.
# Everything installs into .venv/ with the exact working set pinned in constraints.txt.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test venv clean bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=/path/to/python3.11)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@

venv: $(STAMP)

## make run: set up, ingest samples/ into ./warehouse.duckdb, write the run report, show a query.
run: $(STAMP)
	@# Exit 1 means "some files were quarantined or rejected, the good ones are loaded":
	@# samples/ holds one bad submission on purpose, to show the quality gate. Exit 2 is a real failure.
	@$(BIN)/budget-etl ingest samples/ --db warehouse.duckdb --reports reports --quarantine quarantine; \
	  status=$$?; if [ $$status -gt 1 ]; then exit $$status; fi
	@echo
	@echo "Example query: budget per department and direction (current versions)"
	@$(BIN)/budget-etl query --db warehouse.duckdb \
	  "select department_name, fiscal_year, direction, period, sum(amount_wan) as total_wan from v_budget where item_path in ('资金总额', '基本支出', '项目支出') group by all order by all"

## make test: set up with the test extras and run the whole suite.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) warehouse.duckdb reports quarantine .pytest_cache
