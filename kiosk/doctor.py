"""``kiosk doctor``: is this machine ready to be a kiosk? What to fix if not.

Checks the graphics (OpenGL version and screen size, from a small window
opened in a separate process), touch panels (``/dev/input/event*`` readable,
``libmtdev`` present), fonts, the content, free disk space, and that the cache
and state folders can be written. Prints one line per check and, for every
problem, what to do, in Chinese and English. Exit code 0: ready (warnings
allowed); 1: something must be fixed first.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

OK, WARN, FAIL = "ok", "warn", "fail"
MARK = {OK: "[ OK ]", WARN: "[WARN]", FAIL: "[FAIL]"}
ABS_MT_POSITION_X = 0x35
MIN_FREE_MB, LOW_FREE_MB = 200, 1024
PROBE_TIMEOUT = 40.0

PROBE = r"""
import json, os, sys
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
from kiosk.ui.display import screen_size
screen = screen_size()  # as kiosk run opens its window: at the screen's size
from kivy.config import Config
if screen:
    Config.set("graphics", "width", str(screen[0]))
    Config.set("graphics", "height", str(screen[1]))
Config.set("graphics", "fullscreen", "auto")
Config.set("graphics", "borderless", "1")
Config.set("graphics", "show_cursor", "0")
for key in [k for k, _ in Config.items("input")]:
    Config.remove_option("input", key)
