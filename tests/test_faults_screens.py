"""Faults inside screen code: caught at the screen boundary, logged with the
traceback, the visitor is taken Home, and the kiosk keeps running.

Kivy hands anything raised inside its main loop to ``ExceptionManager`` (the
Clock does so for each callback itself); the pilot steps frames without that
loop, so :func:`run_frames` does what the loop does for the rest.
"""

from __future__ import annotations

import logging

import pytest
from conftest import FIXTURES
from kivy.base import ExceptionManager
from kivy.clock import Clock

from kiosk.ui.screens.exhibit import ExhibitScreen
from kiosk.ui.screens.grid import GridScreen
from kiosk.ui.widgets import Card

BASIC = FIXTURES / "ui-basic"


class Boom(RuntimeError):
    pass


def run_frames(kiosk, n: int = 10) -> int:
    """Step ``n`` frames the way Kivy's main loop does: errors go to ExceptionManager.
    Returns how many were passed over (the loop would have stopped otherwise)."""
    passed = 0
    for _ in range(n):
        try:
            kiosk.frames(1)
        except BaseException as exc:  # noqa: B036 - the same net as kivy.base.EventLoop.mainloop
            if ExceptionManager.handle_exception(exc) == ExceptionManager.RAISE:
                raise
            passed += 1
    return passed


def guard_logs(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "kiosk.guard"]


def open_card(kiosk, route: str):
    card = next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route == route)
    kiosk.tap(card)


def test_a_screen_that_fails_to_load_sends_the_visitor_home(kiosk, monkeypatch, caplog):
    app = kiosk.start(BASIC)
    monkeypatch.setattr(GridScreen, "load", lambda self, app, content, route: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="kiosk.guard"):
        open_card(kiosk, "section/notes")
    assert kiosk.route == "home"
    assert kiosk.screen.name == "home"
    (record,) = guard_logs(caplog)
    assert record.getMessage() == (
        "the screen 'section/notes' failed while opening: ZeroDivisionError: division by zero; "
        "going back to the home screen")
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
    assert "1 / 0" in caplog.text  # the traceback is in the log
    assert app.guard.failures == 1
    # the kiosk goes on: the fault is fixed (a content reload, say) and the section opens
    monkeypatch.undo()
    open_card(kiosk, "section/notes")
    assert kiosk.route == "section/notes"
    assert kiosk.widgets(Card, kiosk.screen)
    assert kiosk.status()["screen"] == "section/notes"


def test_a_screen_that_fails_to_build_sends_the_visitor_home(kiosk, monkeypatch, caplog):
    kiosk.start(BASIC)

    def broken(*args, **kwargs):
        raise Boom("constructor")

    monkeypatch.setattr(GridScreen, "__init__", broken)
    with caplog.at_level(logging.ERROR, logger="kiosk.guard"):
        open_card(kiosk, "section/more")
    assert kiosk.route == "home"
    assert "Boom: constructor" in guard_logs(caplog)[0].getMessage()


def test_an_error_in_a_screens_timer_is_caught_and_the_visitor_goes_home(kiosk, caplog):
    app = kiosk.start(BASIC)
    open_card(kiosk, "section/notes")
    open_card(kiosk, "exhibit/notes/plain")
    assert kiosk.route == "exhibit/notes/plain"
    screen = kiosk.screen

    def tick(dt):
        raise Boom("timer")

    screen.failing_timer = Clock.schedule_interval(tick, 0.05)  # as a screen's animation would
    with caplog.at_level(logging.ERROR, logger="kiosk.guard"):
        run_frames(kiosk, 30)
    assert kiosk.route == "home"
    assert app.guard.last_error == "Boom: timer"
    # logged once with its traceback, however often the timer fires
    records = guard_logs(caplog)
    assert len(records) == 1 and records[0].exc_info[0] is Boom
    assert "while running" in records[0].getMessage()
    screen.failing_timer.cancel()
    # the failed screen is dropped from the manager, so it is built afresh next time
    kiosk.advance(1.5)
    assert not app.manager.has_screen("exhibit/notes/plain")
    assert app.go("exhibit/notes/plain")
    kiosk.settle()
    assert kiosk.route == "exhibit/notes/plain" and kiosk.screen is not screen


def test_an_error_in_on_enter_is_caught(kiosk, monkeypatch, caplog):
    kiosk.start(BASIC)
    open_card(kiosk, "section/notes")

    def on_enter(self, *args):
        raise Boom("on_enter")

    monkeypatch.setattr(ExhibitScreen, "on_enter", on_enter)
    card = next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route == "exhibit/notes/plain")
    kiosk.tap(card, settle=False)
    with caplog.at_level(logging.ERROR, logger="kiosk.guard"):
        run_frames(kiosk, 40)
    assert kiosk.route == "home"
    assert any("Boom: on_enter" in r.getMessage() for r in guard_logs(caplog))


def test_an_error_while_switching_language_is_caught(kiosk, monkeypatch, caplog):
    app = kiosk.start(BASIC)
    open_card(kiosk, "section/notes")
    monkeypatch.setattr(GridScreen, "load", lambda self, app, content, route: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="kiosk.guard"):
        app.toggle_language()
    kiosk.settle()
    assert kiosk.route == "home"
    assert "failed while refreshing" in guard_logs(caplog)[0].getMessage()


def test_a_failing_home_screen_does_not_loop(kiosk, monkeypatch, caplog):
    from kiosk.ui.screens.home import HomeScreen

    app = kiosk.start(BASIC)
    open_card(kiosk, "section/notes")
    calls = []

    def load(self, app, content, route):
        calls.append(route)
        raise Boom("home")

    monkeypatch.setattr(HomeScreen, "load", load)
    app.content_version += 1  # every screen must load again
    with caplog.at_level(logging.ERROR, logger="kiosk.guard"):
        assert app.go("home") is False
    assert len(calls) == 2  # the attempt, and one try to recover: no loop
    monkeypatch.undo()
    assert app.go("home")
    kiosk.settle()
    assert kiosk.route == "home"


def test_interrupts_are_never_swallowed(kiosk):
    app = kiosk.start(BASIC)
    assert app.guard in ExceptionManager.handlers
    assert app.guard.handle_exception(KeyboardInterrupt()) == ExceptionManager.RAISE
    assert app.guard.handle_exception(SystemExit(0)) == ExceptionManager.RAISE
    assert app.guard.failures == 0


def test_the_guard_leaves_with_the_app(kiosk):
    app = kiosk.start(BASIC)
    guard = app.guard
    kiosk.stop()
    assert guard not in ExceptionManager.handlers


@pytest.mark.parametrize("route", ["attract", "exhibit/notes/markup"])
def test_a_failing_timer_on_any_screen_ends_at_home(kiosk, route):
    app = kiosk.start(BASIC)
    assert app.go(route)
    kiosk.settle()
    event = Clock.schedule_once(lambda dt: [][1], 0.1)
    run_frames(kiosk, 20)
    event.cancel()
    assert kiosk.route == "home"
    assert app.guard.last_error == "IndexError: list index out of range"
