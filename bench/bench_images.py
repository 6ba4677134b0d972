"""Pictures and speed on a big exhibition: start-up, touch to drawn, swiping, memory.

On the generated tree of ``bench/photo_tree.py`` (2,000 exhibits, 500 photos
of 24 MP; ``--quick``: 60 photos), at 1080x1920 on the offscreen window:

- cold start: process start until Home is drawn (``kiosk run`` in a child
  process, through ``bench/first_frame.py``), and until its pictures are
  drawn too, with an empty and with a warm image cache;
- ``kiosk cache warm`` over all photos;
- touch to drawn: a tap on an exhibit card, and on a gallery thumbnail whose
  photo was seen before, until the first frame showing it (``Window.on_flip``);
- gallery swipe: frame times while swiping through 100 photos: the work of
  each turn of the event loop that drew a frame (input, layout, drawing, until
  the renderer has finished), without the sleep by which Kivy paces frames to
  60 a second (the turns with it are reported too);
- memory: RSS while visiting every photo once, and the peak; the RSS after 10, 50, 100,
  200 ... photos is read after a pause of 1.5 s (the kiosk's quiet trim has run), so that
  it says what is kept, not what the photo just shown holds for a moment.

The swipe run is done twice: without a transition over all photos (what a
visitor sees on this machine, where ``transitions: auto`` turns animation off
on a software renderer), and with the theme's slide over the first twenty. The memory run changes screens
without a transition, so that it takes minutes rather than an hour.

Writes ``bench/results/images.json``. None of this is a pass/fail test; the
goals are printed next to the figures.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import setup_kivy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZE = (1080, 1920)
QUIET_PAUSE = 1.5  # seconds: past the kiosk's quiet trim (kiosk.ui.memory.QUIET)
GOALS = {"start_warm_s": 2.0, "touch_ms": 100, "swipe_p95_ms": 33, "rss_mb": 350}


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def phase_peak_mb() -> float | None:
    """The peak RSS since the last call (Linux: VmHWM, then reset through clear_refs)."""
    peak = None
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass
    return peak


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


# ------------------------------------------------------------ parent process


def _start_once(config: Path, pictures: bool = True) -> dict:
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1")
    t0 = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.first_frame", *(["--pictures"] if pictures else []),
         "--windowed", "--size", f"{SIZE[0]}x{SIZE[1]}", "--config", str(config)],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    marks = {}
    for line in proc.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("HOME_DRAWN", "PICTURES_DRAWN"):
            marks[name] = float(value) - t0
    if "HOME_DRAWN" not in marks:
        raise RuntimeError(f"the kiosk did not draw Home:\n{proc.stderr[-2000:]}")
    return {"home_s": marks["HOME_DRAWN"], "pictures_s": marks.get("PICTURES_DRAWN")}


def _warm(content: Path, cache: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kiosk", "cache", "warm", str(content),
                    "--cache-dir", str(cache)], check=False, capture_output=True, timeout=3600)
    return time.perf_counter() - t0


def main() -> int:
    from bench.photo_tree import PHOTOS, QUICK_PHOTOS, make_tree

    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-images-") as tmp:
        work = Path(tmp)
        content, cache = work / "content", work / "cache"
        tree = make_tree(content, QUICK_PHOTOS if quick else PHOTOS)
        config = work / "kiosk.yaml"
        config.write_text(f"content: {content}\nthemes_dir: {ROOT / 'themes'}\n"
                          f"cache:\n  dir: {cache}\n", encoding="utf-8")
        cold = _start_once(config)
        warm_s = _warm(content, cache)
        warm_runs = [_start_once(config) for _ in range(3)]
        out = work / "measure.json"
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
        subprocess.run([sys.executable, "-m", "bench.bench_images", "--measure", str(out),
                        str(content), str(cache)], env=env, check=True, cwd=ROOT, timeout=3600)
        inside = json.loads(out.read_text(encoding="utf-8"))
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "quick": quick,
        "tree": tree,
        "start_cold_cache": cold,
        "cache_warm_s": warm_s,
        "start_warm_cache": {
            "home_s": statistics.median(r["home_s"] for r in warm_runs),
            "pictures_s": statistics.median(r["pictures_s"] for r in warm_runs),
            "runs": warm_runs,
        },
        **inside,
        "goals": GOALS,
    }
    print_table(result)
    target = HERE / "results" / "images.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {target}")
    return 0


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Mesa llvmpipe (software OpenGL), offscreen"


def rows(r: dict) -> list[tuple[str, str, str]]:
    g = r["goals"]
    t = r["touch"]
    return [
        ("start, Home drawn (cold image cache)", f"{r['start_cold_cache']['home_s']:.2f} s", ""),
        ("start, Home pictures drawn (cold cache)", f"{r['start_cold_cache']['pictures_s']:.2f} s", ""),
        ("start, Home drawn (warm cache)", f"{r['start_warm_cache']['home_s']:.2f} s",
         f"< {g['start_warm_s']:.0f} s"),
        ("start, Home pictures drawn (warm cache)", f"{r['start_warm_cache']['pictures_s']:.2f} s", ""),
        (f"kiosk cache warm, {r['tree']['photos']} photos", f"{r['cache_warm_s']:.0f} s", ""),
        ("touch to drawn: exhibit (median / worst)",
         f"{t['exhibit_ms_median']:.0f} / {t['exhibit_ms_worst']:.0f} ms", f"< {g['touch_ms']} ms"),
        ("touch to drawn: photo seen before (median / worst)",
         f"{t['photo_cached_ms_median']:.0f} / {t['photo_cached_ms_worst']:.0f} ms",
         f"< {g['touch_ms']} ms"),
        ("touch to photo drawn, first time (median)", f"{t['photo_first_ms_median']:.0f} ms", ""),
        (f"swipe through {r['swipe']['photos']} photos: frame p50 / p95 / worst",
         f"{r['swipe']['p50_ms']:.0f} / {r['swipe']['p95_ms']:.0f} / {r['swipe']['worst_ms']:.0f} ms",
         f"p95 < {g['swipe_p95_ms']} ms"),
        ("  loop turns with Kivy's 60 Hz pacing: p50 / p95",
         f"{r['swipe']['with_pacing_p50_ms']:.0f} / {r['swipe']['with_pacing_p95_ms']:.0f} ms", ""),
        (f"RSS after 100 / all {r['memory']['visited']} photos",
         f"{r['memory']['rss_mb_at'][0][1]:.0f} / {r['memory']['rss_mb_at'][-1][1]:.0f} MB", ""),
        ("peak RSS, every photo visited", f"{r['memory']['peak_rss_mb']:.0f} MB",
         f"< {g['rss_mb']} MB"),
        ("  peak RSS by phase", ", ".join(f"{k} {v:.0f}" for k, v in
                                          r["memory"].get("peak_rss_mb_by_phase", {}).items()
                                          if v), ""),
        (f"with the slide transition, {r['swipe_slide']['photos']} photos: frame p50 / p95",
         f"{r['swipe_slide']['p50_ms']:.0f} / {r['swipe_slide']['p95_ms']:.0f} ms", ""),
        ("  RSS growth over those swipes", f"{r['swipe_slide']['rss_growth_mb']:.0f} MB", ""),
    ]


def print_table(r: dict) -> None:
    table = rows(r)
    width = max(len(a) for a, _, _ in table)
    for name, value, goal in table:
        print(f"{name:<{width}}  {value:>18}  {goal}")


# ------------------------------------------------------------- child process


class Driver:
    """The real app on the real clock (60 frames a second at most, as on a kiosk)."""

    def __init__(self, content_dir: str, cache_dir: str):
        from kivy.base import runTouchApp
        from kivy.core.window import Window

        from kiosk.config import CacheConfig, Config
        from kiosk.content.loader import ContentLoader
        from kiosk.theme import load_theme
        from kiosk.ui.app import KioskApp

        config = Config(base_dir=ROOT, content=content_dir, theme="party-red",
                        cache=CacheConfig(dir=cache_dir), watch="off")
        theme, _ = load_theme(config.theme_dir)
        loader = ContentLoader(config.content_dir)
        self.content = loader.load()
        self.app = KioskApp(config, theme, self.content, windowed=False, loader=loader)
        self.app._run_prepare()
        runTouchApp(embedded=True)
        self.flips: list[float] = []
        self.frames: list[float] = []  # the work of each loop turn that drew a frame
        self.turns: list[float] = []  # the same with the clock's pacing sleep
        self.slept = 0.0
        from kivy.clock import Clock
        from kivy.graphics.opengl import glFinish

        pace = Clock.usleep

        def usleep(microseconds):  # Kivy waiting for the next 60th of a second: not work
            t0 = time.perf_counter()
            pace(microseconds)
            self.slept += time.perf_counter() - t0

        Clock.usleep = usleep

        def flipped(*_):  # a frame counts as drawn once the renderer has finished it
            glFinish()
            self.flips.append(time.perf_counter())

        Window.bind(on_flip=flipped)

    def step(self) -> bool:
        """One turn of the event loop (paced to 60 a second, as in the kiosk). True if it drew."""
        from kivy.base import EventLoop

        n, t0 = len(self.flips), time.perf_counter()
        self.slept = 0.0
        EventLoop.idle()
        if len(self.flips) > n:
            turn = time.perf_counter() - t0
            self.turns.append(turn * 1000)
            self.frames.append((turn - self.slept) * 1000)
            return True
        return False

    def pump(self, seconds: float) -> None:
        from kivy.base import EventLoop

        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            EventLoop.idle()

    def until(self, done, timeout: float = 20.0) -> float | None:
        """Run frames until ``done()`` holds after a drawn frame; the time of that frame."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if self.step() and done():
                return self.flips[-1]
        return None

    def tap_and_time(self, widget, done) -> float:
        from kivy.base import EventLoop
        from kivy.tests.common import UnitTestTouch

        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        EventLoop.idle()
        t0 = time.perf_counter()
        touch.touch_up()
        drawn = self.until(done)
        return (drawn - t0) * 1000 if drawn else float("nan")

    def widgets_with_route(self, prefix: str):
        return [w for w in self.app.manager.current_screen.walk(restrict=True)
                if str(getattr(w, "route", "")).startswith(prefix)]

    def photo_shown(self) -> bool:
        screen = self.app.manager.current_screen
        pic = screen.ids.zoom.picture if "zoom" in screen.ids else None
        return pic is not None and pic.texture is not None and not self.app.manager.transition.is_active


