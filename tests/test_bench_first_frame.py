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