from kivy.core.window import Window
from kivy.graphics.opengl import GL_RENDERER, GL_VERSION, glGetString
def text(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
print("KIOSK-PROBE " + json.dumps({
    "version": text(glGetString(GL_VERSION)),
    "renderer": text(glGetString(GL_RENDERER)),
    "size": list(screen or Window.system_size),
}))
sys.stdout.flush()
os._exit(0)
"""


@dataclass
class Check:
    name: str
    status: str
    detail: str
    fix_zh: str = ""
    fix_en: str = ""

    def lines(self) -> list[str]:
        out = [f"{MARK[self.status]} {self.name}: {self.detail}"]
        if self.status != OK and (self.fix_zh or self.fix_en):
            out.append(f"       修复: {self.fix_zh}")
            out.append(f"       Fix:  {self.fix_en}")
        return out


# ------------------------------------------------------------------ graphics


def probe_display(timeout: float = PROBE_TIMEOUT, env: dict | None = None) -> dict:
    """Open a window in a child process; its OpenGL version, renderer and screen size.
    ``{"error": ...}`` if no window could be opened."""
    try:
        done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                              timeout=timeout, env=env or os.environ.copy())
    except subprocess.TimeoutExpired:
        return {"error": f"no window after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith("KIOSK-PROBE "):
            return json.loads(line[len("KIOSK-PROBE "):])
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return {"error": " | ".join(tail) or f"exit code {done.returncode}"}


def gl_number(version: str) -> tuple[int, int] | None:
    """``"OpenGL ES 3.1 Mesa 23.2"`` → (3, 1); ``"4.5 (Core Profile) Mesa"`` → (4, 5)."""
    match = re.search(r"(\d+)\.(\d+)", version or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def check_graphics(probe: dict, config=None) -> list[Check]:
    if "error" in probe:
        return [Check("OpenGL", FAIL, f"no window could be opened ({probe['error']})",
                      "在图形会话中运行（DISPLAY 或 WAYLAND_DISPLAY 已设置），并安装显卡驱动："
                      "sudo apt install libgl1-mesa-dri libegl1",
                      "run inside the graphical session (DISPLAY or WAYLAND_DISPLAY set) and "
                      "install the GPU driver: sudo apt install libgl1-mesa-dri libegl1")]
    checks = []
    version, renderer = probe.get("version", ""), probe.get("renderer", "")
    number = gl_number(version)
    detail = f"{version} — {renderer}"
    if number is None or number < (2, 0):
        checks.append(Check("OpenGL", FAIL, detail + " (2.0 or newer is needed)",
                            "安装或启用显卡驱动（树莓派：raspi-config 中启用 KMS 驱动）",
                            "install or enable the GPU driver (Raspberry Pi: the KMS driver in "
                            "raspi-config)"))
    elif re.search(r"llvmpipe|softpipe|software", renderer, re.I):
        checks.append(Check("OpenGL", WARN, detail + " (software drawing: slow animations)",
                            "显卡驱动未启用，画面由 CPU 绘制；安装显卡驱动",
                            "the GPU is not used, the CPU draws; install the GPU driver"))
    else:
        checks.append(Check("OpenGL", OK, detail))
    w, h = (probe.get("size") or [0, 0])[:2]
    rotation = getattr(config, "rotation", 0) if config else 0
    if rotation in (90, 270):
        w, h = h, w
    shape = "portrait 竖屏" if h >= w else "landscape 横屏"
    if min(w, h) < 720:
        checks.append(Check("Screen", WARN, f"{w}x{h} {shape}: small for a kiosk",
                            "检查显示器分辨率（xrandr），展示机建议 1080x1920 或 1920x1080",
                            "check the resolution (xrandr); 1080x1920 or 1920x1080 is expected"))
    else:
        checks.append(Check("Screen", OK, f"{w}x{h} {shape}"
                            + (f", rotation {rotation}" if rotation else "")))
    return checks


# --------------------------------------------------------------------- touch


def touch_devices(devices_file: str = "/proc/bus/input/devices") -> list[tuple[str, str]]:
    """(name, /dev/input/eventN) of every multi-touch device the kernel knows."""
    try:
        text = Path(devices_file).read_text(errors="replace")
    except OSError:
        return []
    found = []
    for block in text.split("\n\n"):
        name = re.search(r'^N: Name="(.*)"', block, re.M)
        handlers = re.search(r"^H: Handlers=(.*)$", block, re.M)
        abs_bits = re.search(r"^B: ABS=([0-9a-f ]+)$", block, re.M)
        if not (handlers and abs_bits):
            continue
        words = abs_bits.group(1).split()
        bits = 0
        for word in words:  # the kernel prints the highest 64-bit word first
            bits = (bits << 64) | int(word, 16)
        event = re.search(r"\b(event\d+)\b", handlers.group(1))
        if event and bits >> ABS_MT_POSITION_X & 1:
            found.append((name.group(1) if name else "?", f"/dev/input/{event.group(1)}"))
    return found


def has_mtdev() -> bool:
    for name in ("libmtdev.so.1", ctypes.util.find_library("mtdev")):
        if not name:
            continue
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def check_touch(devices=None, mtdev: bool | None = None) -> list[Check]:
    devices = touch_devices() if devices is None else devices
    mtdev = has_mtdev() if mtdev is None else mtdev
    checks = []
    if not devices:
        all_events = glob.glob("/dev/input/event*")
        checks.append(Check("Touch", WARN,
                            f"no multi-touch panel found ({len(all_events)} input devices)",
                            "检查触摸屏 USB 线；连接后运行 kiosk doctor 再查",
                            "check the touch panel's USB cable, then run kiosk doctor again"))
    else:
        blocked = [path for _, path in devices if not os.access(path, os.R_OK)]
        names = ", ".join(f"{n} ({p})" for n, p in devices)
        if blocked:
            checks.append(Check("Touch", FAIL, f"{names}: cannot read {', '.join(blocked)}",
                                "把运行展示机的用户加入 input 组：sudo usermod -aG input kiosk，"
                                "然后重新登录",
                                "add the kiosk user to the input group: sudo usermod -aG input "
                                "kiosk, then log in again"))
        else:
            checks.append(Check("Touch", OK, names))
    if mtdev:
        checks.append(Check("libmtdev", OK, "multi-touch library present"))
    else:
        checks.append(Check("libmtdev", FAIL if devices else WARN,
                            "libmtdev.so.1 missing: multi-touch (pinch) will not work",
                            "sudo apt install libmtdev1", "sudo apt install libmtdev1"))
    return checks


# ------------------------------------------------------------- files, fonts


def check_writable(name: str, folder: Path) -> Check:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
        return Check(name, OK, f"{folder} writable")
    except OSError as exc:
        return Check(name, FAIL, f"{folder}: {exc.strerror or exc}",
                     f"让运行展示机的用户可以写入该文件夹：sudo chown -R kiosk {folder}",
                     f"let the kiosk user write there: sudo chown -R kiosk {folder}")


def _existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def check_disk(folders: dict[str, Path]) -> list[Check]:
    checks, seen = [], set()
    for name, folder in folders.items():
        base = _existing(folder)
        try:
            usage = shutil.disk_usage(base)
            dev = os.stat(base).st_dev
        except OSError:
            continue
        if dev in seen:
            continue
        seen.add(dev)
        free = usage.free // 1048576
        detail = f"{free} MB free on the disk of {name} ({base})"
        status = OK if free >= LOW_FREE_MB else (WARN if free >= MIN_FREE_MB else FAIL)
        checks.append(Check("Disk", status, detail,
                            "删除旧日志和不用的文件（sudo journalctl --vacuum-size=200M）",
                            "remove old logs and unused files (sudo journalctl --vacuum-size=200M)"))
    return checks


def check_content_and_fonts(config, config_path) -> list[Check]:
    from kiosk.check import collect

    root = Path(config.content_dir)
    if not root.is_dir():
        return [Check("Content", FAIL, f"{root} does not exist",
                      "把展览内容复制到该文件夹，或在 kiosk.yaml 中改正 content:",
                      "copy the exhibition there, or correct content: in kiosk.yaml")]
    content, found = collect(root, config_path=config_path, theme_dir=str(config.theme_dir))
    errors = [p for _, p in found if p.is_error]
    glyphs = [p for _, p in found if p.message.startswith("the font cannot draw")]
    exhibits = sum(len(s.exhibits) for s in content.sections)
    detail = f"{len(content.sections)} sections, {exhibits} exhibits, {len(errors)} errors"
    checks = [Check("Content", WARN if errors else OK, detail,
                    f"运行 kiosk check {root} 查看错误并改正",
                    f"run kiosk check {root} to see the errors and fix them")]
    theme_dir = Path(config.theme_dir)
    fonts = sorted(str(p.name) for p in theme_dir.glob("fonts/*.[ot]t[fc]"))
    if not (theme_dir / "theme.yaml").is_file():
        checks.append(Check("Fonts", FAIL, f"theme {theme_dir} not found",
                            "在 kiosk.yaml 中写正确的 theme:", "name an existing theme in kiosk.yaml"))
    elif glyphs:
        checks.append(Check("Fonts", WARN, f"{len(glyphs)} characters the font cannot draw",
                            f"运行 kiosk check {root} 查看哪些字，换用包含它们的字体",
                            f"run kiosk check {root} to see them; use a font that has them"))
    else:
        checks.append(Check("Fonts", OK, ", ".join(fonts) or "theme fonts"))
    return checks


# --------------------------------------------------------------------- all


def run_checks(config, config_path=None, *, window: bool = True, probe: dict | None = None
               ) -> list[Check]:
    checks: list[Check] = []
    if window:
        checks += check_graphics(probe if probe is not None else probe_display(), config)
    checks += check_touch()
    checks += check_content_and_fonts(config, config_path)
    cache = config.path(config.cache.dir)
    state = config.path(config.state_dir)
    checks.append(check_writable("Cache", cache))
    checks.append(check_writable("State", state))
    for label, value in (("Status file", config.status_file), ("Metrics file", config.metrics_file)):
        if value:
            checks.append(check_writable(label, config.path(value).parent))
    checks += check_disk({"content": Path(config.content_dir), "cache": cache, "state": state})
    return checks


def report(checks: list[Check]) -> tuple[str, int]:
    lines = [line for c in checks for line in c.lines()]
    fails = sum(c.status == FAIL for c in checks)
    warns = sum(c.status == WARN for c in checks)
    if fails:
        lines.append(f"\n{fails} 项必须修复，{warns} 项警告 / {fails} to fix, {warns} warnings")
    else:
        note_zh = f"（有 {warns} 项警告）" if warns else ""
        note_en = f" ({warns} warnings)" if warns else ""
        lines.append(f"\n可以使用{note_zh} / ready{note_en}")
    return "\n".join(lines) + "\n", 1 if fails else 0


def add_parser(sub) -> None:
    doc = sub.add_parser("doctor", help="check this machine: graphics, touch, fonts, content, disk")
    doc.add_argument("--config", default=None, help="kiosk.yaml to read (default: ./kiosk.yaml)")
    doc.add_argument("--content", default=None, help="content folder (overrides kiosk.yaml)")
    doc.add_argument("--no-window", action="store_true",
                     help="skip the OpenGL and screen check (it opens a window for a moment)")


def run(args) -> int:
    from kiosk.config import load_config

    config_path = args.config or ("kiosk.yaml" if Path("kiosk.yaml").exists() else None)
    config, problems = load_config(config_path)
    config = config.with_overrides(content=args.content)
    checks = run_checks(config, config_path, window=not args.no_window)
    if problems:
        errors = [p for p in problems if p.is_error]
        checks.insert(0, Check("kiosk.yaml", FAIL if errors else WARN,
                               "; ".join(p.format() for p in problems[:3]),
                               "按提示改正 kiosk.yaml", "correct kiosk.yaml as the message says"))
    text, code = report(checks)
    sys.stdout.write(text)
    return code


__all__ = ["Check", "check_graphics", "check_touch", "probe_display", "report", "run",
           "run_checks", "touch_devices"]
