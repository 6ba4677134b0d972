"""The hidden way in: hold the top-left corner, type the PIN, choose a tour; wrong PINs
lock the pad; the panel locks itself after a minute; the guide ends a tour from it."""

from __future__ import annotations

from conftest import FIXTURES
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch

from kiosk.config import AdminConfig
from kiosk.pin import FIRST_LOCK, FREE_ATTEMPTS, hash_pin
from kiosk.ui.admin_gesture import HOLD_SECONDS
from kiosk.ui.admin_panel import LOCK_AFTER, AdminPanel, TourChoice

WALK = FIXTURES / "tour-basic"
STAFF, GUIDE = "2468", "13579"


def start(kiosk, tmp_path, **admin):
    admin.setdefault("pin_file", str(tmp_path / "no-pins.json"))
    return kiosk.start(WALK, admin=AdminConfig(**admin))


def with_pins(kiosk, tmp_path):
    return start(kiosk, tmp_path, pin_hash=hash_pin(STAFF, n=2**10),
                 guide_pin_hash=hash_pin(GUIDE, n=2**10))


def hold(kiosk, x, y, seconds):
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    kiosk.advance(seconds, step=0.5)
    touch.touch_up()
    kiosk.frames(2)


def hold_corner(kiosk, seconds=HOLD_SECONDS + 0.3):
    w, h = Window.size
    hold(kiosk, 6, h - 6, seconds)


def panel(kiosk):
    found = [w for w in kiosk.app.root.children if isinstance(w, AdminPanel)]
    return found[0] if found else None


def press_key(kiosk, button):
    """A quick finger on one key of the PIN pad (the pad draws over the whole screen: few frames)."""
    touch = UnitTestTouch(*button.to_window(*button.center))
    touch.touch_down()
    kiosk.frames(1)
    touch.touch_up()
    kiosk.frames(1)


def type_pin(kiosk, pin):
    pad = panel(kiosk).ids.pad
    keys = {b.key: b for b in pad.ids.key_grid.children}
    for digit in pin:
        press_key(kiosk, keys[digit])
    press_key(kiosk, keys["ok"])
    kiosk.frames(2)


def test_a_short_touch_or_a_touch_elsewhere_opens_nothing(kiosk, tmp_path):
    with_pins(kiosk, tmp_path)
    hold_corner(kiosk, seconds=1.0)
    assert panel(kiosk) is None
    w, h = Window.size
    hold(kiosk, w / 2, h - 6, HOLD_SECONDS + 0.5)  # top edge, but not the corner
    assert panel(kiosk) is None


def test_the_guide_pin_opens_the_tour_menu_and_starts_a_tour(kiosk, tmp_path):
    app = with_pins(kiosk, tmp_path)
    hold_corner(kiosk)
    assert panel(kiosk) is not None
    assert kiosk.status()["mode"] == "admin"
    kiosk.find_text("请输入密码")
    type_pin(kiosk, GUIDE)
    p = panel(kiosk)
    assert p.stage == "menu" and p.role == "guide"
    choices = {c.title: c for c in kiosk.widgets(TourChoice, p)}
    assert set(choices) == {"测试讲解路线", "简短路线"}
    assert any("共 5 站" in t and "五站" in t for t in kiosk.texts(choices["测试讲解路线"]))
    kiosk.tap(choices["测试讲解路线"])
    assert panel(kiosk) is None
    assert kiosk.route == "tour/walk/1"
    assert kiosk.status()["mode"] == "tour"
    assert app.tour_id == "walk"


def test_the_guide_ends_a_tour_from_the_panel(kiosk, tmp_path):
    app = with_pins(kiosk, tmp_path)
    app.start_tour("walk")
    kiosk.settle()
    kiosk.key("pagedown")
    hold_corner(kiosk)
    assert kiosk.status()["mode"] == "tour"  # the tour goes on under the panel
    type_pin(kiosk, STAFF)
    assert panel(kiosk).role == "admin"
    kiosk.tap(kiosk.find_text("结束当前讲解"))
    assert panel(kiosk) is None
    assert kiosk.route == "home" and kiosk.status()["mode"] == "browse"


def test_wrong_pins_lock_the_pad_and_reopening_keeps_the_lock(kiosk, tmp_path):
    with_pins(kiosk, tmp_path)
    hold_corner(kiosk)
    for _ in range(FREE_ATTEMPTS):
        type_pin(kiosk, "0000")
        kiosk.find_text("密码不正确")
    type_pin(kiosk, "0000")
    pad = panel(kiosk).ids.pad
    assert pad.locked
    kiosk.find_text(f"尝试次数过多，请 {int(FIRST_LOCK)} 秒后再试")
    type_pin(kiosk, STAFF)  # while locked the keys do nothing
    assert panel(kiosk).stage == "pin"
    press_key(kiosk, pad.ids.cancel)
    assert panel(kiosk) is None
    hold_corner(kiosk)  # opening again does not reset the lock
    assert panel(kiosk).ids.pad.locked
    kiosk.advance(FIRST_LOCK, step=5.0)
    assert not panel(kiosk).ids.pad.locked  # (each further miss doubles it: tests/test_pin.py)
    type_pin(kiosk, STAFF)
    assert panel(kiosk).stage == "menu"


def test_the_panel_locks_after_a_minute_untouched(kiosk, tmp_path):
    with_pins(kiosk, tmp_path)
    hold_corner(kiosk)
    type_pin(kiosk, STAFF)
    assert panel(kiosk).stage == "menu"
    kiosk.advance(LOCK_AFTER - 5, step=5.0)
    assert panel(kiosk) is not None
    kiosk.advance(6, step=2.0)
    assert panel(kiosk) is None
    assert kiosk.status()["mode"] == "browse"
    hold_corner(kiosk)
    assert panel(kiosk).stage == "pin"  # the PIN is asked again


def test_the_keyboard_types_the_pin_too(kiosk, tmp_path):
    with_pins(kiosk, tmp_path)
    hold_corner(kiosk)
    for digit in STAFF:
        kiosk.key(digit)
    kiosk.key("enter")
    assert panel(kiosk).stage == "menu"


def test_without_a_pin_the_gesture_opens_only_a_note_for_staff(kiosk, tmp_path):
    start(kiosk, tmp_path)
    hold_corner(kiosk)
    p = panel(kiosk)
    assert p.stage == "none"
    kiosk.find_text("本机尚未设置密码。请在终端运行 kiosk pin 设置。")
    assert not kiosk.widgets(TourChoice, p)
    kiosk.tap(p.ids.close_note)
    assert panel(kiosk) is None


def test_a_pin_set_with_kiosk_pin_is_read_from_the_pin_file(kiosk, tmp_path):
    from kiosk.pin import write_pin_file

    write_pin_file(tmp_path / "pins.json", "guide", hash_pin("97531", n=2**10))
    start(kiosk, tmp_path, pin_file=str(tmp_path / "pins.json"))
    hold_corner(kiosk)
    type_pin(kiosk, "97531")
    assert panel(kiosk).stage == "menu" and panel(kiosk).role == "guide"
