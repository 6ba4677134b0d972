"""Drive the real kiosk app headless: start it, tap, swipe, press keys, read the screen.

The window is created once per test process and reused; the Clock runs on a
fake time source that only moves when a test advances it, so a 90-second
idle timeout takes milliseconds.
"""

from __future__ import annotations

import gc
import json
import os
from dataclasses import replace
from pathlib import Path

from kivy.config import Config as KivyConfig

for _key in [k for k, _ in KivyConfig.items("input")]:
    KivyConfig.remove_option("input", _key)
KivyConfig.set("kivy", "exit_on_escape", "0")
KivyConfig.set("graphics", "width", "1080")
KivyConfig.set("graphics", "height", "1920")

from kivy.base import EventLoop, runTouchApp  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.lang import Builder  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402
from kivy.uix.label import Label  # noqa: E402


class FakeTime:
    """Starts at the real clock's reading (so nothing already scheduled is in the past)
    and then moves only when a test says so."""

    def __init__(self):
        self.now = Clock.time() + 1.0

    def __call__(self):
        return self.now


FAKE_TIME = FakeTime()
IMAGE_CACHE = os.environ["KIOSK_TEST_IMAGE_CACHE"]  # one per test run (conftest.py)
Clock.time = FAKE_TIME
Clock._max_fps = 0
FRAME = 1 / 60


