"""Hot reload latency: from a file arriving complete to the changed screen drawn.

The real app runs headless (offscreen window, the real Clock at its usual 60
frames a second) with the real ``Reloader`` and ``ContentWatcher`` at their
default timings. The exhibit page being viewed is replaced again and again, in
turn the two ways files arrive complete: renamed into place (an editor's atomic
save, rsync, Syncthing: written to a hidden temporary, then ``os.replace``) and
closed after writing (open, write, close). Each time the clock starts when the
rename or the close has returned and stops at the first frame drawn
(``Window.on_flip``) after ``app.apply_content`` swapped in the new snapshot,
once the new title is checked to be on screen. Trees of 20 and 2,000 exhibits,
watched natively (inotify) and, at the default size, by polling too (network
shares) at its default interval.

Writes ``bench/results/reload.json`` (1080x1920) and ``reload-540x960.json``.
Goals, p95: 150 ms at 1080x1920, 100 ms at 540x960, polling 700 ms (reported, not
judged: it fails only when an edit never reaches the screen).

``python -m bench.bench_reload --polling-only`` measures polling alone (its figures replace
the polling ones in ``reload.json``); with ``KIOSK_BENCH_POLLING_BEFORE=1`` polling as it was
before (watchdog's observer in the kiosk's own process, every 0.5 s) is measured in the same
run for comparison.

Kivy allows one window per process and reads its settings at import, so the
measurement runs in a child process of its own:
``python -m bench.bench_reload --measure OUT.json``. One window size only:
``python -m bench.bench_reload --size 540x960``.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import setup_kivy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TREES = ((20, 2, 10), (2000, 20, 100))  # (exhibits, sections, per section)
EDITS = 20  # for each way a file arrives
METHODS = ("rename", "close")
SIZE = (1080, 1920)
SIZES = ((1080, 1920), (540, 960))
GOAL_P95_S = {(1080, 1920): 0.15, (540, 960): 0.10}
POLLING_GOAL_P95_S = 0.7
TIMEOUT_S = 5.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


# ------------------------------------------------------------- child process


def _pump(seconds: float) -> None:
    from kivy.base import EventLoop

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        EventLoop.idle()


def _shows(app, text: str) -> bool:
    from kivy.uix.label import Label

    return any(isinstance(w, Label) and w.text == text
               for w in app.manager.current_screen.walk(restrict=True))


def _page(title: str, n: int) -> str:
    return (f"---\ntitle: {{zh: {title}, en: Edit {n}}}\ndate: 2000-01-01\n"
            f"summary: 岐山县党群服务中心的一项工作。\n---\n# 标题\n\n正文第{n}段。\n")


def _arrive(target: Path, text: str, method: str) -> None:
    """Put a new version of ``target`` in place, complete, the way ``method`` says."""
    if method == "rename":
        temp = target.with_name(f".{target.name}.tmp")  # hidden: the watcher ignores it
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, target)
    else:
        target.write_text(text, encoding="utf-8")  # open, write, close


def _stats(total: list[float], stages: dict[str, list[float]]) -> dict:
    return {
        "measured": len(total),
        "p50_s": statistics.median(total),
        "p95_s": percentile(total, 95),
        "max_s": max(total),
        "built_p50_s": statistics.median(stages["built"]),
        "built_p95_s": percentile(stages["built"], 95),
        "stages_p50_s": {k: statistics.median(stages[k]) for k in ("watch", "load", "apply", "draw")},
        "stages_p95_s": {k: percentile(stages[k], 95) for k in ("watch", "load", "apply", "draw")},
        # when the watcher first heard of the change (polling: the look that found it)
        "seen_p50_s": statistics.median(stages["seen"]),
        "seen_p95_s": percentile(stages["seen"], 95),
    }


def _measure_tree(work: Path, exhibits: int, sections: int, per_section: int,
                  mode: str = "native") -> dict:
    from kivy.base import EventLoop, runTouchApp
    from kivy.core.window import Window
    from kivy.graphics.opengl import glFinish

    from bench.bench_loader import make_tree
    from kiosk.config import CacheConfig, Config
    from kiosk.content.loader import ContentLoader
    from kiosk.theme import load_theme
    from kiosk.ui.app import KioskApp
    from kiosk.ui.reload import Reloader

    content_dir = work / f"content-{exhibits}-{mode}"
    content_dir.mkdir()
    make_tree(content_dir, sections, per_section)
    config = Config(base_dir=ROOT, content=str(content_dir), theme="party-red",
                    status_file=str(work / "status.json"),
                    cache=CacheConfig(dir=str(work / "image-cache")),
                    watch="off")  # the app's own reloader stays idle: the one below is timed
    theme, _ = load_theme(config.theme_dir)
    loader = ContentLoader(config.content_dir)
    content = loader.load()
    assert sum(len(s.exhibits) for s in content.sections) == exhibits
    section = content.sections[0]
    exhibit = section.exhibits[1]
    target = content_dir / exhibit.source

    app = KioskApp(config, theme, content, windowed=False, loader=loader)
    app._run_prepare()
    runTouchApp(embedded=True)
    if mode == "polling-before":
        # for comparison in the same run: polling as it was before it moved to a process of
        # its own (watchdog's PollingObserver in the kiosk's process, every 0.5 s)
        from watchdog.observers.polling import PollingObserver

        reloader = Reloader(app, "polling", poll_interval=0.5)
        reloader.watcher._make_observer = lambda _mode: PollingObserver(timeout=0.5)
        reloader.start()
    else:
        reloader = Reloader(app, mode).start()  # default settle, checks and polling interval
    watcher = reloader.watcher
    marks: dict[str, float] = {}
    apply_content, on_change, read = app.apply_content, watcher.on_change, reloader._read

    event = watcher._event

    def timed_event(ev, root):  # observer's thread: the change is seen
        marks.setdefault("seen", time.perf_counter())
        return event(ev, root)

    def timed_report(paths):  # watcher thread: the burst has settled
        marks.setdefault("reported", time.perf_counter())
        return on_change(paths)

    def timed_read(paths):  # watcher thread: the loader has read what changed
        loaded = read(paths)
        marks.setdefault("loaded", time.perf_counter())
        return loaded

    def timed_apply(snapshot):  # main thread: the new snapshot is on the screen's widgets
        apply_content(snapshot)
        marks["applied"] = time.perf_counter()

    def on_flip(*_):
        # Software GL (Mesa llvmpipe) queues frames: wait until this one is really
        # drawn, on every frame, so that no backlog builds up (as a GPU with vsync).
        glFinish()
        if "applied" in marks and "drawn" not in marks:
            marks["drawn"] = time.perf_counter()

    watcher.on_change, reloader._read, app.apply_content = timed_report, timed_read, timed_apply
    watcher._event = timed_event
    Window.bind(on_flip=on_flip)
    methods = METHODS if mode == "native" else ("close",)  # polling sees no difference
    stages = {m: {k: [] for k in ("total", "built", "seen", "watch", "load", "apply", "draw")}
              for m in methods}
    misses = 0
    try:
        _pump(0.3)  # the app opens on Home first
        if not app.go(f"exhibit/{section.id}/{exhibit.id}"):
            raise RuntimeError(f"cannot show {exhibit.source}")
        _pump(1.5)
        rnd = random.Random(exhibits)
        for n in range(EDITS * len(methods)):
            method = methods[n % len(methods)]
            title = f"第{n}次修改"
            marks.clear()
            version = app.content_version
            _arrive(target, _page(title, n), method)
            marks["written"] = written = time.perf_counter()
            deadline = written + TIMEOUT_S
            while "drawn" not in marks and time.perf_counter() < deadline:
                EventLoop.idle()
            if "drawn" not in marks or not _shows(app, title) or app.content_version != version + 1:
                misses += 1
            else:
                marks.setdefault("seen", marks["reported"])  # an event that came early
                got = stages[method]
                got["total"].append(marks["drawn"] - written)
                got["built"].append(marks["applied"] - written)
                for name, (a, b) in {"seen": ("written", "seen"),
                                     "watch": ("written", "reported"),
                                     "load": ("reported", "loaded"),
                                     "apply": ("loaded", "applied"),
                                     "draw": ("applied", "drawn")}.items():
                    got[name].append(marks[b] - marks[a])
            # idle between edits (the screen's last animations end), not in step with frames
            _pump(1.0 + rnd.random() * 0.3)
        reports, active_mode = watcher.reports, watcher.active_mode
        redraw = []  # for scale: a frame of the same screen with nothing changed
        for _ in range(10):
            marks.clear()
            marks["applied"] = asked = time.perf_counter()
            Window.canvas.ask_update()
            while "drawn" not in marks and time.perf_counter() < asked + TIMEOUT_S:
                EventLoop.idle()
            if "drawn" in marks:
                redraw.append(marks["drawn"] - asked)
            _pump(0.1)
    finally:
        Window.unbind(on_flip=on_flip)
        reloader.stop()
        app.stop()
        for child in list(Window.children):
            Window.remove_widget(child)
    if not any(stages[m]["total"] for m in methods):
        raise RuntimeError(f"no edit of the {exhibits}-exhibit tree reached the screen")
    everything = {k: [v for m in methods for v in stages[m][k]] for k in stages[methods[0]]}
    return {
        "exhibits": exhibits,
        "mode": mode,
        "edits": EDITS * len(methods),
        "missed": misses,
        "watcher_reports": reports,
        "watch_mode": active_mode,
        "settle_s": watcher.settle,
        "quick_s": watcher.quick,
        "instant_s": watcher.instant,
        "poll_interval_s": watcher.poll_interval,
        # every edit together, then each way a file arrived
        **_stats(everything["total"], everything),
        "by_method": {m: _stats(stages[m]["total"], stages[m])
                      for m in methods if stages[m]["total"]},
        # for scale: a frame of the same screen with nothing changed
        "unchanged_redraw_p50_s": statistics.median(redraw) if redraw else None,
    }


def measure(out: Path, size=SIZE, polling: bool = False, native: bool = True) -> None:
    setup_kivy(size)
    import logging

    logging.getLogger().setLevel(logging.WARNING)  # no per-frame debug lines in the timing
    results = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-reload-") as tmp:
        modes = ("native",) * native + ("polling",) * polling
        if polling and os.environ.get("KIOSK_BENCH_POLLING_BEFORE"):
            modes += ("polling-before",)
        for mode in modes:
            for exhibits, sections, per_section in TREES:
                results.append(_measure_tree(Path(tmp), exhibits, sections, per_section, mode))
    out.write_text(json.dumps(results), encoding="utf-8")


# ------------------------------------------------------------- parent process


def _run_child(size, polling: bool, native: bool = True) -> list[dict] | None:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        raw = Path(tmp) / "reload.json"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
        command = [sys.executable, "-m", "bench.bench_reload", "--measure", str(raw),
                   "--size", f"{size[0]}x{size[1]}", *(["--polling"] if polling else []),
                   *([] if native else ["--polling-only"])]
        done = subprocess.run(command, cwd=ROOT, env=env, timeout=1200)
        if done.returncode != 0 or not raw.exists():
            return None
        return json.loads(raw.read_text(encoding="utf-8"))


def _print(trees: list[dict], goal_s: float) -> None:
    head = ("exhibits", "watching", "arrived", "p50", "p95", "max", "built p95", "seen", "watch",
            "load",
            "apply", "draw", "edits")
    print("  ".join(f"{h:>9}" for h in head))
    for t in trees:
        for method, m in [("any", t), *t.get("by_method", {}).items()]:
            ms = [m["p50_s"], m["p95_s"], m["max_s"], m["built_p95_s"], m["seen_p50_s"],
                  *m["stages_p50_s"].values()]
            cells = [str(t["exhibits"]), t["watch_mode"], method,
                     *(f"{v * 1000:.0f} ms" for v in ms), f"{m['measured']}/{t['edits']}"]
            print("  ".join(f"{c:>9}" for c in cells))
    for t in trees:
        met = "met" if t["p95_s"] <= goal_s else "NOT met"
        print(f"{t['exhibits']} exhibits, {t['watch_mode']}: goal p95 <= {goal_s * 1000:.0f} ms "
              f"{met} (p95 {t['p95_s'] * 1000:.0f} ms; a frame with nothing changed "
              f"{(t['unchanged_redraw_p50_s'] or 0) * 1000:.0f} ms)")


def main(sizes=SIZES, polling_only: bool = False) -> int:
    from bench.bench_images import machine

    failed = 0
    for size in sizes:
        size = tuple(size)
        polling = size == SIZE or polling_only  # polling is measured once, at the default size
        load_before = os.getloadavg()
        print(f"-- {size[0]}x{size[1]}{', native and polling' if polling else ''}")
        trees = _run_child(size, polling, native=not polling_only)
        if trees is None:
            print("the reload benchmark did not finish")
            failed += 1
            continue
        goal = GOAL_P95_S.get(size, max(GOAL_P95_S.values()))
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": machine(),
            "trees": [t for t in trees if t["mode"] == "native"],
            "polling": [t for t in trees if t["mode"] == "polling"],
            "polling_before": [t for t in trees if t["mode"] == "polling-before"],
            "goal_p95_s": goal,
            "polling_goal_p95_s": POLLING_GOAL_P95_S,
            "window": list(size),
            "load_average": os.getloadavg()[0],
            "load_average_before": load_before[0],
            "python": sys.version.split()[0],
        }
        print("p50/p95/max: from the rename (or the close after writing) to the changed screen "
              "drawn; built p95: until the new screen is built, before drawing.\nStages are "
              "medians: arrived -> watcher report -> content loaded -> applied -> drawn.")
        _print(result["trees"], goal)
        if result["polling"]:
            _print(result["polling"], POLLING_GOAL_P95_S)
        if result["polling_before"]:
            print("Polling as before (watchdog's observer in the kiosk's process, every 0.5 s):")
            _print(result["polling_before"], POLLING_GOAL_P95_S)
        t = trees[0]
        print(f"Watcher: instant {t['instant_s']} s, quick {t['quick_s']} s, settle "
              f"{t['settle_s']} s, polling every {t['poll_interval_s']} s; load average "
              f"{load_before[0]:.1f} before, {result['load_average']:.1f} after")
        name = "reload.json" if size == SIZE else f"reload-{size[0]}x{size[1]}.json"
        out = HERE / "results" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if polling_only and out.exists():  # keep the native figures of the last full run
            kept = json.loads(out.read_text(encoding="utf-8"))
            kept.update(polling=result["polling"], polling_before=result["polling_before"],
                        polling_date=result["date"],
                        polling_load_average=result["load_average"])
            result = kept
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"written {out}")
        # The figures are reported, not judged (they depend on the renderer and the machine's
        # load); an edit that never reached the screen is a failure.
        failed += any(t["missed"] for t in trees)
    return 1 if failed else 0


def _args(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser(description="hot reload latency")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--polling", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--polling-only", action="store_true",
                        help="only the polling watcher (at the default size unless --size)")
    parser.add_argument("--size", default=None, help="only this window size, WxH")
    args = parser.parse_args(argv)
    size = None
    if args.size:
        size = tuple(int(v) for v in args.size.lower().split("x"))
    return args.measure, size, args.polling, args.polling_only


if __name__ == "__main__":
    measure_to, window, poll, poll_only = _args(sys.argv[1:])
    if measure_to is not None:
        measure(measure_to, window or SIZE, poll or poll_only, native=not poll_only)
        sys.exit(0)
    if poll_only:
        sys.exit(main([window or SIZE], polling_only=True))
    sys.exit(main([window] if window else SIZES))
