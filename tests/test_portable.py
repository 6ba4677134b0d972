"""The parts without a screen (``kiosk check``, ``kiosk stats``, ``kiosk init``, the loader,
the status and metrics files) work where Linux-only modules and /proc do not exist
(Windows, macOS): tried in a Python where those imports fail and /proc cannot be read."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

SCRIPT = r"""
import builtins, json, os, sys
for name in ("resource", "fcntl", "termios", "pwd", "grp", "posix_ipc"):
    sys.modules[name] = None  # import fails, as on Windows
del os.uname
_open = builtins.open
def no_proc(file, *args, **kwargs):
    if str(file).startswith("/proc"):
        raise FileNotFoundError(file)
    return _open(file, *args, **kwargs)
builtins.open = no_proc

import kiosk.analytics, kiosk.check, kiosk.cli, kiosk.config, kiosk.init, kiosk.metrics
import kiosk.recovery, kiosk.resources, kiosk.stats, kiosk.status
import kiosk.content.loader, kiosk.content.state

values, _ = kiosk.metrics.metric_values()
doc = kiosk.status.build_status(mode="browse", screen="home", language="zh",
                                content_version=1, errors=[])
code = kiosk.cli.main(["check", sys.argv[1]])
loader, snapshot = kiosk.content.state.load_with_state(sys.argv[1], sys.argv[2])
kivy = sorted(m for m in sys.modules if m.split(".")[0] == "kivy")
print("RESULT " + json.dumps({"kivy": kivy, "rss": doc["memory_rss_mb"], "check": code,
                              "up": values["kiosk_up"], "sections": len(snapshot.sections)}))
"""


def test_the_screenless_parts_need_nothing_linux_only(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "content"),
                           str(tmp_path / "state" / "content-state.json")],
                          capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["kivy"] == []  # nothing of these imports Kivy
    assert result["check"] == 0 and result["up"] == 1 and result["sections"] > 0
    assert isinstance(result["rss"], float)
