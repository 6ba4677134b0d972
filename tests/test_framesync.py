"""Frames on the software renderer are finished one by one, so redrawing costs no memory."""

from __future__ import annotations

from kivy.core.window import Window

from kiosk.ui.framesync import needs_finish


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1048576


def test_software_renderers_and_offscreen_windows_need_finishing():
    assert needs_finish("llvmpipe (LLVM 15.0.6, 256 bits)", "x11")
    assert needs_finish("softpipe", None)
    assert needs_finish("Mesa Intel(R) UHD Graphics 620", "offscreen")
    assert not needs_finish("Mesa Intel(R) UHD Graphics 620 (KBL GT2)", "x11")
    assert not needs_finish("", None)


def test_redrawing_a_busy_screen_for_a_while_does_not_grow_memory(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    assert app.frame_sync.active  # offscreen here: every frame is finished
    kiosk.frames(30)
    before = rss_mb()
    for _ in range(150):  # a visitor's two and a half seconds of scrolling, frame by frame
        Window.canvas.ask_update()
        kiosk.frames(1)
    grown = rss_mb() - before
    # Without finishing, each redraw of Home at this size leaves several MB behind.
    assert grown < 60, f"memory grew by {grown:.0f} MB over 150 redraws"
    Window.unbind(size=app._update_metrics)


def test_screen_changes_do_not_animate_on_a_software_renderer_unless_asked(kiosk, demo_content):
    from kivy.uix.screenmanager import NoTransition, SlideTransition

    app = kiosk.start(demo_content)
    assert app.frame_sync.software  # llvmpipe here
    assert isinstance(app.manager.transition, NoTransition)  # auto: a CPU-drawn slide is late
    app.go("section/gallery")
    kiosk.frames(1)
    assert kiosk.route == "section/gallery" and not app.manager.transition.is_active
    Window.unbind(size=app._update_metrics)
    kiosk.stop()
    app = kiosk.start(demo_content, transitions="theme")  # the theme's slide all the same
    assert isinstance(app.manager.transition, SlideTransition)
    Window.unbind(size=app._update_metrics)


def test_transitions_in_kiosk_yaml_are_checked(tmp_path):
    from kiosk.config import load_config

    path = tmp_path / "kiosk.yaml"
    path.write_text("transitions: theme\n", encoding="utf-8")
    config, problems = load_config(path)
    assert config.transitions == "theme" and problems == []
    path.write_text("transitions: slide\n", encoding="utf-8")
    config, problems = load_config(path)
    assert config.transitions == "auto"
    assert [p.message for p in problems] == [
        "'transitions' should be one of auto, theme, none, not 'slide'"]
    assert problems[0].line == 1
