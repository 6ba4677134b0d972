"""Visitor analytics: sessions, views with dwell time, languages and tours, in SQLite.

The first tests drive the recorder directly on a controlled clock; the last
ones drive the real app like a visitor and read the database afterwards.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import FIXTURES

from kiosk.analytics import Analytics

BASIC = FIXTURES / "ui-basic"
T0 = dt.datetime(2024, 7, 1, 9, 30, 0)


class Clock:
    def __init__(self, start=T0):
        self.now = start

    def __call__(self):
        return self.now

    def tick(self, seconds):
        self.now += dt.timedelta(seconds=seconds)


def rows(path, sql):
    db = sqlite3.connect(str(path))
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_a_session_records_views_with_dwell_languages_and_a_tour(tmp_path):
    clock = Clock()
    rec = Analytics(tmp_path / "a.sqlite", kiosk="hall-1", clock=clock)
    rec.language("zh")
    assert rec.touch("home") is True
    assert rec.touch("home") is False  # already in a session
    clock.tick(5)
    rec.view("section/history", "历程")
    clock.tick(20)
    rec.view("exhibit/history/2015", "中心成立")
    clock.tick(30)
    rec.language("en")  # the rest of this screen counts for English
    clock.tick(10)
    rec.tour_started("overview")
    rec.view("section/centers", "五大中心")
    clock.tick(40)
    rec.tour_ended(completed=True)
    clock.tick(15)
    assert rec.end_session("idle") is True
    assert rec.end_session("idle") is False
    assert rows(tmp_path / "a.sqlite", "SELECT COUNT(*) FROM sessions") == [(0,)]  # batched
    assert rec.flush() == 7
    rec.close()

    (session,) = rows(tmp_path / "a.sqlite",
                      "SELECT kiosk, started, ended, seconds, views, language, languages, "
                      "end_reason FROM sessions")
    assert session == ("hall-1", "2024-07-01 09:30:00", "2024-07-01 09:32:00", 120.0, 4,
                       "zh", "zh,en", "idle")
    views = rows(tmp_path / "a.sqlite",
                 "SELECT route, kind, section, exhibit, title, seconds, language, tour "
                 "FROM views ORDER BY seq")
    assert views == [
        ("home", "home", None, None, "", 5.0, "zh", None),
        ("section/history", "section", "history", None, "历程", 20.0, "zh", None),
        ("exhibit/history/2015", "exhibit", "history", "2015", "中心成立", 30.0, "zh", None),
        ("exhibit/history/2015", "exhibit", "history", "2015", "中心成立", 10.0, "en", None),
        ("section/centers", "section", "centers", None, "五大中心", 55.0, "en", "overview"),
    ]
    assert rows(tmp_path / "a.sqlite", "SELECT tour, seconds, steps, completed FROM tours") == [
        ("overview", 40.0, 1, 1)]


def test_touches_outside_a_session_and_the_attract_loop_are_not_views(tmp_path):
    clock = Clock()
    rec = Analytics(tmp_path / "a.sqlite", clock=clock)
    rec.view("section/history")  # no session: nothing
    rec.touch("attract")  # touched the attract loop: the session starts, home follows
    clock.tick(3)
    rec.view("home")
    clock.tick(4)
    rec.view("attract")
    clock.tick(100)
    rec.end_session("attract")
    rec.close()
    assert rows(tmp_path / "a.sqlite", "SELECT route, seconds FROM views") == [("home", 4.0)]
    assert rows(tmp_path / "a.sqlite", "SELECT seconds FROM sessions") == [(107.0,)]


def test_sessions_today_counts_written_waiting_and_open_sessions(tmp_path):
    clock = Clock(dt.datetime(2024, 7, 1, 23, 50))
    path = tmp_path / "a.sqlite"
    rec = Analytics(path, clock=clock)
    for _ in range(2):
        rec.touch("home")
        clock.tick(60)
        rec.end_session()
    rec.flush()
    rec.close()
    rec = Analytics(path, clock=clock)  # a restart: the count comes from the database
    assert rec.sessions_today() == 2
    rec.touch("home")
    assert rec.sessions_today() == 3  # the open session counts
    clock.tick(60)
    rec.end_session()
    assert rec.sessions_today() == 3  # ended, waiting for the disk
    clock.tick(600)  # past midnight
    assert rec.sessions_today() == 0
    rec.close()


def test_background_thread_writes_without_being_asked(tmp_path):
    import time

    rec = Analytics(tmp_path / "a.sqlite", flush_every=0.05).start()
    rec.touch("home")
    rec.end_session()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and rows(tmp_path / "a.sqlite",
                                               "SELECT COUNT(*) FROM sessions") == [(0,)]:
        time.sleep(0.02)
    assert rows(tmp_path / "a.sqlite", "SELECT COUNT(*) FROM sessions") == [(1,)]
    rec.close()


def test_nothing_personal_is_stored(tmp_path):
    rec = Analytics(tmp_path / "a.sqlite")
    rec.close()
    columns = set()
    for (table,) in rows(tmp_path / "a.sqlite", "SELECT name FROM sqlite_master WHERE type='table'"):
        columns |= {r[1] for r in rows(tmp_path / "a.sqlite", f"PRAGMA table_info({table})")}
    assert not columns & {"x", "y", "pos", "ip", "name", "face", "image", "user"}


# ---------------------------------------------------------------- the real app


@pytest.fixture
def wall_clock():
    """The kiosk's wall clock follows the test's fake Kivy clock."""
    from pilot import FAKE_TIME

    from kiosk import schedule

    base, t0 = dt.datetime(2024, 7, 1, 10, 0, 0), FAKE_TIME.now
    previous = schedule.use_clock(lambda: base + dt.timedelta(seconds=FAKE_TIME.now - t0))
    yield schedule.now
    schedule.use_clock(previous)


def test_a_visitor_session_is_recorded_from_touch_to_idle_reset(kiosk, tmp_path, wall_clock):
    from kiosk.ui.widgets import Card

    db = tmp_path / "visits.sqlite"
    app = kiosk.start(BASIC, analytics_db=str(db))
    kiosk.advance(30, step=1.0)  # nobody there yet: no session
    assert not app.analytics.active
    kiosk.tap(next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route == "section/notes"))
    assert app.analytics.active
    kiosk.tap(next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route.endswith("/plain")))
    assert kiosk.route == "exhibit/notes/plain"
    kiosk.advance(12, step=1.0)
    kiosk.tap(app.root.ids.language)
    assert app.lang == "en"
    kiosk.advance(app.kiosk_config.idle.reset_after + 1, step=1.0)
    assert kiosk.route == "home" and app.lang == "zh"
    assert not app.analytics.active  # the idle reset ended it
    app.analytics.flush()

    (session,) = rows(db, "SELECT views, languages, end_reason, seconds FROM sessions")
    assert session[:3] == (3, "zh,en", "idle")
    # the visit ended at the last touch (the language button), not when the timer ran out
    assert 12 < session[3] < 16
    views = rows(db, "SELECT route, title, language, seconds FROM views ORDER BY seq")
    assert [v[:3] for v in views] == [
        ("home", "", "zh"),  # the first touch was on the home screen
        ("section/notes", "笔记", "zh"),
        ("exhibit/notes/plain", "普通展项", "zh"),  # titles in the site's language, for reports
        ("exhibit/notes/plain", "普通展项", "en"),
    ]
    assert 12 <= views[2][3] <= 15
    assert views[3][3] < 1


def test_the_attract_loop_ends_a_session_and_a_touch_starts_the_next(kiosk, tmp_path, wall_clock):
    db = tmp_path / "visits.sqlite"
    app = kiosk.start(BASIC, analytics_db=str(db))
    w, h = app.root.size
    kiosk.tap((w / 2, h / 2))  # on the home screen, not on a card
    assert app.analytics.active
    kiosk.advance(app.kiosk_config.idle.attract_after + 1, step=1.0)
    assert kiosk.route == "attract"
    assert not app.analytics.active
    kiosk.settle()
    kiosk.tap((w / 2, h / 2))  # wakes the kiosk
    assert kiosk.route == "home"
    assert app.analytics.active
    assert app.analytics.sessions_today() == 2
    kiosk.stop()  # closing ends and writes the open session
    reasons = rows(db, "SELECT end_reason FROM sessions ORDER BY started, end_reason")
    assert sorted(r[0] for r in reasons) == ["attract", "stop"]
    assert rows(db, "SELECT route FROM views ORDER BY started") == [("home",), ("home",)]


def test_kiosk_yaml_records_by_default_and_can_turn_it_off(tmp_path):
    from kiosk.config import Config, load_config

    path = tmp_path / "kiosk.yaml"
    path.write_text("state_dir: /var/lib/kiosk\n", encoding="utf-8")
    config, problems = load_config(path)
    assert not problems
    assert config.analytics_db == "/var/lib/kiosk/analytics.sqlite"
    path.write_text("analytics_db: off\nmetrics_file: kiosk.prom\nname: hall-1\n", encoding="utf-8")
    config, problems = load_config(path)
    assert not problems
    assert (config.analytics_db, config.name) == (None, "hall-1")
    assert config.path(config.metrics_file) == tmp_path / "kiosk.prom"
    assert Config().analytics_db is None  # a Config made in code records nothing unless told
