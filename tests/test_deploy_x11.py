"""The kiosk as deployed, on a real X server with no window manager (as under
deploy/systemd/kiosk-x11.service): ``kiosk run`` with ``fullscreen: true`` and no
``size:`` must cover the whole screen at 0,0 and take taps where the cards are
drawn; the stop signals systemd and a terminal send end it cleanly, while a close
request from the desktop is refused.

One Xvfb (1080x1920) for the module; every process is killed at the end.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from needtools import require

KIOSK = Path(sys.executable).with_name("kiosk")
SCREEN = (1080, 1920)
START_TIMEOUT = 60.0  # seconds for the kiosk to show its home screen on a busy machine


@pytest.fixture(scope="module")
def xserver():
    require("Xvfb", package="xvfb")
    require("xwininfo", package="x11-utils")
    require("xdotool", package="xdotool")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
         "-nolisten", "tcp"], pass_fds=(write,),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as fh:
            number = fh.readline().strip()
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        proc.kill()
        proc.wait(10)


def kiosk_yaml(folder: Path, **extra) -> Path:
    """A kiosk.yaml as shipped (full screen, no size), with its files in ``folder``."""
    lines = [f"content: {ROOT / 'content'}", "fullscreen: true", "watch: off",
             "status_file: status.json", "metrics_file: kiosk.prom", "state_dir: state",
             "cache:", "  dir: cache"]
    lines[3:3] = [f"{k}: {v}" for k, v in extra.items()]
    path = folder / "kiosk.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_kiosk(folder: Path, display: str) -> subprocess.Popen:
    env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER="x11",
               KIVY_HOME=str(folder / "kivy-home"), KIVY_NO_CONSOLELOG="0")
    log = open(folder / "kiosk.log", "wb")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen([str(KIOSK), "run", "--config", "kiosk.yaml"], cwd=folder, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    proc.log_file = log
    return proc


def stop_kiosk(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)
    proc.log_file.close()


def status(folder: Path) -> dict:
    try:
        return json.loads((folder / "status.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def wait_for(folder: Path, proc: subprocess.Popen, check, timeout=START_TIMEOUT) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        doc = status(folder)
        if doc and check(doc):
            return doc
        assert proc.poll() is None, (folder / "kiosk.log").read_text("utf-8", "replace")[-3000:]
        time.sleep(0.1)
    raise AssertionError(f"status never matched; last: {status(folder)}\n"
                         + (folder / "kiosk.log").read_text("utf-8", "replace")[-3000:])


def kiosk_window(display: str) -> tuple[str, tuple[int, int, int, int]]:
    """The kiosk's top-level window as ``xwininfo -root -tree`` lists it: id, (w, h, x, y)."""
    out = subprocess.run(["xwininfo", "-root", "-tree", "-display", display],
                         capture_output=True, text=True, timeout=10, check=True).stdout
    for line in out.splitlines():
        if '"kiosk"' in line:  # "0x400006 "kiosk": (...)  WxH+x+y  +X+Y" (X, Y: on the screen)
            m = re.search(r"(0x[0-9a-f]+) .* (\d+)x(\d+)[+-]-?\d+[+-]-?\d+ +\+(-?\d+)\+(-?\d+)",
                          line)
            if m:
                return m.group(1), tuple(int(g) for g in m.groups()[1:])
    raise AssertionError(f"no kiosk window on the screen:\n{out}")


def tap(display: str, x: int, y: int) -> None:
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"],
                   env=dict(os.environ, DISPLAY=display), timeout=10, check=True)


class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong),
                ("message_type", ctypes.c_ulong), ("format", ctypes.c_int),
                ("data", ctypes.c_long * 5), ("pad", ctypes.c_long * 12)]


