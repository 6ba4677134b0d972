"""``kiosk doctor``: each check says what is wrong and what to do; the exit code follows."""

from __future__ import annotations

import os

from conftest import FIXTURES, ROOT

from kiosk import doctor
from kiosk.cli import main

DEVICES = """\
I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
H: Handlers=sysrq kbd event0 leds
B: EV=120013
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe

I: Bus=0003 Vendor=222a Product=0001 Version=0110
N: Name="ILITEK Multi-Touch-V5100"
H: Handlers=mouse0 event5
B: EV=1b
B: KEY=400 0 0 0 0 0
B: ABS=260800000000003

I: Bus=0003 Vendor=046d Product=c077 Version=0111
N: Name="Logitech USB Optical Mouse"
H: Handlers=mouse1 event3
B: EV=17
B: REL=903
"""


def test_touch_panels_are_found_by_their_multitouch_axes(tmp_path):
    devices = tmp_path / "devices"
    devices.write_text(DEVICES)
    assert doctor.touch_devices(str(devices)) == [("ILITEK Multi-Touch-V5100", "/dev/input/event5")]
    assert doctor.touch_devices(str(tmp_path / "missing")) == []


def test_touch_problems_come_with_the_fix(tmp_path):
    unreadable = str(tmp_path / "event5")  # does not exist, so cannot be read
    touch, mtdev = doctor.check_touch([("Panel", unreadable)], mtdev=False)
    assert touch.status == doctor.FAIL and "usermod -aG input" in touch.fix_en
    assert mtdev.status == doctor.FAIL and mtdev.fix_en == "sudo apt install libmtdev1"
    readable = tmp_path / "event6"
    readable.write_bytes(b"")
    touch, mtdev = doctor.check_touch([("Panel", str(readable))], mtdev=True)
    assert (touch.status, mtdev.status) == (doctor.OK, doctor.OK)
    (touch, mtdev) = doctor.check_touch([], mtdev=False)
    assert touch.status == mtdev.status == doctor.WARN  # a mouse still works


def test_graphics_verdicts():
    good = {"version": "OpenGL ES 3.1 Mesa 23.2.1", "renderer": "V3D 4.2", "size": [1080, 1920]}
    gl, screen = doctor.check_graphics(good)
    assert gl.status == doctor.OK and screen.status == doctor.OK
    assert "1080x1920 portrait" in screen.detail
    soft = dict(good, renderer="llvmpipe (LLVM 15.0.6, 256 bits)")
    assert doctor.check_graphics(soft)[0].status == doctor.WARN
    old = dict(good, version="1.4 Mesa 7.0")
    assert doctor.check_graphics(old)[0].status == doctor.FAIL
    small = dict(good, size=[800, 480])
    assert doctor.check_graphics(small)[1].status == doctor.WARN
    (none,) = doctor.check_graphics({"error": "no display"})
    assert none.status == doctor.FAIL and "DISPLAY" in none.fix_en


def test_the_window_probe_reports_opengl_and_size():
    probe = doctor.probe_display(env=dict(os.environ, SDL_VIDEODRIVER="offscreen"))
    assert "error" not in probe, probe
    assert doctor.gl_number(probe["version"]) >= (2, 0)
    assert probe["size"][0] > 0 and probe["size"][1] > 0


def test_an_unwritable_folder_fails_with_the_fix(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    check = doctor.check_writable("Cache", blocker / "cache")
    assert check.status == doctor.FAIL and "chown" in check.fix_en
    assert doctor.check_writable("Cache", tmp_path / "cache").status == doctor.OK


def test_cli_ready_machine_and_missing_content(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no kiosk.yaml here: defaults
    (tmp_path / "kiosk.yaml").write_text(
        f"content: {FIXTURES / 'ui-basic'}\ntheme: {ROOT / 'themes' / 'party-red'}\n"
        f"cache:\n  dir: {tmp_path / 'cache'}\nstate_dir: {tmp_path / 'state'}\n",
        encoding="utf-8")
    code = main(["doctor", "--no-window"])
    out = capsys.readouterr().out
    assert "[ OK ] Content: 2 sections, 3 exhibits, 0 errors" in out
    assert "[ OK ] Fonts:" in out
    assert f"[ OK ] Cache: {tmp_path / 'cache'} writable" in out
    assert "[ OK ] Disk:" in out
    assert code == 0 and "ready" in out
    code = main(["doctor", "--no-window", "--content", str(tmp_path / "nothing")])
    out = capsys.readouterr().out
    assert code == 1
    assert "[FAIL] Content:" in out and "修复" in out and "to fix" in out
