# The two commands of the README. Both build what they need from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean examples

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	./.ci/system-deps
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 5000

# Migrate the SQLite database in instance/, seed the demo consultancy (its log-in is printed) and serve.
run: $(STAMP)
	$(BIN)/planner db upgrade
	PLANNER_BASE_URL=http://$(HOST):$(PORT) $(BIN)/planner demo seed
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop; HOST=0.0.0.0 for a workshop on the local network)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 8 --access-logfile - 'planner:create_app()'

# Render every example answers file to a PDF and print where it is.
examples: $(STAMP)
	@mkdir -p out
	@for f in examples/*.yaml; do \
	  $(BIN)/planner report "$$f" -o "$(CURDIR)/out/$$(basename "$$f" .yaml).pdf" || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check planner tests bench
	$(BIN)/ruff format --check planner tests bench

test: $(STAMP)
	$(BIN)/ruff check planner tests bench
	$(BIN)/ruff format --check planner tests bench
	$(BIN)/mypy planner
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) build *.egg-info out