class Pilot:
    def __init__(self, tmp_path: Path, whole_settles: bool = False, draws: bool = False,
                 prepares_page: bool = False):
        self.tmp_path = tmp_path
        self.whole_settles = whole_settles
        # the exhibit page the app makes ready after start, only in tests marked
        # ``prepares_page`` (building it in every test's app cost the suite about 10 s)
        self.prepares_page = prepares_page
        # The window is drawn for the first frame (the app starts its services after it)
        # and, in tests marked ``draws`` (what the window shows, what a frame costs), for
        # the last frame of each step. Other tests read the widget tree, and pictures are
        # taken offscreen (``screenshot``): drawing the window on the software renderer is
        # most of what a frame costs, and they would never look at it.
        self.draws = draws
        self.app = None
        self.status_path = tmp_path / "status.json"

    # ---------------------------------------------------------------- life
    def start(self, content_dir, size=(540, 960), theme="party-red", **config_changes):
        from kiosk.config import CacheConfig, Config
        from kiosk.content.loader import ContentLoader
        from kiosk.theme import load_theme
        from kiosk.ui.app import KioskApp

        root = Path(__file__).resolve().parent.parent
        # no watcher unless a test starts a reloader of its own (tests/test_reload.py)
        config = Config(base_dir=root, content=str(content_dir), theme=theme,
                        status_file=str(self.status_path), cache=CacheConfig(dir=IMAGE_CACHE),
                        watch="off")
        if config_changes:
            config = replace(config, **config_changes)
        theme_obj, _ = load_theme(config.theme_dir)
        self.loader = ContentLoader(config.content_dir)
        content = self.loader.load()
        Window.size = size
        self.app = KioskApp(config, theme_obj, content, windowed=False, loader=self.loader)
        if not self.prepares_page:
            self.app.prepare_page_after = None
        self.app._run_prepare()
        if not self.whole_settles:
            _freezing_nothing()
        runTouchApp(embedded=True)
        self.frames(4, draw=False)
        self._frame(FRAME, draw=True, always=True)  # the first frame
        self.frames(1, draw=False)  # the app's other services start right after it
        return self.app

    def stop(self):
        if self.app is not None:
            try:
                self.app.stop()
            finally:
                _freezing_as_usual()
            for child in list(Window.children):
                Window.remove_widget(child)
            self.app = None
            gc.collect()  # the stopped app's widgets must not react to the next window size
            # What outlives every test (modules, the window, caches) is left out of later
            # full collections, as the kiosk's own memory trim does with its content: each
            # test's collections then look at that test's objects only.
            gc.freeze()

    # --------------------------------------------------------------- time
    def frames(self, n: int = 3, dt: float = FRAME, draw: bool = True):
        """Run ``n`` frames ``dt`` apart. Only the last one is drawn (when anything changed,
        and unless ``draw`` is False): the others do everything else a frame does (clock,
        input, layout, canvas updates). On the software renderer drawing is most of what a
        frame costs, and a test looks at the screen only after its frames."""
        for i in range(n):
            self._frame(dt, draw=draw and i == n - 1)

    def advance(self, seconds: float, step: float = 0.1):
        """Let ``seconds`` of fake time pass, a frame every ``step`` while anything moves or
        is due (an animation, a screen transition, a timer of the app); while nothing is,
        time jumps to the next timer. The last frame is drawn."""
        end = FAKE_TIME.now + seconds
        while True:
            remaining = end - FAKE_TIME.now
            if remaining <= 1e-9:
                return
            if self._animating():
                dt = min(step, remaining)
            else:
                due = _next_due()
                dt = remaining if due is None else min(remaining, max(step, due - FAKE_TIME.now))
            self._frame(dt, draw=dt >= remaining - 1e-9)

    def settle(self):
        """Let transitions and short animations finish (0.8 s of fake time)."""
        self.advance(0.8, 0.1)

    def _animating(self) -> bool:
        from kivy.animation import Animation

        if Animation._instances:
            return True
        manager = getattr(self.app, "manager", None)
        return bool(manager is not None and manager.transition.is_active)

    def _frame(self, dt: float, draw: bool, always: bool = False):
        from kiosk.ui.images import wait_idle

        FAKE_TIME.now += dt
        if draw and (self.draws or always):
            EventLoop.idle()
        else:  # EventLoop.idle() without the window's on_draw and on_flip
            Clock.tick()
            EventLoop.dispatch_input()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()
        wait_idle()  # pictures decode on threads: a test sees them finished

    # -------------------------------------------------------------- input
    def tap(self, target, settle: bool = True):
        x, y = self._point(target)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(2, draw=False)
        touch.touch_up()
        self.frames(3, draw=not settle)
        if settle:
            self.settle()

    def swipe(self, start, end, steps: int = 8, settle: bool = True):
        x0, y0 = self._point(start)
        x1, y1 = self._point(end)
        touch = UnitTestTouch(x0, y0)
        touch.touch_down()
        self.frames(1, draw=False)
        for i in range(1, steps + 1):
            touch.touch_move(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
            self.frames(1, draw=False)
        touch.touch_up()
        self.frames(2, draw=not settle)
        if settle:
            self.settle()

    def pinch(self, center, start_gap: float, end_gap: float, steps: int = 8):
        cx, cy = self._point(center)
        a = UnitTestTouch(cx - start_gap / 2, cy)
        b = UnitTestTouch(cx + start_gap / 2, cy)
        b.uid = a.uid + 1
        b.id = f"{a.id}-b"
        a.touch_down()
        b.touch_down()
        self.frames(1, draw=False)
        for i in range(1, steps + 1):
            gap = start_gap + (end_gap - start_gap) * i / steps
            a.touch_move(cx - gap / 2, cy)
            b.touch_move(cx + gap / 2, cy)
            self.frames(1, draw=False)
        a.touch_up()
        b.touch_up()
        self.frames(3)

    def key(self, key: str | int, modifiers=()):
        from kivy.core.window import Keyboard

        code = key if isinstance(key, int) else Keyboard.keycodes[key]
        text = key if isinstance(key, str) and len(key) == 1 else None
        Window.dispatch("on_key_down", code, 0, text, list(modifiers))
        self.frames(1, draw=False)
        Window.dispatch("on_key_up", code, 0)
        self.frames(2)

    def _point(self, target):
        if isinstance(target, tuple | list):
            return float(target[0]), float(target[1])
        return target.to_window(*target.center)

    # ------------------------------------------------------------- looking
    @property
    def route(self) -> str:
        return self.app.route

    @property
    def screen(self):
        return self.app.manager.current_screen

    def widgets(self, cls=None, where=None):
        where = where or self.app.root
        found = []
        for w in where.walk(restrict=True):
            if cls is None or isinstance(w, cls):
                found.append(w)
        return found

    def texts(self, where=None) -> list[str]:
        return [w.text for w in self.widgets(Label, where) if w.text]

    def find_text(self, text: str, where=None):
        """The first label (or button) showing ``text`` exactly, on the current screen or bar
        (a title or text block shows its ``raw`` text broken into lines)."""
        for w in self.widgets(Label, where):
            if (w.text == text or getattr(w, "raw", None) == text) \
                    and w.get_root_window() is not None and _shown(w):
                return w
        raise AssertionError(f"no widget shows {text!r}; shown: {self.texts(where)[:40]}")

    def status(self) -> dict:
        self.app.write_status()
        return json.loads(self.status_path.read_text(encoding="utf-8"))

    def screenshot(self, path: Path) -> Path:
        from kiosk.ui.render import save_png

        self.frames(2)
        save_png(self.app.root, path)  # as `kiosk render` does: over the window's clear colour
        return path


class _GcFreezingNothing:
    """The ``gc`` module as the memory trim sees it in a test: its collections look at
    the test's objects (what earlier tests left is frozen, see ``Pilot.stop``), and
    freezing and unfreezing do nothing. The kiosk's trim freezes what is alive and
    unfreezes it all at a content swap and when it stops: in a test process, that is every
    earlier test's objects too, and the app's objects frozen in a test would stay out of
    reach of the collection at its end. (``@pytest.mark.whole_settles`` for the tests of
    the trim's freezing itself.)"""

    def __init__(self, real):
        self._real = real

    def freeze(self):
        pass

    def unfreeze(self):
        pass

    def get_freeze_count(self):
        return 0

    def __getattr__(self, name):
        return getattr(self._real, name)


def _freezing_nothing() -> None:
    from kiosk.ui import memory

    memory.gc = _GcFreezingNothing(gc)


def _freezing_as_usual() -> None:
    from kiosk.ui import memory

    memory.gc = gc


def _next_due() -> float | None:
    """The fake time at which the Clock's next timer is due, or None."""
    due = [ev._last_dt + max(ev.timeout, 0.0) for ev in Clock.get_events() if ev.is_triggered]
    return min(due) if due else None


def _shown(widget) -> bool:
    w = widget
    while w is not None and w is not w.parent:
        if getattr(w, "opacity", 1) == 0 or getattr(w, "disabled", False):
            return False
        w = w.parent
    return True
