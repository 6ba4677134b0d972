"""Test set-up: Kivy renders offscreen, in one window per test process, on a fake clock.

This runs before any test module imports Kivy, so the environment below is
what Kivy sees when it starts.
"""

from __future__ import annotations

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

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
sys.path.insert(0, str(TESTS))

import pytest  # noqa: E402


@pytest.fixture
def demo_content() -> Path:
    return ROOT / "content"


@pytest.fixture
def kiosk(request, tmp_path):
    """Start the kiosk app on a content tree and drive it like a visitor.

    Use ``kiosk.start(content_dir, size=(1080, 1920), **config)``; the app is
    stopped after the test.
    """
    from pilot import Pilot

    pilot = Pilot(tmp_path)
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
