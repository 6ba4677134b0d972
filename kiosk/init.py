"""``kiosk init DIR``: a new kiosk folder to start from, as ``mkdocs new`` does.

Writes ``DIR/kiosk.yaml`` and a copy of the demo exhibition in ``DIR/content``
(shipped with the kiosk, see :mod:`kiosk.resources`). Nothing that exists is
overwritten. No Kivy here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from kiosk.resources import demo_content_dir

KIOSK_YAML = """\
# kiosk.yaml: settings of this kiosk machine (the exhibition itself lives in content/).
# Every key is optional; what is left out takes its default. Check with:  kiosk check
# (the kiosk's own files, state_dir, cache.dir, analytics_db and admin.pin_file, may not
# be inside the content folder)

# Folder of the exhibition (site.yaml, sections, tours). Relative to this file.
content: content

# Look of the screens: a built-in theme (party-red, light) or the path of a theme folder.
theme: party-red

# Fill the whole screen without borders or cursor. `kiosk run --windowed` overrides it.
fullscreen: true

# Force a window size, e.g. 1080x1920. Left out: the screen's own size.
# size: 1080x1920

# Turn the picture for a panel mounted on its side: 0, 90, 180 or 270.
rotation: 0

# Language the kiosk starts in and returns to after idle: zh or en.
# language: zh

# A JSON file with what the kiosk is doing, for monitoring.
# status_file: /run/kiosk/status.json

# How changes to content/ are noticed: native, polling (network shares) or off.
watch: native

idle:
  reset_after: 90     # seconds untouched before returning to the home screen
  countdown: 20       # the last seconds of that show a countdown with "keep browsing"
  attract_after: 120  # seconds on the home screen before the attract slideshow starts
"""


def init(folder: str | Path, out=None) -> int:
    out = out or sys.stdout
    target = Path(folder)
    demo = demo_content_dir()
    if demo is None:
        print("the demo exhibition is not installed with this kiosk", file=sys.stderr)
        return 2
    config, content = target / "kiosk.yaml", target / "content"
    there = [p for p in (config, content) if p.exists()]
    if there:
        names = ", ".join(str(p) for p in there)
        print(f"{names} already exists; nothing was written (choose an empty folder)\n"
              f"{names} 已存在，未写入任何文件（请选择一个空文件夹）", file=sys.stderr)
        return 1
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(demo, content, ignore=shutil.ignore_patterns("__pycache__", "*.pyc",
                                                                 "__init__.py"))
    config.write_text(KIOSK_YAML, encoding="utf-8")
    print(f"wrote {config} and the demo exhibition in {content}\n"
          f"已写入 {config} 和示例展览 {content}\n\n"
          f"next / 下一步:\n"
          f"  cd {target}\n"
          f"  kiosk check               # check the content / 检查内容\n"
          f"  kiosk run --windowed      # try it in a window / 在窗口中试运行\n"
          f"  kiosk run                 # full screen, as on the kiosk / 全屏运行", file=out)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("init", help="write a kiosk.yaml and the demo exhibition into a folder")
    p.add_argument("dir", help="folder to create (or an empty one)")


def run(args) -> int:
    return init(args.dir)
