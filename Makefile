# The two commands of the README. Both build what they need from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# The lock files: exact versions with hashes, compiled from setup.cfg by `make lock` (DESIGN §10).
RUN_LOCK := requirements-run.txt
TEST_LOCK := requirements-test.txt
UV_VERSION := 0.13.9
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: run test lint bench clean examples lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly what the lock names (pip, setuptools and wheel included), then the project itself
# without touching its dependencies.
$(RUN_STAMP): $(BIN)/python $(RUN_LOCK) setup.cfg pyproject.toml
	./.ci/system-deps
	$(PIP_INSTALL) --require-hashes -r $(RUN_LOCK)
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(BIN)/python $(TEST_LOCK) setup.cfg pyproject.toml
	./.ci/system-deps
	$(PIP_INSTALL) --require-hashes -r $(TEST_LOCK)
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $(TEST_STAMP) $(RUN_STAMP)

# Re-resolve setup.cfg against today's releases; commit the two files once `make test` passes.
lock: $(BIN)/python
	$(PIP_INSTALL) uv==$(UV_VERSION)
	printf 'pip\nsetuptools>=68\nwheel\n' > $(VENV)/build.in
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --upgrade \
	  --custom-compile-command 'make lock' setup.cfg $(VENV)/build.in -o $(RUN_LOCK)
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --upgrade \
	  --custom-compile-command 'make lock' --extra test setup.cfg $(VENV)/build.in \
	  --constraint $(RUN_LOCK) -o $(TEST_LOCK)

HOST ?= 127.0.0.1
PORT ?= 5000
# Links (invitations, share links, the workshop's QR code) name the address phones can reach:
# with HOST=0.0.0.0, this machine's LAN address; the app trusts it, localhost and 127.0.0.1.
LAN_ADDRESS = $(shell ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -1)
ADDRESS = $(if $(filter 0.0.0.0,$(HOST)),$(or $(LAN_ADDRESS),$(firstword $(shell hostname -I 2>/dev/null)),127.0.0.1),$(HOST))

# Migrate the SQLite database in instance/, seed the demo consultancy (its log-in is printed) and serve.
run: export PLANNER_BASE_URL ?= http://$(ADDRESS):$(PORT)
run: export PLANNER_TRUSTED_HOSTS ?= ["$(ADDRESS)", "localhost", "127.0.0.1"]
run: $(RUN_STAMP)
	$(BIN)/planner db upgrade
	$(BIN)/planner demo seed
	@echo "Serving on $$PLANNER_BASE_URL  (Ctrl-C to stop; HOST=0.0.0.0 for a workshop on the local network)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 8 --access-logfile - \
	  --logger-class planner.accesslog.RedactingLogger 'planner:create_app()'

# Render every example answers file to a PDF and print where it is.
examples: $(RUN_STAMP)
	@mkdir -p out
	@for f in examples/*.yaml; do \
	  $(BIN)/planner report "$$f" -o "$(CURDIR)/out/$$(basename "$$f" .yaml).pdf" || exit 1; \
	done

lint: $(TEST_STAMP)
	$(BIN)/ruff check planner tests bench
	$(BIN)/ruff format --check planner tests bench

test: $(TEST_STAMP)
	$(BIN)/ruff check planner tests bench
	$(BIN)/ruff format --check planner tests bench
	$(BIN)/mypy planner
	$(BIN)/pytest

bench: $(TEST_STAMP)
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) build *.egg-info out
