"""Start-up, side by side in one run: the kiosk, a bare Kivy page and Chromium.

Three programs show the same Home page of the demo exhibition (``content/``: the
site's title and one card per section with its cover picture) in a 1080x1920
window, each started as a fresh process, in turns, so that all three meet the
same load on the machine:

- **kiosk**: ``kiosk run`` (through ``bench/first_frame.py``, which reports the frames
  and stops it) with the image cache warmed beforehand; until Home is first drawn, and
  until its cover pictures are drawn too;
- **bare Kivy**: the floor for any Kivy program, a page of the same cards built
  with plain Kivy widgets (``Label``, ``Image``) and the theme's font, no kv, no
  content loader: from launch to its first drawn frame;
- **Chromium**: the same page as a static HTML file (``bench_chromium.write_site``),
  headless, from launch until its screenshot is written.

Bytecode is compiled (into a cache folder of the run's own, ``PYTHONPYCACHEPREFIX``,
even when ``PYTHONDONTWRITEBYTECODE`` is set: an installed kiosk has its bytecode)
and the files are in the page cache before the first timed run (one untimed run of
each). Each program runs ``RUNS`` times; the medians and
the ratios kiosk / bare Kivy and kiosk / Chromium go to
``bench/results/startup.json``. Goals: at most 1.1x the bare Kivy page, at most
0.6x Chromium, Home's cover pictures drawn by 1.0 s (reported, not judged).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZE = (1080, 1920)
RUNS = 7
GOALS = {"to_bare_kivy": 1.1, "to_chromium": 0.6, "pictures_s": 1.0}
TIMEOUT_S = 120

# The bare Kivy page, run as ``python -c BARE PAGE.json``: prints BARE_DRAWN <unix time>
# at its first drawn frame, then stops.
BARE = r"""
import json, os, sys, time
os.environ.setdefault("KIVY_NO_ARGS", "1")
from kivy.config import Config
Config.set("kivy", "exit_on_escape", "0")
Config.set("kivy", "log_level", "warning")
Config.set("graphics", "width", sys.argv[2])
Config.set("graphics", "height", sys.argv[3])
for key in [k for k, _ in Config.items("input")]:
    Config.remove_option("input", key)
page = json.load(open(sys.argv[1], encoding="utf-8"))
from kivy.app import App
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
LabelBase.register("page", page["font"], None, page["bold"] or page["font"])

class Page(App):
    def load_kv(self, filename=None):  # no kv: the page is built in build()
        return False

    def build(self):
        root = BoxLayout(orientation="vertical", padding=40, spacing=24)
        with root.canvas.before:
            Color(0.48, 0.05, 0.07)
            Rectangle(pos=(0, 0), size=Window.size)
        root.add_widget(Label(text=page["title"], font_name="page", font_size=56, bold=True,
                              color=(0.95, 0.79, 0.42, 1), size_hint_y=None, height=120))
        grid = GridLayout(cols=2, spacing=24)
        for card in page["cards"]:
            box = BoxLayout(orientation="vertical")
            with box.canvas.before:
                Color(0.98, 0.95, 0.89)
                box.bg = Rectangle()
            box.bind(pos=lambda w, v: setattr(w.bg, "pos", v),
                     size=lambda w, v: setattr(w.bg, "size", v))
            if card["cover"]:
                box.add_widget(Image(source=card["cover"], fit_mode="cover"))
            box.add_widget(Label(text=card["title"], font_name="page", font_size=30,
                                 color=(0.16, 0.1, 0.08, 1), size_hint_y=None, height=70))
            grid.add_widget(box)
        root.add_widget(grid)
        Window.bind(on_flip=self.flipped)
        return root

    def flipped(self, *_):
        from kivy.graphics.opengl import glFinish

        glFinish()  # really drawn, as the kiosk waits for it on a software renderer
        print(f"BARE_DRAWN {time.time():.6f}", flush=True)
        Window.unbind(on_flip=self.flipped)
        self.stop()

