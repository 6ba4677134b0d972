"""Take the README's pictures of the demo exhibition again (docs/screenshots/).

    SDL_VIDEODRIVER=offscreen .venv/bin/python tools/readme_screenshots.py

Each picture is `kiosk render` of one screen in one combination (language, orientation,
大字, theme) at 540x960 or 960x540; the command stops with an error when a picture has
findings of level error, so the README never shows a screen the render check rejects.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORTRAIT, LANDSCAPE = "540x960", "960x540"

# file name: (route, language, size, large text, theme or None for kiosk.yaml's)
SHOTS = {
    "home.zh.portrait": ("home", "zh", PORTRAIT, False, None),
    "timeline.zh.portrait": ("section/history", "zh", PORTRAIT, False, None),
    "stats.zh.portrait": ("exhibit/achievements/services", "zh", PORTRAIT, False, None),
    "exhibit.zh.portrait": ("exhibit/centers/platform", "zh", PORTRAIT, False, None),
    "photo.en.portrait": ("photo/gallery/1", "en", PORTRAIT, False, None),
    "honors.zh.portrait": ("section/honors", "zh", PORTRAIT, False, None),
    "attract.zh.portrait": ("attract", "zh", PORTRAIT, False, None),
    "home.zh.large.portrait": ("home", "zh", PORTRAIT, True, None),
    "exhibit.zh.large.portrait": ("exhibit/centers/platform", "zh", PORTRAIT, True, None),
    "home.zh.portrait.light": ("home", "zh", PORTRAIT, False, "light"),
    "exhibit.zh.portrait.light": ("exhibit/centers/platform", "zh", PORTRAIT, False, "light"),
    "home.en.landscape": ("home", "en", LANDSCAPE, False, None),
    "exhibit.en.landscape": ("exhibit/centers/platform", "en", LANDSCAPE, False, None),
    "timeline.en.landscape": ("section/history", "en", LANDSCAPE, False, None),
}


def main() -> int:
    kiosk = Path(sys.executable).with_name("kiosk")
    groups: dict[tuple, list[tuple[str, str]]] = {}
    for name, (route, lang, size, large, theme) in SHOTS.items():
        groups.setdefault((lang, size, large, theme), []).append((name, route))
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, ((lang, size, large, theme), shots) in enumerate(groups.items()):
            out = Path(tmp) / str(n)
            cmd = [str(kiosk), "render", "--content", str(ROOT / "content"), "--out", str(out),
                   "--size", size, "--lang", lang]
            cmd += ["--large-text"] if large else []
            cmd += ["--theme", theme] if theme else []
            for _, route in shots:
                cmd += ["--route", route]
            subprocess.run(cmd, cwd=ROOT, check=False)
            index = json.loads((out / "index.json").read_text("utf-8"))
            by_route = {e["route"]: e for e in index["pictures"]}
            for name, route in shots:
                entry = by_route.get(route)
                if entry is None or entry["errors"]:
                    failed.append(name)
                    continue
                # `kiosk render` saves quickly (light compression); the repository keeps
                # the same pixels packed tightly
                with Image.open(out / entry["file"]) as im:
                    im.save(OUT / f"{name}.png", optimize=True)
    for name in failed:
        print(f"{name}: not taken (the screen has errors or could not be shown)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
