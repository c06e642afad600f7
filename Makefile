# The two commands of the README. Both build what they need from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	./.ci/system-deps
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Until the web app exists: render every example assessment to a PDF and print where it is.
run: $(STAMP)
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

clean:
	rm -rf $(VENV) build *.egg-info out
