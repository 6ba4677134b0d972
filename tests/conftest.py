"""Test set-up: Kivy renders offscreen, in one window per test process, on a fake clock.

This runs before any test module imports Kivy, so the environment below is
what Kivy sees when it starts.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # SDL's mixer plays (silently) without a sound card
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
os.environ["KIVY_LOG_MODE"] = "MIXED"
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kiosk-kivy-home-"))
# defaults such as ~/.local/state/kiosk must not reach the real home folder
os.environ["HOME"] = tempfile.mkdtemp(prefix="kiosk-test-home-")
# Pictures are decoded once per test run: every test process (pytest-xdist's workers
# inherit the environment) keeps its decoded pictures in one folder, found by content hash.
IMAGE_CACHE = os.environ.setdefault("KIOSK_TEST_IMAGE_CACHE",
                                    tempfile.mkdtemp(prefix="kiosk-test-images-"))
os.makedirs(os.path.join(os.environ["HOME"], ".cache"))
os.symlink(IMAGE_CACHE, os.path.join(os.environ["HOME"], ".cache", "kiosk"))  # the default
# nothing a test run leaves behind goes into the source tree
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      tempfile.mkdtemp(prefix="kiosk-test-hypothesis-"))

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
sys.path.insert(0, str(TESTS))

import pytest  # noqa: E402

from kiosk.images.verify import checks_file, remember_in  # noqa: E402

# As the kiosk does at start (kiosk/ui/boot.py): the answers of the picture checks are
# kept in the cache folder, so a picture proven once (path, size and modification time
# unchanged) is not decoded again by the next loader; the demo exhibition is loaded by
# hundreds of tests. (A test can still make its own ``PictureChecks(file=...)``.)
remember_in(checks_file(IMAGE_CACHE))


@pytest.fixture
def demo_content() -> Path:
    return ROOT / "content"


# The demo's key screens: what the render matrix and the golden pictures look at.
KEY_ROUTES = ["home", "section/history", "section/centers", "exhibit/centers/platform",
              "exhibit/achievements/services", "section/honors", "section/gallery",
              "photo/gallery/1"]
DEMO_SIZES = {"portrait": (540, 960), "landscape": (960, 540)}
# Tests that read the demo's rendered screens: they run first, one after the other (see
# pytest_collection_modifyitems), so they share one rendering.
DEMO_RENDER = pytest.mark.xdist_group("demo-render")


def pytest_collection_modifyitems(config, items):
    """The tests that read the demo rendered once (``demo_render``) go first. pytest-xdist's
    load scheduling (`make test`: three processes) starts each process on a run of many
    consecutive tests, so they all land in the first process and the rendering is done
    once, early, while the second process works through the next tests. (pytest-xdist's
    ``--dist loadgroup`` would say the same with the ``xdist_group`` mark, but it does not
    group with pytest 9.)"""
    first = [item for item in items if item.get_closest_marker("xdist_group") is not None]
    if first:
        items[:] = first + [item for item in items if item.get_closest_marker("xdist_group") is None]


# Every route of the demo is rendered in each language and each orientation (Chinese
# portrait, English landscape), and the key screens in every combination of portrait and
# landscape × zh and en × normal and 大字.
EVERY_ROUTE_COMBOS = [(DEMO_SIZES["portrait"], "zh", False), (DEMO_SIZES["landscape"], "en", False)]
KEY_COMBOS = [(size, lang, large) for size in DEMO_SIZES.values() for lang in ("zh", "en")
              for large in (False, True)]


def error_lines(entries) -> list[str]:
    """The errors found on rendered pictures (entries of index.json), a line each."""
    return [f"{e['file']}: {f['kind']} {f['widget']['class']} '{f['widget']['text']}': "
            f"{f['message']}" for e in entries for f in e["findings"] if f["level"] == "error"]


@pytest.fixture(scope="session")
def demo_render(tmp_path_factory):
    """`kiosk render` of the demo exhibition on the party-red theme, once per test run (540x960
    and 960x540: the same layout code as 1080x1920 at a quarter of the pixels): every route
    in EVERY_ROUTE_COMBOS, the key screens in KEY_COMBOS. Returns (folder, {(route, (w, h),
    lang, large): entry of index.json}, {combo: exit code of the render that drew it}); read
    it, do not change it."""
    from kiosk.config import Config
    from kiosk.content.loader import load_content
    from kiosk.theme import load_theme
    from kiosk.ui.navigation import all_routes
    from kiosk.ui.render import render_all

    config = Config(base_dir=ROOT)
    theme, problems = load_theme(config.theme_dir)
    assert problems == []
    content = load_content(ROOT / "content")
    out = tmp_path_factory.mktemp("demo-render")
    codes = {}  # one app renders each group of combinations
    others = [c for c in KEY_COMBOS if c not in EVERY_ROUTE_COMBOS]
    for combos, routes in ((EVERY_ROUTE_COMBOS, all_routes(content)), (others, KEY_ROUTES)):
        code = render_all(config, theme, content, out=out, routes=routes, combos=combos,
                          verbose=False)
        codes.update(dict.fromkeys(combos, code))
    index = json.loads((out / "index.json").read_text("utf-8"))
    entries = {(e["route"], tuple(e["size"]), e["lang"], e["large_text"]): e
               for e in index["pictures"]}
    return out, entries, codes


@pytest.fixture
def kiosk(request, tmp_path):
    """Start the kiosk app on a content tree and drive it like a visitor.

    Use ``kiosk.start(content_dir, size=(1080, 1920), **config)``; the app is
    stopped after the test.
    """
    from pilot import Pilot

    pilot = Pilot(tmp_path, whole_settles=request.node.get_closest_marker("whole_settles") is not None,
                  draws=request.node.get_closest_marker("draws") is not None,
                  prepares_page=request.node.get_closest_marker("prepares_page") is not None)
    yield pilot
    pilot.stop()


@pytest.fixture(autouse=True)
def _event_loop_outlives_apps():
    """Stopping an app marks Kivy's event loop as quitting, which stops layout and drawing
    for widgets a later test builds without an app. The window lives on, so does the loop."""
    yield
    base = sys.modules.get("kivy.base")
    if base is not None:
        base.EventLoop.quit = False


@pytest.fixture(autouse=True)
def _no_recovery_notices_from_earlier_tests():
    """Damaged files set aside are remembered for the admin panel for the whole process:
    what one test set aside must not show up in the next test's panel."""
    from kiosk import recovery

    recovery.clear()
    yield
