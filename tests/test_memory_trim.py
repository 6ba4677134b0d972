"""Freed memory goes back to the system a moment after the visitor's last screen change,
and every few seconds while they keep swiping."""

from __future__ import annotations

from kivy.core.window import Window

from kiosk.ui.memory import BUSY, QUIET


def test_memory_is_returned_when_quiet_and_regularly_while_busy(kiosk, demo_content):
    app = kiosk.start(demo_content)
    trim = app.memory_trim
    assert trim.available  # glibc here
    kiosk.advance(BUSY + 1)
    before = trim.trims
    app.go("section/gallery")
    kiosk.advance(QUIET * 0.5)
    assert trim.trims == before  # not while things are still moving
    kiosk.advance(QUIET * 2)  # (its pictures arriving count as activity too)
    assert trim.trims == before + 1
    # a visitor swiping on and on: a trim at least every BUSY seconds all the same
    before = trim.trims
    for n in range(12):
        app.go(f"photo/gallery/{n % 10 + 1}", push=False)
        kiosk.advance(QUIET * 0.5)
    assert trim.trims >= before + int(12 * QUIET * 0.5 // BUSY)
    assert trim.trims >= before + 1
    Window.unbind(size=app._update_metrics)