Page().run()
"""


def _env(pycache: Path | None = None) -> dict:
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1",
               KIVY_NO_CONSOLELOG="1", PYTHONPATH=os.pathsep.join(
                   [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    if pycache is not None:  # bytecode cached, as an installed kiosk has it
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _marks(command: list[str], env: dict, names: tuple[str, ...]) -> dict:
    t0 = time.time()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
                          cwd=ROOT)
    marks = {}
    for line in proc.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in names:
            marks[name] = float(value) - t0
    if names[0] not in marks:
        raise RuntimeError(f"{command[:4]} drew nothing:\n{proc.stderr[-2000:]}")
    return marks


def run_kiosk(config: Path, kivy_home: Path) -> dict:
    env = dict(_env(kivy_home.parent / "pycache"), KIVY_HOME=str(kivy_home))
    # ``kiosk run`` itself, with a harness that reports the first frames and then stops it
    marks = _marks([sys.executable, "-m", "bench.first_frame", "--pictures", "--windowed",
                    "--size", f"{SIZE[0]}x{SIZE[1]}", "--config", str(config)], env,
                   ("HOME_DRAWN", "PICTURES_DRAWN"))
    return {"home_s": marks["HOME_DRAWN"], "pictures_s": marks.get("PICTURES_DRAWN")}


def run_bare(page: Path, kivy_home: Path) -> dict:
    env = dict(_env(kivy_home.parent / "pycache"), KIVY_HOME=str(kivy_home))
    marks = _marks([sys.executable, "-c", BARE, str(page), str(SIZE[0]), str(SIZE[1])], env,
                   ("BARE_DRAWN",))
    return {"home_s": marks["BARE_DRAWN"]}


def run_chromium(exe: str, page: Path, work: Path) -> dict:
    """From launch until the screenshot is written (looked for every 5 ms)."""
    from bench.bench_chromium import FLAGS

    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
    shot = work / f"shot-{time.monotonic_ns()}.png"
    t0 = time.perf_counter()
    proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                             page.as_uri()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shot_at = None
    try:
        while proc.poll() is None and time.perf_counter() - t0 < TIMEOUT_S:
            if shot_at is None and shot.exists() and shot.stat().st_size > 0:
                shot_at = time.perf_counter() - t0
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if shot_at is None and shot.exists():
        shot_at = time.perf_counter() - t0
    if shot_at is None:
        raise RuntimeError("Chromium wrote no screenshot")
    return {"home_s": shot_at}


def _bare_page(content: Path, theme_dir: Path, out: Path) -> None:
    from kiosk.content.loader import ContentLoader

    snapshot = ContentLoader(content).load()
    fonts = theme_dir / "fonts"
    page = {
        "title": snapshot.site.title.get(),
        "font": str(fonts / "NotoSansSC-Regular.otf"),
        "bold": str(fonts / "NotoSansSC-Bold.otf"),
        "cards": [{"title": s.title.get(), "cover": str(s.cover.path) if s.cover else ""}
                  for s in snapshot.sections],
    }
    out.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")


def _machine() -> dict:
    from bench.bench_images import machine

    return {"machine": machine(), "python": sys.version.split()[0]}


def main() -> int:
    from bench.bench_chromium import browser, write_site

    exe = browser()
    content = ROOT / "content"
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-startup-") as tmp:
        work = Path(tmp)
        kivy_home = work / "kivy-home"
        kivy_home.mkdir()
        cache = work / "image-cache"
        config = work / "kiosk.yaml"
        config.write_text(f"content: {content}\nthemes_dir: {ROOT / 'themes'}\n"
                          f"state_dir: {work / 'state'}\ncache:\n  dir: {cache}\n",
                          encoding="utf-8")
        subprocess.run([sys.executable, "-m", "kiosk", "cache", "warm", str(content),
                        "--cache-dir", str(cache)], check=False, capture_output=True,
                       timeout=600, env=_env(), cwd=ROOT)
        page = work / "page.json"
        _bare_page(content, ROOT / "themes" / "party-red", page)
        site = work / "site"
        site.mkdir()
        home, _ = write_site(content, site)
        programs = {"kiosk": lambda: run_kiosk(config, kivy_home),
                    "bare_kivy": lambda: run_bare(page, kivy_home)}
        if exe is not None:
            programs["chromium"] = lambda: run_chromium(exe, home, work)
        else:
            print("chromium not found (apt-get install -y chromium): compared with bare Kivy only")
        load_before = os.getloadavg()
        for run in programs.values():  # untimed: bytecode, page cache, the kiosk's saved state
            run()
        runs: dict[str, list[dict]] = {name: [] for name in programs}
        for _ in range(RUNS):
            for name, run in programs.items():  # in turns: each meets the same load
                runs[name].append(run())
        load_after = os.getloadavg()
    median = {name: statistics.median(r["home_s"] for r in rs) for name, rs in runs.items()}
    pictures = statistics.median(r["pictures_s"] for r in runs["kiosk"] if r["pictures_s"])
    # ratios within each turn too: the load changes from turn to turn
    per_turn = {other: [k["home_s"] / o["home_s"]
                        for k, o in zip(runs["kiosk"], runs[other], strict=True)]
                for other in runs if other != "kiosk"}
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        **_machine(),
        "window": list(SIZE),
        "load_average_before": list(load_before),
        "load_average_after": list(load_after),
        "runs_each": RUNS,
        "median_s": median,
        "kiosk_pictures_s": pictures,
        "ratio": {other: median["kiosk"] / median[other] for other in per_turn},
        "ratio_per_turn_median": {other: statistics.median(v) for other, v in per_turn.items()},
        "goals": GOALS,
        "runs": runs,
    }
    print(f"{'program':<26}{'median':>9}{'min':>9}{'max':>9}")
    for name, rs in runs.items():
        values = [r["home_s"] for r in rs]
        print(f"{name + ': Home drawn':<26}{median[name]:>8.2f}s{min(values):>8.2f}s"
              f"{max(values):>8.2f}s")
    print(f"{'kiosk: cover pictures':<26}{pictures:>8.2f}s   (goal <= {GOALS['pictures_s']} s)")
    for other, ratio in result["ratio"].items():
        goal = GOALS[f"to_{other}"]
        print(f"kiosk / {other}: {ratio:.2f}x (median of per-turn ratios "
              f"{result['ratio_per_turn_median'][other]:.2f}x; goal <= {goal}x)")
    print(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
          f"{result['machine']}")
    target = HERE / "results" / "startup.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
