"""The kiosk under the cage Wayland compositor, as deploy/systemd/kiosk-cage.service runs it
(through XWayland, with SDL_VIDEODRIVER=x11), on cage's headless back end: the window
covers the whole output at 0,0, and SIGTERM to the app (the unit's ExecStop) stops it
cleanly, and cage with it.

cage refuses to run as root; as root the test runs it as ``nobody``, with an interpreter
that user may run (this environment's, or the system's Python of the same version).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT
from needtools import require

LAUNCHER = """#!{python}
# what pip installs as /opt/kiosk/bin/kiosk: a script named kiosk (its process name too)
import sys

from kiosk.cli import main

sys.exit(main())
"""


def _python_for(user: tuple[int, int] | None, home: Path) -> tuple[str, dict] | None:
    """A command that runs Python with Kivy and this kiosk for ``user``, and its environment."""
    site = sysconfig.get_paths()["purelib"]
    env = {"PYTHONPATH": f"{ROOT}:{site}", "HOME": str(home), "KIVY_HOME": str(home / "kivy")}
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(version) or "", f"/usr/bin/{version}"):
        if not python or not os.path.exists(python):
            continue
        # through sh, as cage will start it
        probe = ["sh", "-c", 'exec "$0" -c "import kivy, kiosk.ui.boot"', python]
        if user is not None:
            probe = ["setpriv", f"--reuid={user[0]}", f"--regid={user[1]}", "--clear-groups",
                     *probe]
        done = subprocess.run(probe, env=dict(os.environ, **env), capture_output=True,
                              timeout=60)
        if done.returncode == 0:
            return python, env
    return None


def test_under_cage_the_kiosk_fills_the_output_and_stops_cleanly():
    require("cage", package="cage")
    require("Xwayland", package="xwayland")
    require("xwininfo", package="x11-utils")
    user = None
    if os.geteuid() == 0:
        require("setpriv", package="util-linux")
        user = (65534, 65534)  # nobody
    work = Path(tempfile.mkdtemp(prefix="kiosk-cage-"))
    cage = None
    try:
        if user is not None:
            os.chown(work, *user)
        found = _python_for(user, work)
        if found is None:
            pytest.skip("no Python with Kivy that the user running cage may use")
        python, env = found
        (work / "run").mkdir(mode=0o700)
        (work / "kiosk.yaml").write_text(
            f"content: {ROOT / 'content'}\nwatch: off\nstatus_file: status.json\n"
            "metrics_file: kiosk.prom\nstate_dir: state\ncache:\n  dir: cache\n", "utf-8")
        (work / "kiosk").write_text(LAUNCHER.format(python=python), "utf-8")
        (work / "kiosk").chmod(0o755)
        if user is not None:
            for path in [work, *work.rglob("*")]:
                os.chown(path, *user)
        env = dict(os.environ, **env, XDG_RUNTIME_DIR=str(work / "run"), SDL_VIDEODRIVER="x11",
                   WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman")
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        command = ["cage", "-d", "--", str(work / "kiosk"), "run", "--config", "kiosk.yaml"]
        as_user = [] if user is None else ["setpriv", f"--reuid={user[0]}",
                                           f"--regid={user[1]}", "--clear-groups"]
        cage = subprocess.Popen(as_user + command, cwd=work, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        end = time.monotonic() + 60
        while not (work / "status.json").exists():
            assert cage.poll() is None, "cage ended before the kiosk showed anything"
            assert time.monotonic() < end, "the kiosk did not start under cage"
            time.sleep(0.2)
        status = json.loads((work / "status.json").read_text("utf-8"))

        # the X screen XWayland gives the app, looked at as the app's user
        environ = Path(f"/proc/{status['pid']}/environ").read_bytes().split(b"\0")
        xenv = dict(v.decode().split("=", 1) for v in environ if v.startswith((b"DISPLAY=",
                                                                            b"XAUTHORITY=")))
        look = dict(os.environ, **xenv)
        root = subprocess.run(as_user + ["xwininfo", "-root"], env=look, capture_output=True,
                              text=True, timeout=10).stdout
        tree = subprocess.run(as_user + ["xwininfo", "-root", "-tree"], env=look,
                              capture_output=True, text=True, timeout=10).stdout
        width = int(re.search(r"Width: (\d+)", root).group(1))
        height = int(re.search(r"Height: (\d+)", root).group(1))
        line = next(ln for ln in tree.splitlines() if '"kiosk"' in ln)
        assert re.search(rf"\b{width}x{height}\+0\+0\b", line), (root, line)
        assert (status["window"]["width"], status["window"]["height"]) == (width, height)

        # systemctl stop: the unit's ExecStop, then cage ends by itself
        unit = (ROOT / "deploy" / "systemd" / "kiosk-cage.service").read_text("utf-8")
        stop = next(ln for ln in unit.splitlines() if ln.startswith("ExecStop="))
        argv = shlex.split(stop.removeprefix("ExecStop=").replace("$$", "$"))
        subprocess.run(argv, env=dict(os.environ, MAINPID=str(cage.pid)), timeout=10, check=True)
        try:
            code = cage.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            pytest.fail("the kiosk (or cage) still runs 2 s after systemctl stop")
        assert code == 0
        assert json.loads((work / "status.json").read_text("utf-8"))["mode"] == "stopped"
        assert "\nkiosk_up 0.0\n" in (work / "kiosk.prom").read_text("utf-8")
    finally:
        if cage is not None:
            try:
                os.killpg(cage.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            cage.wait(10)
        shutil.rmtree(work, ignore_errors=True)
