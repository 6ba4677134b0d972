"""Lockdown promises not covered elsewhere: no key or gesture leaves the app, no
network port is opened, and systemd brings a dead kiosk back.

Covered elsewhere: Escape and the window's close request
(tests/test_ui_app.py::test_escape_and_window_close_do_not_quit); the PIN
(tests/test_pin.py), the locked pad after wrong PINs
(tests/test_tour_admin.py::test_wrong_pins_lock_the_pad_and_reopening_keeps_the_lock)
and the panel locking after a minute (tests/test_admin_panel.py::
test_the_panel_locks_after_a_minute_idle).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from kivy.config import Config as KivyConfig
from kivy.core.window import Window

BASIC = FIXTURES / "ui-basic"


KEYS = [("escape", ()), ("f1", ()), ("f4", ["alt"]), ("q", ["ctrl"]), ("w", ["ctrl"]),
        ("tab", ["alt"]), ("f11", ()), ("backspace", ()), ("escape", ["shift"])]


def test_no_key_leaves_or_minimises_the_app(kiosk):
    app = kiosk.start(BASIC)
    minimised = []
    Window.bind(on_minimize=lambda *a: minimised.append(True))
    for key, modifiers in KEYS:
        kiosk.key(key, modifiers=modifiers)
        kiosk.settle()
        assert app.root.get_root_window() is Window, key  # still running, still shown
        assert app._app_settings is None or app._app_settings.parent is None  # no settings
        assert minimised == [], key
        assert kiosk.route == "home", key
    assert Window.dispatch("on_request_close") is True


def test_kivy_is_configured_for_a_kiosk():
    """What run_kiosk sets before the window opens (kiosk mode, not windowed)."""
    from kiosk.ui.boot import configure_kivy

    saved = {(s, k): KivyConfig.get(s, k) for s, k in (
        ("kivy", "exit_on_escape"), ("graphics", "fullscreen"), ("graphics", "borderless"),
        ("graphics", "show_cursor"), ("graphics", "allow_screensaver"))}
    try:
        configure_kivy(fullscreen=True)
        assert KivyConfig.get("kivy", "exit_on_escape") == "0"
        assert KivyConfig.get("graphics", "fullscreen") == "auto"
        assert KivyConfig.get("graphics", "borderless") == "1"
        assert KivyConfig.get("graphics", "show_cursor") == "0"
        assert KivyConfig.get("graphics", "allow_screensaver") == "0"
    finally:
        for (section, key), value in saved.items():
            KivyConfig.set(section, key, value)


def _listening_socket_inodes() -> set[str]:
    """Inodes of every listening TCP socket and bound UDP socket on the machine."""
    found = set()
    for name, listening in (("tcp", "0A"), ("tcp6", "0A"), ("udp", "07"), ("udp6", "07")):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9 and fields[3] == listening:
                found.add(fields[9])
    return found


def _my_socket_inodes() -> set[str]:
    out = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        match = re.fullmatch(r"socket:\[(\d+)\]", target)
        if match:
            out.add(match.group(1))
    return out


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_no_network_port_is_opened_by_default(kiosk, tmp_path):
    from kiosk.ui.reload import Reloader

    app = kiosk.start(BASIC)
    app.reloader = Reloader(app, "native").start()  # as run_kiosk does, with the watcher
    try:
        for route in ("section/notes", "exhibit/notes/plain", "home"):
            assert app.go(route)
            kiosk.settle()
        open_ports = _my_socket_inodes() & _listening_socket_inodes()
        assert open_ports == set()
    finally:
        app.reloader.stop()


def test_systemd_restarts_the_kiosk_whatever_the_reason():
    unit = ROOT / "deploy" / "systemd" / "kiosk.service"
    if not unit.exists():
        pytest.skip("deploy/systemd/kiosk.service is not there")
    lines = [ln.strip() for ln in unit.read_text(encoding="utf-8").splitlines()]
    assert "Restart=always" in lines
    delay = next(ln for ln in lines if ln.startswith("RestartSec="))
    assert float(delay.split("=", 1)[1].rstrip("s")) < 3  # back within 3 seconds
