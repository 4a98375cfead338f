# Two commands do everything on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv fonts clean bench

venv: $(STAMP)

# Reinstall only when the dependency list changes (the stamp is newer than pyproject.toml otherwise).
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 (or run make PYTHON=python3)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

# A CJK font so that Japanese and Chinese chart labels render (apt, only when missing).
fonts:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    (apt-get install -y -q fonts-noto-cjk >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q fonts-noto-cjk >/dev/null)) \
	      || echo "warning: could not install fonts-noto-cjk; charts fall back to a font without CJK glyphs"; \
	  else echo "warning: fonts-noto-cjk missing and apt-get unavailable; install a CJK font for chart labels"; fi; }

demo: venv fonts
	$(BIN)/python -m runri_monitor.demo

test: venv fonts
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .

bench: venv
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) data/demo
