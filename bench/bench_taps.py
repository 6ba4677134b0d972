"""Taps on exhibits across sections: from the finger lifted to the exhibit page drawn.

On the generated exhibition of ``bench/photo_tree.py`` (2,000 exhibits in 20
sections; 60 photos, which the exhibit pages do not show), at 1080x1920 on the
offscreen window, the real app on the real clock: a visitor opens a section,
taps an exhibit card seen on screen, reads the page for half a second and goes
back to the section list, in turn through the fifteen sections that are not
galleries, until 50 exhibits were opened. Each tap is timed from the finger
lifted until the first frame that shows the page (``Window.on_flip``, every
frame finished with ``glFinish``), and split at the moment the page is shown
(``app.route`` changes): building or refilling the screen before it, the frame
after. Python's garbage collections that ran during each tap are counted too
(``gc.callbacks``), the full ones apart.

``--window=540x960`` measures at that window size instead.

Writes ``bench/results/taps.json``. Goal: p95 at most 50 ms.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import setup_kivy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# the window (``--window 540x960`` for a second row at a quarter of the pixels)
SIZE = next((tuple(int(v) for v in a.split("=", 1)[1].split("x"))
             for a in sys.argv if a.startswith("--window=")), (1080, 1920))
TAPS = 50
GOAL_P95_MS = 50
READ = 0.5  # seconds on each exhibit page before going back


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def main() -> int:
    from bench.photo_tree import QUICK_PHOTOS, make_tree

    count = 20 if "--quick" in sys.argv else TAPS
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-taps-") as tmp:
        work = Path(tmp)
        content, cache = work / "content", work / "cache"
        make_tree(content, QUICK_PHOTOS)
        subprocess.run([sys.executable, "-m", "kiosk", "cache", "warm", str(content),
                        "--cache-dir", str(cache)], check=False, capture_output=True,
                       timeout=1800)
        out = work / "measure.json"
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
        subprocess.run([sys.executable, "-m", "bench.bench_taps", "--measure", str(out),
                        str(content), str(cache), str(count),
                        f"--window={SIZE[0]}x{SIZE[1]}"], env=env, check=True, cwd=ROOT,
                       timeout=1800)
        inside = json.loads(out.read_text(encoding="utf-8"))
    result = {"date": time.strftime("%Y-%m-%d"), "window": list(SIZE),
              "goal_p95_ms": GOAL_P95_MS, **inside}
    t, b, f = result["tap_ms"], result["shown_ms"], result["frame_ms"]
    print(f"exhibit tap to page drawn over {result['taps']} taps in {result['sections']} "
          f"sections: median {t['median']:.0f} ms, p95 {t['p95']:.0f} ms, worst "
          f"{t['worst']:.0f} ms (goal p95 <= {GOAL_P95_MS} ms); of which until shown: median "
          f"{b['median']:.0f}, p95 {b['p95']:.0f} ms; the frame: median {f['median']:.0f}, p95 "
          f"{f['p95']:.0f} ms; full collections during taps: {result['full_collections']} "
          f"(load average {result['load_average']:.1f})")
    target = HERE / "results" / "taps.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {target}")
    return 0


# ------------------------------------------------------------- child process


def measure(out: str, content_dir: str, cache_dir: str, count: int) -> None:
    setup_kivy(SIZE)
    from kivy.core.window import Window

    from bench.bench_images import Driver
    from kiosk.ui.images import pictures_settled

    d = Driver(content_dir, cache_dir)
    app = d.app
    app.idle.stop()
    d.pump(1.0)
    settled_by = time.perf_counter() + 10  # a kiosk that has been running for a while
    while app.memory_trim.unsettled and time.perf_counter() < settled_by:
        d.pump(0.1)
    collections: list[tuple[int, float]] = []  # (generation, milliseconds)
    started = {}

    def collected(phase, info):
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            collections.append((info["generation"], (time.perf_counter() - started.pop("t")) * 1000))

    gc.callbacks.append(collected)
    shown_at = {}
    app.bind(route=lambda *_: shown_at.setdefault("t", time.perf_counter()))
    sections = [s for s in d.content.sections if s.layout != "gallery"]
    bar = app.space["bar"]

    def visible(card) -> bool:
        x, y = card.to_window(*card.center)
        return 0 < x < Window.width and bar < y < Window.height

    taps, shown, frames, fulls, each = [], [], [], 0, []
    turn = 0
    while len(taps) < count and turn < 20:
        for section in sections:
            if len(taps) >= count:
                break
            app.go(f"section/{section.id}", push=False, direction="right")
            d.until(lambda: pictures_settled(app.root) and not app.manager.transition.is_active)
            d.pump(0.3)
            cards = [c for c in d.widgets_with_route("exhibit/") if visible(c)]
            if len(cards) <= turn:
                continue
            card = cards[turn]
            route = card.route
            shown_at.clear()
            before = len(collections)
            ms = d.tap_and_time(card, lambda r=route: app.route == r)
            if "t" not in shown_at or ms != ms:
                raise RuntimeError(f"{route} was not shown")
            drawn = d.flips[-1]
            taps.append(ms)
            shown.append(ms - (drawn - shown_at["t"]) * 1000)
            frames.append((drawn - shown_at["t"]) * 1000)
            during = collections[before:]
            fulls += sum(1 for g, _ in during if g == 2)
            each.append({"route": route, "ms": round(ms, 1),
                         "collections": [[g, round(t, 1)] for g, t in during]})
            d.pump(READ)
        turn += 1
    gc.callbacks.remove(collected)
    result = {
        "taps": len(taps), "sections": len(sections),
        "tap_ms": {"median": statistics.median(taps), "p95": percentile(taps, 95),
                   "worst": max(taps)},
        "shown_ms": {"median": statistics.median(shown), "p95": percentile(shown, 95)},
        "frame_ms": {"median": statistics.median(frames), "p95": percentile(frames, 95)},
        "full_collections": fulls,
        "each": each,
        "load_average": os.getloadavg()[0],
    }
    Path(out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    app.stop()


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
        sys.exit(0)
    sys.exit(main())
