"""The start-up benchmark's way in: the real `kiosk run`, which reports Home's first frame and
stops, with no benchmark code in the kiosk itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import FIXTURES, ROOT


def test_first_frame_harness_reports_home_then_its_pictures_and_stops(tmp_path):
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1")
    t0 = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.first_frame", "--pictures", "--windowed", "--size", "540x960",
         "--content", str(FIXTURES / "ui-basic"), "--status-file", str(tmp_path / "status.json")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    marks = dict(line.split(" ", 1) for line in proc.stdout.splitlines()
                 if line.startswith(("HOME_DRAWN", "PICTURES_DRAWN")))
    assert set(marks) == {"HOME_DRAWN", "PICTURES_DRAWN"}, proc.stdout
    assert t0 < float(marks["HOME_DRAWN"]) <= float(marks["PICTURES_DRAWN"]) < time.time()
    # it was the kiosk itself that ran: it wrote its status file, showing Home
    assert '"screen": "home"' in (tmp_path / "status.json").read_text(encoding="utf-8")


def test_the_kiosk_has_no_benchmark_hooks():
    for path in (ROOT / "kiosk").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "KIOSK_BENCH" not in text and "exit_when_drawn" not in text, path


def test_the_kiosk_starts_without_loading_what_only_staff_open(tmp_path):
    """The admin panel (and its PIN pad and staff sections) is loaded when the hidden
    gesture first opens it, and the HEIC decoder when a photo needs it, not while the kiosk
    starts."""
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1")
    code = ("import runpy, sys\n"
            "sys.argv = ['first_frame', '--windowed', '--size', '540x960', '--content', "
            f"{str(FIXTURES / 'ui-basic')!r}, '--status-file', {str(tmp_path / 's.json')!r}]\n"
            "try:\n    runpy.run_module('bench.first_frame', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('MODULES', ' '.join(m for m in sys.modules\n"
            "                          if m.startswith(('kiosk.ui', 'pillow_heif'))))\n")
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "HOME_DRAWN" in proc.stdout
    modules = next(line for line in proc.stdout.splitlines() if line.startswith("MODULES")).split()
    assert "kiosk.ui.admin_gesture" in modules  # the gesture itself is there from the start
    assert not {"kiosk.ui.admin_panel", "kiosk.ui.widgets.adminpanel",
                "kiosk.ui.widgets.pinpad", "pillow_heif"} & set(modules)
