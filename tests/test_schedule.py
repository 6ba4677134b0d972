"""publish_from / publish_until take effect at the moment they pass, without a restart.

The kiosk's wall clock and the Kivy clock move together under the test's
control, so minutes pass in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import shutil
import types

import pytest
from conftest import FIXTURES

from kiosk import schedule
from kiosk.content.loader import ContentLoader

BASIC = FIXTURES / "ui-basic"
EVE = dt.datetime(2024, 6, 30, 23, 58, 0)  # two minutes before 七一
JULY_1 = dt.datetime(2024, 7, 1)


def anniversary_tree(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    (content / "02-more" / "anniversary.md").write_text(
        "---\ntitle: 建党纪念日特展\npublish_from: 2024-07-01\n---\n七一特展。\n", encoding="utf-8")
    (content / "02-more" / "notice.md").write_text(
        '---\ntitle: 六月通知\npublish_until: "2024-07-01 00:01"\n---\n通知。\n', encoding="utf-8")
    return content


def test_next_boundary_and_wait_from_the_content(tmp_path):
    content = ContentLoader(anniversary_tree(tmp_path)).load()
    assert schedule.boundaries(content) == [JULY_1, dt.datetime(2024, 7, 1, 0, 1)]
    assert schedule.next_boundary(content, EVE) == JULY_1
    assert schedule.next_boundary(content, JULY_1) == dt.datetime(2024, 7, 1, 0, 1)
    assert schedule.next_boundary(content, dt.datetime(2024, 7, 2)) is None
    assert schedule.wait_seconds(content, EVE) == pytest.approx(120.05)
    assert schedule.wait_seconds(content, EVE - dt.timedelta(days=30)) == schedule.MAX_WAIT
    assert schedule.wait_seconds(content, dt.datetime(2024, 7, 2)) == schedule.MAX_WAIT
    before = schedule.visible_set(content, EVE)
    after = schedule.visible_set(content, JULY_1)
    assert after - before == {"exhibit/more/anniversary"}
    assert "exhibit/more/notice" in before


@pytest.fixture
def wall_clock(monkeypatch):
    """Wall time starts at EVE and follows the fake Kivy clock; the content model's
    ``visible()`` (which asks ``datetime.now()``) sees the same time."""
    from pilot import FAKE_TIME

    from kiosk.content import model

    t0 = FAKE_TIME.now
    previous = schedule.use_clock(lambda: EVE + dt.timedelta(seconds=FAKE_TIME.now - t0))

    class ControlledDatetime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return schedule.now()

    monkeypatch.setattr(model, "_dt", types.SimpleNamespace(datetime=ControlledDatetime,
                                                             date=dt.date))
    yield schedule.now
    schedule.use_clock(previous)


def card_routes(kiosk):
    from kiosk.ui.widgets import Card

    return sorted(c.route for c in kiosk.widgets(Card, kiosk.screen))


def test_an_exhibit_appears_at_midnight_on_the_open_screen(kiosk, tmp_path, wall_clock):
    app = kiosk.start(anniversary_tree(tmp_path))
    app.go("section/more")
    kiosk.settle()
    assert card_routes(kiosk) == ["exhibit/more/notice", "exhibit/more/one"]
    assert not app.go("exhibit/more/anniversary")  # not published yet
    for _ in range(2):  # a visitor is still browsing, touching now and then
        app.idle.poke()
        kiosk.advance(55, step=5.0)
    app.idle.poke()
    kiosk.advance(9, step=1.0)
    assert wall_clock() < JULY_1
    assert "exhibit/more/anniversary" not in card_routes(kiosk)
    kiosk.advance(2, step=0.5)
    assert wall_clock() > JULY_1
    assert kiosk.route == "section/more"
    assert card_routes(kiosk) == ["exhibit/more/anniversary", "exhibit/more/notice",
                                  "exhibit/more/one"]
    kiosk.find_text("建党纪念日特展")
    assert app.content_version == 1  # nothing was reloaded: the same content, a new moment
    assert app.go("exhibit/more/anniversary")


def test_an_expiring_exhibit_leaves_the_screen_on_time(kiosk, tmp_path, wall_clock):
    app = kiosk.start(anniversary_tree(tmp_path))
    app.go("section/more")
    kiosk.settle()
    app.go("exhibit/more/notice")
    kiosk.settle()
    assert kiosk.route == "exhibit/more/notice"
    for _ in range(4):  # the visitor reads on, touching now and then
        app.idle.poke()
        kiosk.advance(45, step=5.0)
    assert dt.datetime(2024, 7, 1, 0, 0, 59) < wall_clock()
    app.idle.poke()
    kiosk.advance(2, step=0.5)
    assert wall_clock() > dt.datetime(2024, 7, 1, 0, 1)
    assert kiosk.route == "section/more"  # taken to its section
    kiosk.settle()
    assert "exhibit/more/notice" not in card_routes(kiosk)
    assert app.schedule_refresher.refreshes == 2  # midnight, then 00:01