def measure(out: str, content_dir: str, cache_dir: str) -> None:
    setup_kivy(SIZE)
    from kiosk.ui.images import pictures_settled

    d = Driver(content_dir, cache_dir)
    app = d.app
    app.idle.stop()
    d.pump(1.0)
    # a visitor comes to a kiosk that has been running for a while: past its first quiet
    # second, when the content on screen is settled (kiosk.ui.memory)
    settled_by = time.perf_counter() + 10
    while app.memory_trim.unsettled and time.perf_counter() < settled_by:
        d.pump(0.1)
    peaks = {"start": phase_peak_mb()}
    galleries = [s for s in d.content.sections if s.layout == "gallery"]
    others = [s for s in d.content.sections if s.layout != "gallery"]
    # --- touch to drawn: an exhibit card
    exhibit_ms = []
    for section in others[:2]:
        app.go(f"section/{section.id}")
        d.until(lambda: pictures_settled(app.root) and not app.manager.transition.is_active)
        for card in d.widgets_with_route("exhibit/")[:3]:
            route = card.route
            exhibit_ms.append(d.tap_and_time(card, lambda r=route: app.route == r))
            d.pump(0.5)
            app.go(f"section/{section.id}", push=False, direction="right")
            d.until(lambda: not app.manager.transition.is_active)
    peaks["exhibits"] = phase_peak_mb()
    # --- touch to drawn: a gallery photo, first time and seen before
    g = galleries[0]
    app.go(f"section/{g.id}")
    d.until(lambda: pictures_settled(app.root) and not app.manager.transition.is_active)
    first_ms, cached_ms = [], []
    for n in range(1, 7):
        for store in (first_ms, cached_ms):
            thumb = next(t for t in d.widgets_with_route(f"photo/{g.id}/")
                         if getattr(t, "number", 0) == n)
            store.append(d.tap_and_time(thumb, lambda: app.route.startswith("photo/")
                                        and d.app.manager.current_screen.ids.zoom.picture.texture
                                        is not None))
            d.pump(0.4)
            app.go(f"section/{g.id}", push=False, direction="right")
            d.until(lambda: pictures_settled(app.root) and not app.manager.transition.is_active)
    # --- swipe through the photos of one gallery
    from kivy.tests.common import UnitTestTouch
    from kivy.uix.screenmanager import NoTransition, SlideTransition

    def swipes(count: int) -> dict:
        app.go(f"photo/{g.id}/1")
        d.until(d.photo_shown)
        d.pump(0.5)
        d.frames.clear()
        d.turns.clear()
        rss0 = rss_mb()
        w, h = SIZE
        late = 0
        for _ in range(count):
            touch = UnitTestTouch(w * 0.8, h * 0.55)
            touch.touch_down()
            d.step()
            for i in range(1, 9):
                touch.touch_move(w * (0.8 - 0.6 * i / 8), h * 0.55)
                d.step()
            t0 = time.perf_counter()
            touch.touch_up()
            d.until(d.photo_shown, timeout=5)
            late += (time.perf_counter() - t0) > 0.5
        gaps, turns = list(d.frames), list(d.turns)
        return {"photos": count + 1, "frames": len(gaps), "p50_ms": percentile(gaps, 50),
                "p95_ms": percentile(gaps, 95), "worst_ms": max(gaps),
                "with_pacing_p50_ms": percentile(turns, 50),
                "with_pacing_p95_ms": percentile(turns, 95), "reached": app.route,
                "rss_growth_mb": round(rss_mb() - rss0, 1), "photo_later_than_0_5_s": late,
                "transition": type(app.manager.transition).__name__}

    peaks["gallery photos"] = phase_peak_mb()
    total = len(g.photos())
    # The kiosk's own choice (transitions: auto) is no animation on this software renderer;
    # the theme's slide is measured too, for a GPU-less kiosk set to `transitions: theme`.
    own_transition = app.manager.transition
    app.manager.transition = SlideTransition(duration=0.3)  # the party-red theme's
    swipe_slide = swipes(min(20, total - 1))
    peaks["swipes with slide"] = phase_peak_mb()
    app.manager.transition = NoTransition()
    swipe = swipes(total - 1)
    peaks["swipes"] = phase_peak_mb()
    # --- memory: every photo once; what is kept is read after a pause of a visitor (the
    # kiosk's quiet trim has run), not whatever the photo just decoded holds for a moment
    visited, at = 0, []

    def kept_mb() -> float:
        d.pump(QUIET_PAUSE)
        return round(rss_mb(), 1)

    for section in galleries:
        for n in range(1, len(section.photos()) + 1):
            app.go(f"photo/{section.id}/{n}", push=False)
            d.until(d.photo_shown, timeout=20)
            visited += 1
            if visited % 100 == 0 or visited in (10, 50):
                at.append((visited, kept_mb()))
    if not at or at[-1][0] != visited:
        at.append((visited, kept_mb()))
    peaks["every photo"] = phase_peak_mb()
    app.manager.transition = own_transition
    from kiosk.ui.images import current_loader

    loader = current_loader()
    result = {
        "touch": {
            "exhibit_ms": exhibit_ms, "exhibit_ms_median": statistics.median(exhibit_ms),
            "exhibit_ms_worst": max(exhibit_ms),
            "photo_first_ms": first_ms, "photo_first_ms_median": statistics.median(first_ms),
            "photo_cached_ms": cached_ms, "photo_cached_ms_median": statistics.median(cached_ms),
            "photo_cached_ms_worst": max(cached_ms),
        },
        "swipe": swipe,
        "swipe_slide": swipe_slide,
        "memory": {
            "visited": visited, "rss_mb_at": at,
            # (the per-phase reset of the high-water mark also resets getrusage's)
            "peak_rss_mb": max([v for v in peaks.values() if v] or
                               [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]),
            "peak_rss_mb_by_phase": peaks,
            "texture_budget_mb": loader.textures.budget / 1048576,
            "textures_kept_mb": round(loader.textures.used / 1048576, 1),
            "textures_dropped": loader.textures.evicted,
        },
    }
    Path(out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    app.stop()


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "--measure":
        measure(*sys.argv[2:5])
        sys.exit(0)
    sys.exit(main())
