# Two commands: `make run` and `make test`. Both create .venv and install the project first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# command:Debian package, for the end-to-end tests
DEB_TOOLS := rsync:rsync syncthing:syncthing Xvfb:xvfb xwininfo:x11-utils xdotool:xdotool \
  chromium:chromium chromedriver:chromium-driver cage:cage Xwayland:xwayland openbox:openbox \
  systemd-analyze:systemd espeak-ng:espeak-ng

.PHONY: run test soak lint bench render review golden screenshots check clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# (no byte-compiling of every installed module: what is imported is compiled when first imported)
	$(BIN)/python -m pip install -q --no-compile -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/kiosk run --windowed --content content

test: $(STAMP)
	@# end-to-end tests use real tools from Debian (installed when root and missing):
	@# rsync and syncthing (content distribution), Xvfb, xwininfo and xdotool (the real
	@# window, taps, signals; openbox: under a window manager), cage and Xwayland (the Wayland unit), systemd-analyze (the
	@# units), chromium and chromedriver (web pages)
	@missing=""; for t in $(DEB_TOOLS); do command -v $${t%%:*} >/dev/null || missing="$$missing $${t##*:}"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null 2>&1 || true; fi
	$(BIN)/ruff check kiosk tests bench tools
	@# three test processes, each with its own window: the two cores both work, also while
	@# one process waits for a real X server, browser or sync tool
	SDL_VIDEODRIVER=offscreen $(BIN)/python -m pytest -q -n 3

soak: $(STAMP)
	SDL_VIDEODRIVER=offscreen $(BIN)/python -m pytest -q -m slow -s tests/test_soak.py

CONTENT ?= content
check: $(STAMP)
	$(BIN)/kiosk check $(CONTENT)

bench: $(STAMP)
	$(BIN)/python -m bench

render: $(STAMP)
	SDL_VIDEODRIVER=offscreen $(BIN)/kiosk render --out shots --content content

# every route x portrait/landscape x zh/en x normal/大字 x every theme, with the findings;
# open shots/review/review.html (exits 1 while any screen has an error). About 1,000 pictures:
# tens of minutes at 1080x1920; `make review REVIEW_SIZE=540x960` is about four times faster
REVIEW_SIZE ?= 1080x1920
review: $(STAMP)
	SDL_VIDEODRIVER=offscreen $(BIN)/kiosk render --matrix --size $(REVIEW_SIZE) --out shots/review \
	  --content content --sheet shots/review/review.html

# store the key screens as the reference pictures of tests/test_golden.py (look at them first)
golden: $(STAMP)
	KIOSK_GOLDEN=update SDL_VIDEODRIVER=offscreen $(BIN)/python -m pytest -q tests/test_golden.py

# the README's pictures (docs/screenshots), taken again by `kiosk render`
screenshots: $(STAMP)
	SDL_VIDEODRIVER=offscreen $(BIN)/python tools/readme_screenshots.py

clean:
	rm -rf $(VENV) shots .pytest_cache
