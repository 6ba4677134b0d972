# Two commands: `make run` and `make test`. Both create .venv and install the project first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test soak lint bench render check clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/kiosk run --windowed --content content

test: $(STAMP)
	@# the content-distribution test runs a real rsync (Debian package; installed when root)
	@command -v rsync >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && apt-get install -y -qq rsync) >/dev/null 2>&1; } || true
	$(BIN)/ruff check kiosk tests bench tools
	SDL_VIDEODRIVER=offscreen $(BIN)/python -m pytest -q

soak: $(STAMP)
	SDL_VIDEODRIVER=offscreen $(BIN)/python -m pytest -q -m slow -s tests/test_soak.py

check: $(STAMP)
	$(BIN)/kiosk check content

bench: $(STAMP)
	$(BIN)/python -m bench

render: $(STAMP)
	SDL_VIDEODRIVER=offscreen $(BIN)/kiosk render --out shots --content content

clean:
	rm -rf $(VENV) shots .pytest_cache
