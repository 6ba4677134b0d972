"""The admin panel behind the hidden gesture and the staff PIN: content status with the
errors by file and line, Reload now, the screen test, the session's language, visitor
figures, Exit to desktop (staff PIN only) and the lock after a minute."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES
from kivy.core.window import Window
from test_tour_admin import GUIDE, STAFF, hold_corner, panel, type_pin

from kiosk.config import AdminConfig
from kiosk.pin import hash_pin
from kiosk.ui.admin_panel import LOCK_AFTER
from kiosk.ui.widgets.adminpanel import ProblemLine, ScreenTest

BROKEN = "title: {zh: 笔记, en: Notes\nlayout: grid\n"  # the flow mapping is never closed


def broken_tree(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "ui-basic", root)
    (root / "01-notes" / "_section.yaml").write_text(BROKEN, encoding="utf-8")
    return root


def open_panel(kiosk, tmp_path, pin=STAFF, content=None, **config):
    admin = AdminConfig(pin_file=str(tmp_path / "no-pins.json"), pin_hash=hash_pin(STAFF, n=2**10),
                        guide_pin_hash=hash_pin(GUIDE, n=2**10))
    app = kiosk.start(content or broken_tree(tmp_path), admin=admin, **config)
    hold_corner(kiosk)
    type_pin(kiosk, pin)
    kiosk.frames(3)
    return app


def sections(kiosk):
    return panel(kiosk).ids.sections


def test_the_panel_shows_the_content_version_and_its_errors_by_file_and_line(kiosk, tmp_path):
    app = open_panel(kiosk, tmp_path)
    assert panel(kiosk).stage == "menu" and panel(kiosk).role == "admin"
    assert kiosk.status()["mode"] == "admin"
    kiosk.find_text("管理面板")
    kiosk.find_text(f"内容版本：{int(app.content_version)}")
    kiosk.find_text("内容错误：1 处")
    lines = [w.text for w in kiosk.widgets(ProblemLine, panel(kiosk))]
    assert len(lines) == 1
    assert lines[0].startswith("01-notes/_section.yaml:") and len(lines[0].split()[1]) > 0
    kiosk.find_text("今天：未记录")  # no analytics database in this configuration
    kiosk.find_text("最近 7 天：未记录")
    w, h = Window.size
    kiosk.find_text(f"窗口 {w}×{h}，旋转 0°")
    assert "OpenGL" in sections(kiosk).gl_text


def test_reload_now_applies_an_edit(kiosk, tmp_path):
    content = broken_tree(tmp_path)
    app = open_panel(kiosk, tmp_path, content=content)
    version = int(app.content_version)
    (content / "01-notes" / "_section.yaml").write_text(
        "title: {zh: 修好的笔记, en: Fixed notes}\nlayout: grid\n", encoding="utf-8")
    kiosk.tap(sections(kiosk).ids.reload)
    assert int(app.content_version) == version + 1
    assert app.content.section("notes").title.get("zh") == "修好的笔记"
    kiosk.find_text("已载入新内容")
    kiosk.find_text("内容没有错误")
    kiosk.find_text(f"内容版本：{version + 1}")
    assert not kiosk.widgets(ProblemLine, panel(kiosk))
    kiosk.tap(sections(kiosk).ids.reload)  # nothing changed since
    kiosk.find_text("内容没有变化")
    assert int(app.content_version) == version + 1


def test_the_screen_test_opens_and_a_touch_closes_it(kiosk, tmp_path):
    app = open_panel(kiosk, tmp_path)
    kiosk.tap(sections(kiosk).ids.screen_test)
    patterns = [w for w in app.root.children if isinstance(w, ScreenTest)]
    assert len(patterns) == 1 and patterns[0] is app.root.children[0]  # on top of the panel
    assert tuple(patterns[0].size) == tuple(Window.size)
    kiosk.advance(LOCK_AFTER + 10, step=5.0)  # an installer looking at it: the panel stays
    assert panel(kiosk) is not None
    kiosk.tap((Window.width * 0.7, Window.height * 0.3))
    assert not [w for w in app.root.children if isinstance(w, ScreenTest)]
    assert panel(kiosk) is not None and panel(kiosk).stage == "menu"


def test_the_language_switch_sets_the_language_for_the_session(kiosk, tmp_path):
    app = open_panel(kiosk, tmp_path)
    buttons = {b.lang: b for b in sections(kiosk).ids.languages.children}
    assert set(buttons) == {"zh", "en"} and buttons["zh"].active
    kiosk.tap(buttons["en"])
    assert app.lang == "en"
    kiosk.find_text("Admin panel")
    kiosk.find_text("Content errors: 1")
    assert kiosk.status()["language"] == "en"


def test_exit_to_desktop_stops_the_app(kiosk, tmp_path, monkeypatch):
    app = open_panel(kiosk, tmp_path)
    stopped = []
    monkeypatch.setattr(app, "stop", lambda *a: stopped.append(True))
    exit_button = sections(kiosk).ids.exit
    kiosk.find_text("退出到桌面")
    kiosk.tap(exit_button)
    assert stopped == [True]
    assert panel(kiosk) is None


def test_the_guide_pin_shows_no_exit(kiosk, tmp_path, monkeypatch):
    app = open_panel(kiosk, tmp_path, pin=GUIDE)
    assert panel(kiosk).role == "guide"
    stopped = []
    monkeypatch.setattr(app, "stop", lambda *a: stopped.append(True))
    exit_button = sections(kiosk).ids.exit
    assert exit_button.height == 0 and exit_button.opacity == 0 and exit_button.disabled
    with pytest.raises(AssertionError):
        kiosk.find_text("退出到桌面")  # not shown
    sections(kiosk).exit_to_desktop()  # even called directly it does nothing
    assert stopped == [] and panel(kiosk) is not None


def test_the_panel_locks_after_a_minute_idle(kiosk, tmp_path):
    open_panel(kiosk, tmp_path)
    kiosk.tap(sections(kiosk).ids.reload)
    kiosk.advance(LOCK_AFTER - 5, step=5.0)
    assert panel(kiosk) is not None
    kiosk.advance(6, step=2.0)
    assert panel(kiosk) is None
    assert kiosk.status()["mode"] == "browse"
    hold_corner(kiosk)
    assert panel(kiosk).stage == "pin"


def test_visitor_figures_come_from_the_analytics_database(kiosk, tmp_path):
    open_panel(kiosk, tmp_path, analytics_db=str(tmp_path / "visits.sqlite"))
    # opening the panel was a touch after idle: one session today, in this week's file too
    kiosk.find_text("今天：1")
    kiosk.find_text("最近 7 天：1")


def test_staff_learn_that_video_cannot_play_from_the_panel_and_status(
        kiosk, tmp_path, monkeypatch, demo_content):
    from kiosk import videocheck

    monkeypatch.setattr(videocheck, "playback_installed", lambda: False)
    app = open_panel(kiosk, tmp_path, content=demo_content)
    lines = [w.text for w in kiosk.widgets(ProblemLine, panel(kiosk))]
    assert app.ui("no_video") in lines and "ffpyplayer" in app.ui("no_video")
    app.write_status()
    assert kiosk.status()["video_playback"] is False
