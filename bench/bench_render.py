"""Memory of ``kiosk render`` over every route, with camera photos in the content.

The demo exhibition (``content/``) is copied and twelve of its JPEG pictures,
spread over the sections, are replaced by 24-megapixel camera photos
(6000x4000, stored sideways with the EXIF orientation 6, "rotate 90°", as
phones and cameras held upright write them). ``kiosk render`` then draws every
route at 1080x1920 with an empty image cache (every photo decoded from the
original, as on the first render after staff add photos) in a process of its
own; its peak resident memory (``ru_maxrss`` of the finished child) and wall
time are reported. Goal: at most 400 MB.

Writes ``bench/results/render.json``. ``python -m bench.bench_render``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PHOTOS = 12
GOAL_MB = 400
SIZE = (1080, 1920)


def camera_photo(path: Path, n: int) -> None:
    """A 24 MP JPEG stored sideways (6000x4000) with EXIF orientation 6."""
    from PIL import Image, ImageDraw

    small = Image.merge("RGB", [Image.effect_noise((240, 160), 50 + (n * 7 + k * 13) % 40)
                                for k in range(3)])
    small = Image.blend(small, Image.new("RGB", small.size, ((n * 37) % 255, 90, 140)), 0.45)
    ImageDraw.Draw(small).text((10, 10), f"Camera {n}", fill=(255, 255, 255))
    big = small.resize((6000, 4000), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x0112] = 6
    big.save(path, "JPEG", quality=88, exif=exif.tobytes())


def make_content(dest: Path) -> list[str]:
    """The demo content with PHOTOS of its JPEGs replaced by camera photos."""
    shutil.copytree(ROOT / "content", dest)
    by_section: dict[str, list[Path]] = {}
    for p in sorted(dest.rglob("*.jpg")):
        if ".en." in p.name:  # the English variants: not shown in the site's language
            continue
        by_section.setdefault(p.relative_to(dest).parts[0], []).append(p)
    chosen: list[Path] = []
    while len(chosen) < PHOTOS and any(by_section.values()):
        for files in by_section.values():  # round robin over the sections
            if files and len(chosen) < PHOTOS:
                chosen.append(files.pop(0))
    for n, path in enumerate(chosen):
        camera_photo(path, n)
    return [str(p.relative_to(dest)) for p in chosen]


def run_render(work: Path) -> dict:
    content, cache, out = work / "content", work / "cache", work / "shots"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    config = work / "kiosk.yaml"
    config.write_text(f"content: {content}\nthemes_dir: {ROOT / 'themes'}\n"
                      f"cache:\n  dir: {cache}\n", encoding="utf-8")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "render", "--config", str(config),
                             "--out", str(out), "--size", f"{SIZE[0]}x{SIZE[1]}"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    shots = len(list(out.glob("*.png")))
    if shots == 0:
        raise RuntimeError(f"kiosk render drew nothing:\n{output[-2000:]}")
    return {"peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "wall_s": round(wall, 1),
            "screens": shots, "exit_code": proc.returncode,
            "summary": next((ln for ln in output.splitlines() if ln.startswith("rendered ")), "")}


def main() -> int:
    from bench.bench_images import machine

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-render-") as tmp:
        work = Path(tmp)
        replaced = make_content(work / "content")
        run = run_render(work)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "photos": replaced,
        "window": list(SIZE),
        **run,
        "goal_mb": GOAL_MB,
        "load_average_before": load_before,
        "load_average": os.getloadavg()[0],
    }
    met = "met" if run["peak_rss_mb"] <= GOAL_MB else "NOT met"
    print(f"kiosk render, {run['screens']} screens with {len(replaced)} camera photos of 24 MP "
          f"(EXIF-rotated), empty image cache: peak RSS {run['peak_rss_mb']:.0f} MB (goal <= "
          f"{GOAL_MB} MB: {met}), {run['wall_s']:.0f} s; load average {load_before:.1f} -> "
          f"{result['load_average']:.1f}")
    target = HERE / "results" / "render.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
