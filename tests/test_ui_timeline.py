"""A visitor on the history timeline: cards by date on a gold line, dragged sideways, tapped open."""

from __future__ import annotations

import gc

import pytest
from conftest import FIXTURES
from kivy.core.window import Window
from shots import shots_dir, shows_picture, shows_text
from trees import one_long_section

from kiosk.ui.widgets import Card, Picture

FIXTURE = FIXTURES / "ui-exhibit"


def release_window(app):
    """A stopped app stays bound to the window's size: cut that tie so the next
    test can resize the window without waking the old screens."""
    if app is not None:
        Window.unbind(size=app._update_metrics)


@pytest.fixture(autouse=True)
def _release_window(kiosk):
    yield
    release_window(kiosk.app)
    gc.collect()


def open_timeline(kiosk, content, size=(1080, 1920), section="history"):
    app = kiosk.start(content, size=size)
    card = next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route == f"section/{section}")
    kiosk.tap(card)
    assert kiosk.route == f"section/{section}"
    return app, kiosk.screen


def on_screen(widget) -> bool:
    x, y = widget.to_window(*widget.center)
    return 0 <= x <= Window.width and 0 <= y <= Window.height


def shown_markers(screen):
    return [m.text for m in screen.markers if m.text and m.opacity > 0]


def test_timeline_shows_exhibits_in_date_order_with_year_markers(kiosk, demo_content):
    app, screen = open_timeline(kiosk, demo_content)
    exhibits = app.content.section("history").visible_exhibits()
    by_date = sorted(exhibits, key=lambda ex: ex.date.sort_key)
    assert [item["route"] for item in screen.items] == [ex.route for ex in by_date]
    assert [item["date"] for item in screen.items] == [ex.date.label("zh") for ex in by_date]
    # the cards near the view exist, the first ones first
    assert [c.route for c in screen.cards] == [ex.route for ex in by_date][:len(screen.cards)]
    assert [c.date for c in screen.cards] == [ex.date.label("zh") for ex in by_date][:len(screen.cards)]
    xs = [c.x for c in screen.cards]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert [item["marker"] for item in screen.items if item["marker"]] == ["2015年", "2016年", "2017年"]
    assert shown_markers(screen) == ["2015年", "2016年", "2017年"][:len(shown_markers(screen))]
    first = next(m for m in screen.markers if m.text == "2015年")
    assert on_screen(first)
    kiosk.find_text("2015年")
    track = screen.ids.track
    line = track.line_y
    for i, (card, marker) in enumerate(zip(screen.cards, screen.markers, strict=True)):
        assert abs(marker.center_y - line) < 1
        assert abs(marker.center_x - card.center_x) < 1
        if i % 2 == 0:
            assert card.y > line  # above the line
        else:
            assert card.top < line  # below it
        assert card.y >= 0 and card.top <= track.height
    assert track.width > Window.width  # more than one screen: it scrolls
    assert screen.swipe_back is False


def test_drag_moves_the_timeline_and_only_the_edge_swipe_goes_back(kiosk, demo_content):
    app, screen = open_timeline(kiosk, demo_content)
    scroll = screen.ids.scroll
    y = screen.ids.track.to_window(0, screen.ids.track.line_y)[1] + 40
    w = Window.width
    assert scroll.scroll_x == 0
    kiosk.swipe((w * 0.8, y), (w * 0.2, y))
    screen.settle()
    moved = scroll.scroll_x
    assert 0 < moved <= 1
    assert kiosk.route == "section/history"
    kiosk.swipe((w * 0.3, y), (w * 0.75, y))  # a right drag in the middle scrolls back
    screen.settle()
    assert scroll.scroll_x < moved
    assert kiosk.route == "section/history"
    kiosk.swipe((4, y), (w * 0.6, y))  # from the left edge: back home
    assert kiosk.route == "home"


def test_settle_stops_the_glide_inside_the_ends(kiosk, demo_content):
    app, screen = open_timeline(kiosk, demo_content)
    scroll = screen.ids.scroll
    y = screen.ids.track.to_window(0, screen.ids.track.line_y)[1] + 40
    kiosk.swipe((Window.width * 0.9, y), (Window.width * 0.05, y), steps=3, settle=False)
    screen.settle()
    assert 0 <= scroll.scroll_x <= 1
    assert scroll.effect_x.velocity == 0
    at = scroll.scroll_x
    kiosk.advance(1.0)
    assert scroll.scroll_x == pytest.approx(at, abs=1e-3)