def request_close(display: str, window: str) -> None:
    """What a desktop's close button does: a WM_DELETE_WINDOW message to the window."""
    x11 = ctypes.CDLL("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                               ctypes.c_void_p]
    x11.XFlush.argtypes = x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(display.encode())
    assert dpy, f"cannot open {display}"
    try:
        event = _ClientMessage(type=33, window=int(window, 16), format=32,
                               message_type=x11.XInternAtom(dpy, b"WM_PROTOCOLS", 0))
        event.data[0] = x11.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        assert x11.XSendEvent(dpy, int(window, 16), 0, 0, ctypes.byref(event))
        x11.XFlush(dpy)
    finally:
        x11.XCloseDisplay(dpy)


def stops_cleanly(proc: subprocess.Popen, signum: int) -> float:
    """Send ``signum``; the kiosk must exit with code 0 within 2 s. Returns the time taken."""
    sent = time.monotonic()
    proc.send_signal(signum)
    try:
        code = proc.wait(timeout=2.0)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{signal.Signals(signum).name}: the kiosk still runs after 2 s")
    assert code == 0, f"exit code {code} after {signal.Signals(signum).name}"
    return time.monotonic() - sent


def test_full_screen_without_window_manager_taps_and_a_clean_sigterm(xserver, tmp_path):
    kiosk_yaml(tmp_path)
    proc = start_kiosk(tmp_path, xserver)
    try:
        wait_for(tmp_path, proc, lambda d: d.get("screen") == "home")
        window, geometry = kiosk_window(xserver)
        assert geometry == (*SCREEN, 0, 0)  # the whole screen, not 800x600 in the middle

        # a visitor taps a card of the home screen (left column, second row, then others)
        for x, y in ((290, 1130), (290, 660), (790, 1130)):
            tap(xserver, x, y)
            try:
                doc = wait_for(tmp_path, proc, lambda d: d.get("screen") != "home", timeout=5)
                break
            except AssertionError:
                continue
        else:
            pytest.fail(f"no tap on the home cards opened anything: {status(tmp_path)}")
        assert doc["screen"].startswith("section/"), doc

        # the desktop asks the window to close: refused, the kiosk goes on
        request_close(xserver, window)
        before = status(tmp_path)["updated_at"]
        time.sleep(1.5)
        assert proc.poll() is None, "a close request ended the kiosk"
        assert kiosk_window(xserver)[1] == (*SCREEN, 0, 0)

        stops_cleanly(proc, signal.SIGTERM)
    finally:
        stop_kiosk(proc)
    # on_stop ran: status and metrics say stopped, the visit was written
    final = status(tmp_path)
    assert final["mode"] == "stopped" and final["updated_at"] >= before
    assert "\nkiosk_up 0.0\n" in (tmp_path / "kiosk.prom").read_text("utf-8")
    db = sqlite3.connect(tmp_path / "state" / "analytics.sqlite")
    try:
        ended = db.execute("SELECT end_reason FROM sessions").fetchall()
        routes = [r for (r,) in db.execute("SELECT route FROM views ORDER BY seq")]
    finally:
        db.close()
    assert ended == [("stop",)]  # the visit begun by the tap, ended by the stop
    assert routes == ["home", doc["screen"]]


def test_turned_panel_fills_the_screen_and_stops_on_sighup(xserver, tmp_path):
    kiosk_yaml(tmp_path, rotation=90)
    proc = start_kiosk(tmp_path, xserver)
    try:
        doc = wait_for(tmp_path, proc, lambda d: d.get("screen") == "home")
        assert kiosk_window(xserver)[1] == (*SCREEN, 0, 0)
        # the picture is turned: the app lays out a landscape screen on the portrait panel
        assert doc["window"] == {"width": SCREEN[1], "height": SCREEN[0], "rotation": 90}
        stops_cleanly(proc, signal.SIGHUP)  # the terminal or session went away
    finally:
        stop_kiosk(proc)
    assert status(tmp_path)["mode"] == "stopped"
    assert "\nkiosk_up 0.0\n" in (tmp_path / "kiosk.prom").read_text("utf-8")


def test_under_a_window_manager_too_and_ctrl_c(xserver, tmp_path):
    """The same kiosk.yaml on a desktop's window manager (openbox): full screen at 0,0;
    Ctrl+C in the terminal it was started from (SIGINT) stops it cleanly."""
    require("openbox", package="openbox")
    wm = subprocess.Popen(["openbox"], env=dict(os.environ, DISPLAY=xserver),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = None
    try:
        time.sleep(1.0)  # openbox takes the screen over
        assert wm.poll() is None, "openbox did not start"
        kiosk_yaml(tmp_path)
        proc = start_kiosk(tmp_path, xserver)
        wait_for(tmp_path, proc, lambda d: d.get("screen") == "home")
        assert kiosk_window(xserver)[1] == (*SCREEN, 0, 0)
        stops_cleanly(proc, signal.SIGINT)
    finally:
        if proc is not None:
            stop_kiosk(proc)
        wm.terminate()
        wm.wait(10)
    assert status(tmp_path)["mode"] == "stopped"
    assert "\nkiosk_up 0.0\n" in (tmp_path / "kiosk.prom").read_text("utf-8")
