"""A visitor who needs more time, larger or clearer text, less motion, sound or a keypad."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from kivy.core.window import Window
from kivy.uix.screenmanager import NoTransition

from kiosk.a11y.settings import AccessConfig
from kiosk.config import Config, IdleConfig

FIXTURES = Path(__file__).parent / "fixtures"
A11Y = FIXTURES / "a11y-content"
BASIC = FIXTURES / "ui-basic"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed")
        pytest.skip(f"{tool} is not installed (Debian package espeak-ng)")
    return path


@pytest.fixture
def narrated(tmp_path) -> Path:
    """The test exhibition with Chinese narration beside 'welcome', spoken by espeak-ng."""
    espeak = need("espeak-ng")
    tree = tmp_path / "content"
    shutil.copytree(A11Y, tree)
    subprocess.run([espeak, "-v", "cmn", "-w", str(tree / "01-visit" / "welcome.zh.wav"),
                    "欢迎来到展厅。这里讲述企业党建的故事。"], check=True, capture_output=True)
    return tree


def open_menu(kiosk):
    kiosk.tap(kiosk.app.root.ids.access)
    assert kiosk.app.access.menu_open
    return kiosk.app.root.ids.access_layer.ids


# --------------------------------------------------------------- time limits

def test_default_timing_meets_wcag():
    idle = Config().idle
    assert idle.countdown >= 20  # WCAG 2.2.1: a warning at least 20 s ahead
    assert idle.reset_after > idle.countdown


def test_the_warning_comes_20_s_ahead_and_more_time_works_again_and_again(kiosk):
    app = kiosk.start(BASIC)
    idle = app.kiosk_config.idle
    kiosk.tap(kiosk.find_text("笔记"))
    route = kiosk.route
    for _ in range(12):  # more than the ten extensions WCAG asks for
        kiosk.advance(idle.reset_after - idle.countdown + 0.5, step=0.5)
        assert app.root.countdown >= 19  # the visitor sees 20 seconds left, not fewer
        kiosk.tap(kiosk.find_text(app.ui("stay")))
        assert app.root.countdown == -1
        assert kiosk.route == route
    kiosk.advance(idle.reset_after + 1, step=1.0)
    assert kiosk.route == "home"


def test_a_countdown_shorter_than_20_s_is_warned_about(tmp_path):
    from kiosk.config import load_config

    (tmp_path / "kiosk.yaml").write_text("idle:\n  reset_after: 60\n  countdown: 10\n", "utf-8")
    config, problems = load_config(tmp_path / "kiosk.yaml")
    assert config.idle.countdown == 10
    [p] = [p for p in problems if p.key == "idle.countdown"]
    assert p.severity == "warning" and p.line == 3 and "WCAG 2.2.1" in p.message


def test_the_hall_can_keep_the_attract_loop_still(kiosk):
    app = kiosk.start(A11Y, accessibility=AccessConfig(reduced_motion=True),
                      idle=IdleConfig(reset_after=90, countdown=20, attract_after=30))
    assert isinstance(app.manager.transition, NoTransition)
    kiosk.advance(31, step=1.0)
    assert kiosk.route == "attract"
    first = kiosk.screen.slide_title
    kiosk.advance(app.content.site.attract.slide_seconds * 3, step=1.0)
    assert kiosk.screen.slide_title == first  # no motion
    kiosk.key("spacebar")  # a key stops the loop as a touch does
    assert kiosk.route == "home"


# ------------------------------------------------------------------ the menu

def test_the_menu_is_on_every_screen_within_reach(kiosk):
    from kiosk.a11y.lint import reach_of
    from kiosk.ui.access.probe import controls_of

    app = kiosk.start(A11Y, size=(1080, 1920))
    for tap in (None, "参观", "欢迎"):
        if tap:
            kiosk.tap(kiosk.find_text(tap))
        button = app.root.ids.access
        assert button.opacity == 1 and not button.disabled
        [control] = [c for c in controls_of(app.root) if c.widget is button.__self__]
        bottom, top, inside = reach_of(control.control, Window.size, app.kiosk_config.panel)
        assert inside >= 9 and 380 <= bottom <= 1220


def test_high_contrast_larger_text_and_reduced_motion_by_touch_then_reset(kiosk):
    from PIL import Image

    app = kiosk.start(A11Y)
    body = app.font["body"]
    ids = open_menu(kiosk)
    kiosk.tap(ids.high_contrast)
    assert app.theme.id == "light"
    assert app.access.menu_open  # the menu stays open for the next choice
    shot = kiosk.screenshot(kiosk.tmp_path / "contrast.png")
    with Image.open(shot) as im:
        small = im.convert("RGB").resize((im.width // 4, im.height // 4))
        count, (r, g, b) = max(small.getcolors(small.width * small.height))
    assert min(r, g, b) > 200  # the screen is mostly the light theme's white, at once
    kiosk.tap(ids.larger_text)
    assert app.large_text and app.font["body"] > body * 1.3
    kiosk.tap(ids.reduced_motion)
    assert isinstance(app.manager.transition, NoTransition)
    kiosk.tap(ids.close)
    assert not app.access.menu_open
    kiosk.tap(kiosk.find_text("参观"))
    assert kiosk.route == "section/visit" and app.theme.id == "light"
    kiosk.advance(app.kiosk_config.idle.reset_after + 1, step=1.0)  # the visitor walks away
    assert kiosk.route == "home"
    assert app.theme.id == "party-red" and not app.large_text and not app.access.menu_open
    # their reduced motion holds until someone touches: the attract loop that follows stays still
    assert app.access.reduced_motion
    kiosk.advance(app.kiosk_config.idle.attract_after + 1, step=1.0)
    assert kiosk.route == "attract"
    first = kiosk.screen.slide_title
    kiosk.advance(app.content.site.attract.slide_seconds * 3, step=1.0)
    assert kiosk.screen.slide_title == first
    kiosk.tap((100, 100))  # the next visitor
    assert kiosk.route == "home" and not app.access.reduced_motion
    assert not isinstance(app.manager.transition, NoTransition) or \
        app.kiosk_config.transitions != "theme"


def test_high_contrast_off_after_a_theme_reload_shows_the_reloaded_theme(kiosk, tmp_path):
    from conftest import ROOT

    theme = shutil.copytree(ROOT / "themes" / "party-red", tmp_path / "theme")
    app = kiosk.start(A11Y, theme=str(theme))
    before = app.colors["background"]
    ids = open_menu(kiosk)
    kiosk.tap(ids.high_contrast)
    assert app.theme.id == "light"
    text = (theme / "theme.yaml").read_text(encoding="utf-8")
    (theme / "theme.yaml").write_text(text.replace('background: "#7a0c12"', 'background: "#123456"'),
                                      encoding="utf-8")
    app.reloader.reload_now()  # as when the watcher sees theme.yaml change
    kiosk.frames(3)
    assert app.theme.id == "light"  # the visitor's high contrast stays on
    kiosk.tap(ids.high_contrast)  # and off again
    assert app.theme is app.normal_theme and app.theme.id != "light"
    assert app.colors["background"] != before
    assert [round(c * 255) for c in app.colors["background"][:3]] == [0x12, 0x34, 0x56]
    shot = kiosk.screenshot(kiosk.tmp_path / "reloaded.png")
    from PIL import Image

    with Image.open(shot) as im:
        small = im.convert("RGB").resize((im.width // 4, im.height // 4))
        count, colour = max(small.getcolors(small.width * small.height))
    assert max(colour) < 200  # no longer the light theme's white: the theme folder's again


def test_reduced_motion_shows_figures_without_counting(kiosk):
    app = kiosk.start(FIXTURES / "ui-stats", transitions="theme")
    ids = open_menu(kiosk)
    kiosk.tap(ids.reduced_motion)
    kiosk.tap(ids.close)
    section = app.content.sections[0]
    app.go(section.exhibits[0].route if section.exhibits else f"section/{section.id}")
    kiosk.frames(3)
    screen = kiosk.screen
    assert not getattr(screen, "counting", False)
    finals = [t.item.formatted() for t in screen.tiles]
    assert finals and all(any(f in text for text in kiosk.texts(screen)) for f in finals)


# ----------------------------------------------------------------- narration

def test_narration_plays_with_progress_pauses_and_stops_when_leaving(kiosk, narrated):
    app = kiosk.start(narrated)
    if not app.access.audio:
        pytest.skip("no audio output (SDL's mixer could not open)")
    kiosk.tap(kiosk.find_text("参观"))
    kiosk.tap(kiosk.find_text("欢迎"))
    layer = app.root.ids.access_layer.ids
    assert app.access.has_narration and layer.player_bar.opacity == 1
    kiosk.tap(kiosk.find_text("收听讲解"))
    player = app.access.player
    assert player.state == "play" and player.kind == "narration"
    assert player.source.endswith("welcome.zh.wav") and player.length > 1
    kiosk.advance(1.0)
    assert 0.1 < player.progress < 1 and layer.progress.value == player.progress
    kiosk.tap(layer.play)  # pause
    assert player.state == "pause"
    held = player.position
    kiosk.advance(1.0)
    assert player.position == held
    kiosk.tap(layer.play)  # play on
    assert player.state == "play"
    kiosk.tap(app.root.ids.back)
    assert player.state == "stop"  # leaving the page ends it
    assert layer.player_bar.opacity == 0


def test_narration_is_in_the_visitors_language_and_volume_resets(kiosk, narrated):
    app = kiosk.start(narrated)
    if not app.access.audio:
        pytest.skip("no audio output")
    kiosk.tap(kiosk.find_text("参观"))
    kiosk.tap(kiosk.find_text("欢迎"))
    ids = open_menu(kiosk)
    kiosk.tap(ids.quieter)
    kiosk.tap(ids.quieter)
    assert abs(app.access.volume - 0.6) < 1e-6
    assert kiosk.find_text("音量 60%")
    kiosk.tap(ids.narration)  # narration off: nothing offered
    assert not app.access.has_narration
    kiosk.tap(ids.narration)
    kiosk.tap(ids.close)
    kiosk.tap(kiosk.find_text("收听讲解"))
    assert abs(app.access.player._sound.volume - 0.6) < 0.01
    kiosk.tap(app.root.ids.language)  # English has no recording: the speech engine offers
    assert app.access.player.state == "stop"
    assert not app.access.has_narration
    kiosk.advance(app.kiosk_config.idle.reset_after + 1, step=1.0)
    assert app.access.volume == app.kiosk_config.accessibility.volume
    assert app.access.narration


def test_read_aloud_speaks_the_page_with_espeak(kiosk, narrated):
    import time

    need("espeak-ng")
    app = kiosk.start(narrated)
    if not app.access.audio:
        pytest.skip("no audio output")
    assert app.access.speech
    kiosk.tap(kiosk.find_text("参观"))
    kiosk.tap(kiosk.find_text("安静的一页"))
    ids = open_menu(kiosk)
    kiosk.tap(ids.read_aloud)
    player = app.access.player
    deadline = time.monotonic() + 20
    while player.state == "loading" and time.monotonic() < deadline:
        time.sleep(0.05)
        kiosk.frames(1)
    assert player.state == "play" and player.kind == "speech"
    assert player.length > 1  # the title and the text, spoken
    spoken = Path(player.source)
    assert spoken.is_file()
    kiosk.advance(player.length + 0.5)  # played to its end: the file is deleted
    assert player.state == "stop" and not spoken.exists()
    from kiosk.ui.access.reading import screen_text

    assert screen_text(app).startswith("安静的一页\n没有录音的一页")


def test_recorded_narration_goes_before_the_speech_engine(kiosk, narrated):
    app = kiosk.start(narrated)
    if not app.access.audio:
        pytest.skip("no audio output")
    kiosk.tap(kiosk.find_text("参观"))
    kiosk.tap(kiosk.find_text("欢迎"))
    ids = open_menu(kiosk)
    kiosk.tap(ids.read_aloud)
    assert app.access.player.kind == "narration"


def test_without_sound_the_controls_are_hidden(kiosk, narrated, monkeypatch):
    import kiosk.ui.access.state as state

    monkeypatch.setattr(state, "audio_output", lambda: None)
    app = kiosk.start(narrated)
    assert not app.access.audio and not app.access.speech
    kiosk.tap(kiosk.find_text("参观"))
    kiosk.tap(kiosk.find_text("欢迎"))
    layer = app.root.ids.access_layer.ids
    assert layer.player_bar.opacity == 0
    open_menu(kiosk)
    assert layer.read_aloud.opacity == 0 and layer.narration.opacity == 0
    kiosk.find_text("本机没有声音输出")
    assert kiosk.status()["accessibility"]["audio"] is False


# ------------------------------------------------------------------ captions

def test_video_captions_follow_the_video_in_the_visitors_language(kiosk):
    from kiosk.ui.access.captions import CaptionLine

    app = kiosk.start(A11Y)
    kiosk.tap(kiosk.find_text("参观"))
    kiosk.tap(kiosk.find_text("纪录片"))
    kiosk.frames(2)
    [line] = kiosk.widgets(CaptionLine)
    assert line.text == ""
    line.position = 0.7  # what the player reports while it plays
    kiosk.frames(2)
    assert kiosk.find_text("第一句字幕") is line
    line.position = 2.2
    assert line.text == ""
    line.position = 3.0
    assert line.text == "第二句字幕"
    kiosk.tap(app.root.ids.language)
    kiosk.frames(2)
    [line] = kiosk.widgets(CaptionLine)
    line.position = 3.0
    assert line.text == "The second caption & more"


# ------------------------------------------------------------------ keyboard

def test_arrows_move_a_visible_focus_and_enter_presses(kiosk):
    app = kiosk.start(A11Y)
    layer = app.root.ids.access_layer
    assert layer.ring[2] == 0
    kiosk.key("down")
    focused = app.access.focus.focused
    assert focused is not None and layer.ring[2] > 0
    seen = {focused}
    for _ in range(12):
        kiosk.key("tab")
        seen.add(app.access.focus.focused)
    assert app.root.ids.access.__self__ in seen and app.root.ids.large_text.__self__ in seen
    # to the section card and in
    from kiosk.ui.access.focus import controls

    card = next(w for w in controls(app.root) if "参观" in " ".join(
        getattr(c, "text", "") for c in w.walk()))
    app.access.focus.focus(card)
    kiosk.key("enter")
    kiosk.settle()
    assert kiosk.route == "section/visit"
    kiosk.key("right")
    kiosk.key("left")
    kiosk.key("up")
    assert app.access.focus.focused is not None
    kiosk.key("backspace")
    kiosk.settle()
    assert kiosk.route == "home"


def test_keys_reach_the_menu_and_escape_closes_it(kiosk):
    app = kiosk.start(A11Y)
    app.access.focus.focus(app.root.ids.access)
    kiosk.key("enter")
    kiosk.settle()
    assert app.access.menu_open
    kiosk.key("down")  # focus stays inside the open menu
    layer_menu = app.root.ids.access_layer.ids.menu
    assert app.access.focus.focused in list(layer_menu.walk())
    kiosk.key("escape")
    assert not app.access.menu_open
    assert kiosk.route == "home"


def test_keys_count_as_activity(kiosk):
    app = kiosk.start(BASIC)
    kiosk.tap(kiosk.find_text("笔记"))
    idle = app.kiosk_config.idle
    for _ in range(3):
        kiosk.advance(idle.reset_after - 5, step=1.0)
        kiosk.key("down")
    assert kiosk.route != "home"