def test_tapping_a_card_opens_the_exhibit_and_back_returns(kiosk, demo_content):
    from kivy.uix.label import Label

    app, screen = open_timeline(kiosk, demo_content)
    card = screen.cards[1]
    assert on_screen(card)
    kiosk.tap(card)
    assert kiosk.route == card.route
    assert kiosk.route.startswith("exhibit/history/")
    exhibit = app.content.resolve(kiosk.route)
    page = kiosk.screen
    assert page.ids.title.text.replace("\n", "") == app.t(exhibit.title)
    body_texts = [w.text for w in page.body.walk(restrict=True) if isinstance(w, Label) and w.text]
    assert len(body_texts) >= 2
    first_words = app.t(exhibit.body).strip().splitlines()[0][:6]
    assert any(first_words in t.replace("\n", "") for t in body_texts)
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/history"
    assert kiosk.screen is screen


def long_line(tmp_path, count=60):
    return one_long_section(
        tmp_path, "01-line", "timeline", "大事记", count,
        lambda i: f"---\ntitle: 第{i}件事\ndate: {1950 + i}-03-01\nsummary: 这一年的事。\n---\n"
                  f"正文{i}。\n")


def test_a_long_timeline_builds_only_the_cards_near_the_view(kiosk, tmp_path):
    app, screen = open_timeline(kiosk, long_line(tmp_path), section="line")
    assert len(screen.items) == 60
    assert 3 <= len(screen.cards) <= 15  # a few screens' worth, not sixty
    assert screen.cards[0].route == "exhibit/line/item000"
    assert all(on_screen(c) or c.right < 0 or c.x > Window.width for c in screen.cards)
    scroll = screen.ids.scroll
    scroll.scroll_x = 1.0  # dragged to the far end
    kiosk.settle()
    routes = [c.route for c in screen.cards]
    assert routes[-1] == "exhibit/line/item059" and "exhibit/line/item000" not in routes
    assert len(screen.cards) <= 15
    assert len(screen.ids.track.children) == 2 * len(screen.cards)  # a card and its marker each
    assert shown_markers(screen)[-1] == "2009年"
    last = screen.cards[-1]
    assert on_screen(last)
    kiosk.tap(last)
    assert kiosk.route == "exhibit/line/item059"
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/line" and kiosk.screen is screen
    scroll.scroll_x = 0.0  # and back to the start: the first cards come back
    kiosk.settle()
    assert screen.cards[0].route == "exhibit/line/item000"
    assert screen.cards[0].title == "第0件事" and screen.markers[0].text == "1950年"


def test_undated_exhibits_come_last_after_an_other_marker(kiosk):
    app, screen = open_timeline(kiosk, FIXTURE, section="line")
    assert [c.route.rsplit("/", 1)[-1] for c in screen.cards] == ["early", "middle", "late", "undated"]
    assert shown_markers(screen) == ["2015年", "2017年", "2020年", "其他"]
    assert screen.cards[-1].date == ""
    app.set_language("en")
    kiosk.settle()
    assert shown_markers(screen) == ["2015", "2017", "2020", "Other"]
    assert screen.cards[1].date == "1 September 2017"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_cards_fit_between_the_line_and_the_edges_in_large_text(kiosk, demo_content, size):
    from kivy.uix.label import Label

    app, screen = open_timeline(kiosk, demo_content, size=size)
    kiosk.tap(app.root.ids.large_text)
    assert app.large_text
    track = screen.ids.track
    for card in screen.cards:
        assert card.y >= 0 and card.top <= track.height
        for label in card.walk(restrict=True):
            if isinstance(label, Label) and label.text and label.opacity > 0:
                assert label.texture_size[1] <= card.height
                assert label.y >= card.y - 1 and label.top <= card.top + 1  # nothing spills out
                rows = getattr(label, "max_rows", 0)
                if rows:
                    assert len(label.text.split("\n")) <= rows
    assert on_screen(screen.markers[0])


def test_screenshots_timeline(kiosk, demo_content, tmp_path):
    """The timeline as drawn: its title, the first year marker and the first card's picture
    are on the picture in both orientations and text sizes (KIOSK_SHOTS keeps the pictures)."""
    folder = shots_dir(tmp_path)
    for size, tag in (((1080, 1920), "portrait"), ((1920, 1080), "landscape")):
        app = kiosk.start(demo_content, size=size)
        for large in (False, True):
            app.large_text = large
            app.go("section/history")
            kiosk.settle()
            path = kiosk.screenshot(folder / f"section-history-{tag}{'-large' if large else ''}.png")
            screen = kiosk.screen
            assert shows_text(path, screen.ids.title), (tag, large)
            assert shows_text(path, next(m for m in screen.markers if m.text == "2015年")), (tag, large)
            pictures = [p for p in kiosk.widgets(Picture, screen.cards[0]) if p.texture is not None]
            assert pictures and shows_picture(path, pictures[0]), (tag, large)
        release_window(app)
        kiosk.stop()
