"""The guide's phone: from a command's HTTP request to the new stop drawn on the screen.

The real app (demo content, 1080x1920, offscreen, on the real clock at up to 60
frames a second) runs with its remote on 127.0.0.1; a second thread plays the
phone, in a process of its own: it signs in, starts the delegation tour and then sends ``next`` and
``prev`` through the JSON API, one at a time, each once the screen has settled
(shown for 1 s, no frame for 0.3 s), as when a guide talks at each stop. Each command is timed from just
before its HTTP request is sent until the first frame drawn (``Window.on_flip``,
after ``glFinish``) that shows the new stop. The HTTP answer itself comes back
once the kiosk has carried the command out, so its time is reported as well,
and so is the same move made with the clicker's key (no network, no thread),
and the time from the request until the command begins on the Kivy main thread
(the network, the server's thread and the Clock: what the remote itself adds).
On a software renderer under load most of the time is the frame itself.

``--window=540x960`` measures at that window size instead.

Writes ``bench/results/remote.json``. Goal: p95 under 100 ms on loopback.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import setup_kivy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# the window (``--window 540x960`` for a second row at a quarter of the pixels)
SIZE = next((tuple(int(v) for v in a.split("=", 1)[1].split("x"))
             for a in sys.argv if a.startswith("--window=")), (1080, 1920))
GOAL_P95_MS = 100
COMMANDS = 60
TOUR = "provincial-delegation"
PIN = "13579"
QUIET = 0.3  # seconds without a frame: the stop has settled
DWELL = 1.0  # seconds at least on each stop (a guide talks far longer)


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def settled(flips: list, draws: list) -> bool:
    """The stop has been shown DWELL seconds and no frame was drawn for QUIET seconds."""
    now = time.perf_counter()
    return bool(flips) and now - flips[-1] > QUIET and (not draws or now - draws[-1][0] > DWELL)


def settle(flips: list, draws: list, pump) -> None:
    """Let the stop settle (pictures in, the next stop made ready, as while a guide talks)."""
    end = time.perf_counter() + 10.0
    while time.perf_counter() < end and not settled(flips, draws):
        pump()


def phone(port: int, ready, count: int, results) -> None:
    """The guide's phone, in a process of its own as a real phone is a device of its own:
    each command once the screen has settled (``ready``), timed from before its request."""
    token = ""

    def call(method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        response = conn.getresponse()
        data = json.loads(response.read())
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {data}")
        return data

    sent, answered = [], []

    def command(body):
        ready.clear()
        sent.append(time.perf_counter())
        call("POST", "/api/command", body)
        answered.append(time.perf_counter())
        if not ready.wait(20):
            raise RuntimeError(f"{body} never drawn")

    try:
        token = call("POST", "/api/session", {"pin": PIN})["token"]
        command({"action": "start", "tour": TOUR})
        forward = True
        for _ in range(count):
            state = call("GET", "/api/state")
            if state["step"] >= state["steps"]:
                forward = False
            elif state["step"] <= 1:
                forward = True
            command({"action": "next" if forward else "prev"})
        results.put({"sent": sent, "answered": answered})
    except BaseException as exc:  # reported by the kiosk's process
        results.put({"error": repr(exc)})


def measure(out: str, count: int) -> None:
    setup_kivy(SIZE)
    from kivy.base import EventLoop, runTouchApp
    from kivy.core.window import Window
    from kivy.graphics.opengl import glFinish

    from kiosk.config import AdminConfig, Config, RemoteConfig
    from kiosk.content.loader import ContentLoader
    from kiosk.pin import hash_pin, write_pin_file
    from kiosk.theme import load_theme
    from kiosk.ui.app import KioskApp

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-remote-"))
    pins = tmp / "pins.json"
    write_pin_file(pins, "guide", hash_pin(PIN))
    config = Config(base_dir=ROOT, content="content", theme="party-red",
                    admin=AdminConfig(pin_file=str(pins)),
                    remote=RemoteConfig(enabled=True, host="127.0.0.1", port=0), watch="off")
    theme, _ = load_theme(config.theme_dir)
    loader = ContentLoader(config.content_dir)
    app = KioskApp(config, theme, loader.load(), windowed=False, loader=loader)
    app._run_prepare()
    runTouchApp(embedded=True)
    EventLoop.idle()
    EventLoop.idle()  # the app's services (the remote among them) start after the first frame
    app.idle.stop()
    drawn = threading.Event()
    draws: list[tuple[float, str]] = []
    flips: list[float] = []
    shown = {"route": app.route}

    def flipped(*_):
        glFinish()  # a frame counts as drawn once the renderer has finished it
        flips.append(time.perf_counter())
        if app.route != shown["route"]:  # this frame is the first to show the new stop
            shown["route"] = app.route
            draws.append((time.perf_counter(), app.route))
            drawn.set()

    Window.bind(on_flip=flipped)
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        EventLoop.idle()
    settle(flips, draws, EventLoop.idle)
    link = app.tour_control.remote
    started: list[float] = []  # when each command began on the main thread
    carry_out = link.apply

    def timed_apply(command):
        started.append(time.perf_counter())
        return carry_out(command)

    link.apply = timed_apply
    context = multiprocessing.get_context("spawn")
    ready, results = context.Event(), context.Queue()
    process = context.Process(target=phone, args=(link.server.port, ready, count, results),
                              daemon=True)
    process.start()
    answered_draws = 0
    outcome = None
    while outcome is None:
        EventLoop.idle()
        if len(draws) > answered_draws and settled(flips, draws):
            answered_draws = len(draws)  # drawn and settled: the phone may go on
            ready.set()
        if not results.empty():
            outcome = results.get()
        elif not process.is_alive() and results.empty():
            raise RuntimeError("the phone's process ended without a result")
    process.join(10)
    if "error" in outcome:
        raise RuntimeError(outcome["error"])
    sent, answered = outcome["sent"], outcome["answered"]
    drawn_at = [d[0] for d in draws[:len(sent)]]
    # the same walk with the clicker, for comparison: what the screen itself takes
    from kivy.core.window import Keyboard

    keys_ms = []
    forward = True
    for _ in range(count):  # the same walk as the phone's: to the last stop and back
        run = app.tour_control.run
        if run.number >= run.total:
            forward = False
        elif run.number <= 1:
            forward = True
        key = Keyboard.keycodes["pagedown" if forward else "pageup"]
        drawn.clear()
        t0 = time.perf_counter()
        Window.dispatch("on_key_down", key, 0, None, [])
        Window.dispatch("on_key_up", key, 0)
        while not drawn.is_set():
            EventLoop.idle()
        keys_ms.append((draws[-1][0] - t0) * 1000)
        settle(flips, draws, EventLoop.idle)
    app.stop()
    drawn_ms = [(d - s) * 1000 for s, d in zip(sent, drawn_at, strict=True)][1:]
    answer_ms = [(a - s) * 1000 for s, a in zip(sent, answered, strict=True)][1:]
    reach_ms = [(r - s) * 1000 for s, r in zip(sent, started, strict=True)][1:]
    # which stops take long: the phone's times by the stop arrived at, slowest first
    by_stop: dict[str, list[float]] = {}
    for ms, (_, route) in zip(drawn_ms, draws[1:len(sent)], strict=True):
        by_stop.setdefault(route, []).append(ms)
    slowest = sorted(((max(v), statistics.median(v), k) for k, v in by_stop.items()), reverse=True)
    Path(out).write_text(json.dumps({
        "commands": len(drawn_ms),
        "drawn_ms": {"median": statistics.median(drawn_ms), "p95": percentile(drawn_ms, 95),
                     "worst": max(drawn_ms)},
        "answer_ms": {"median": statistics.median(answer_ms), "p95": percentile(answer_ms, 95)},
        "clicker_ms": {"median": statistics.median(keys_ms), "p95": percentile(keys_ms, 95)},
        "reach_ms": {"median": statistics.median(reach_ms), "p95": percentile(reach_ms, 95)},
        "load_average": os.getloadavg()[0],
        "slowest_stops": [{"stop": k, "worst_ms": w, "median_ms": m} for w, m, k in slowest[:5]],
    }), encoding="utf-8")


def main() -> int:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-remote-") as tmp:
        out = Path(tmp) / "measure.json"
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
        subprocess.run([sys.executable, "-m", "bench.bench_remote", "--measure", str(out),
                        str(20 if quick else COMMANDS),
                        f"--window={SIZE[0]}x{SIZE[1]}"], env=env, check=True, cwd=ROOT,
                       timeout=600)
        inside = json.loads(out.read_text(encoding="utf-8"))
    result = {"date": time.strftime("%Y-%m-%d"), "window": list(SIZE),
              "goal_p95_ms": GOAL_P95_MS, **inside}
    d, a, k, r = (result[key] for key in ("drawn_ms", "answer_ms", "clicker_ms", "reach_ms"))
    print(f"phone command to stop drawn: median {d['median']:.0f} ms, p95 {d['p95']:.0f} ms, "
          f"worst {d['worst']:.0f} ms over {result['commands']} commands "
          f"(goal p95 < {GOAL_P95_MS} ms); HTTP answer median {a['median']:.0f} ms, "
          f"p95 {a['p95']:.0f} ms; the clicker's key to stop drawn: median {k['median']:.0f} ms, "
          f"p95 {k['p95']:.0f} ms; request to command begun on the main thread: median "
          f"{r['median']:.0f} ms, p95 {r['p95']:.0f} ms (load average {result['load_average']:.1f})")
    for stop in result["slowest_stops"]:
        print(f"  {stop['stop']}: worst {stop['worst_ms']:.0f} ms, median {stop['median_ms']:.0f} ms")
    target = HERE / "results" / "remote.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--measure":
        measure(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
