"""The common alternative, measured the same way: the exhibition as a static site in Chromium.

The same generated tree as ``bench_images`` (``bench/photo_tree.py``) becomes
plain HTML: a home page with the 20 section cards and their cover photos, and
a gallery page with the 100 photos of the first gallery, the photos used as
they are (no image pipeline, as a hand-made site would). Headless Chromium
opens each page at 1080x1920 with a fresh profile and writes a screenshot.

- cold start: from starting the browser until the screenshot is written;
- memory: peak of the summed RSS of all its processes (sampled every 50 ms),
  and the summed PSS (shared pages counted once), which is fairer.

Writes ``bench/results/chromium.json``. Install the browser with
``apt-get install -y chromium`` if it is missing.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (1080, 1920)
RUNS = 3
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--window-size={SIZE[0]},{SIZE[1]}"]


def browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_site(content: Path, site: Path) -> tuple[Path, Path]:
    from kiosk.content.loader import ContentLoader

    snapshot = ContentLoader(content).load()
    style = ("body{margin:0;background:#7a0c12;color:#fff;font-family:'Noto Sans CJK SC',sans-serif}"
             "h1{color:#f1c96b;padding:40px;margin:0}main{display:grid;"
             "grid-template-columns:repeat(2,1fr);gap:24px;padding:0 40px 140px}"
             "a{background:#fbf3e4;color:#2a1a14;border-radius:16px;overflow:hidden;"
             "text-decoration:none}img{width:100%;aspect-ratio:3/2;object-fit:cover;display:block}"
             "h2{margin:16px;font-size:30px}")
    cards = []
    for s in snapshot.sections:
        cover = s.cover.path.as_uri() if s.cover else ""
        cards.append(f'<a href="#"><img src="{cover}" alt=""><h2>{html.escape(s.title.get())}</h2></a>')
    home = site / "index.html"
    home.write_text(f"<!doctype html><meta charset=utf-8><style>{style}</style>"
                    f"<h1>{html.escape(snapshot.site.title.get())}</h1><main>{''.join(cards)}</main>",
                    encoding="utf-8")
    gallery = next(s for s in snapshot.sections if s.layout == "gallery")
    thumbs = "".join(f'<a href="#"><img src="{m.path.as_uri()}" alt=""></a>'
                     for _, m in gallery.photos())
    page = site / "gallery.html"
    page.write_text(f"<!doctype html><meta charset=utf-8><style>{style}"
                    f"main{{grid-template-columns:repeat(3,1fr)}}</style>"
                    f"<h1>{html.escape(gallery.title.get())}</h1><main>{thumbs}</main>",
                    encoding="utf-8")
    return home, page


def _children(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sorted(tree)


def _memory(pids) -> tuple[float, float]:
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def open_page(exe: str, page: Path, work: Path) -> dict:
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
    shot = work / f"shot-{time.monotonic_ns()}.png"
    t0 = time.perf_counter()
    proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                             page.as_uri()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss = peak_pss = 0.0
    shot_at = None
    while proc.poll() is None:
        rss, pss = _memory(_children(proc.pid))
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        if shot_at is None and shot.exists() and shot.stat().st_size > 0:
            shot_at = time.perf_counter() - t0
        time.sleep(0.05)
    ended = time.perf_counter() - t0
    shutil.rmtree(profile, ignore_errors=True)
    if shot_at is None and shot.exists():
        shot_at = ended
    return {"screenshot_s": shot_at, "exit_s": ended, "peak_rss_mb": round(peak_rss, 1),
            "peak_pss_mb": round(peak_pss, 1), "ok": shot.exists()}


def main() -> int:
    from bench.photo_tree import PHOTOS, QUICK_PHOTOS, make_tree

    exe = browser()
    if exe is None:
        print("chromium not found (apt-get install -y chromium): skipped")
        return 0
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-chromium-") as tmp:
        work = Path(tmp)
        make_tree(work / "content", QUICK_PHOTOS if quick else PHOTOS)
        home, gallery = write_site(work / "content", work)
        homes = [open_page(exe, home, work) for _ in range(RUNS)]
        galleries = [open_page(exe, gallery, work) for _ in range(RUNS)]
    result = {
        "date": time.strftime("%Y-%m-%d"), "browser": version, "quick": quick,
        "home": {"screenshot_s": statistics.median(r["screenshot_s"] for r in homes),
                 "peak_rss_mb": max(r["peak_rss_mb"] for r in homes),
                 "peak_pss_mb": max(r["peak_pss_mb"] for r in homes), "runs": homes},
        "gallery": {"screenshot_s": statistics.median(r["screenshot_s"] for r in galleries),
                    "peak_rss_mb": max(r["peak_rss_mb"] for r in galleries),
                    "peak_pss_mb": max(r["peak_pss_mb"] for r in galleries), "runs": galleries},
    }
    table = [
        ("Chromium: home page, start to screenshot", f"{result['home']['screenshot_s']:.2f} s"),
        ("Chromium: home page, peak RSS (sum) / PSS",
         f"{result['home']['peak_rss_mb']:.0f} / {result['home']['peak_pss_mb']:.0f} MB"),
        ("Chromium: 100-photo gallery, start to screenshot",
         f"{result['gallery']['screenshot_s']:.2f} s"),
        ("Chromium: 100-photo gallery, peak RSS (sum) / PSS",
         f"{result['gallery']['peak_rss_mb']:.0f} / {result['gallery']['peak_pss_mb']:.0f} MB"),
    ]
    width = max(len(a) for a, _ in table)
    for name, value in table:
        print(f"{name:<{width}}  {value:>14}")
    target = HERE / "results" / "chromium.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
