"""A visitor on a long grid of exhibits: only the cards in view exist, and every one opens."""

from __future__ import annotations

from kivy.core.window import Window
from trees import one_long_section

from kiosk.ui.screens.grid import ExhibitCard


def long_grid(tmp_path, count=60):
    return one_long_section(
        tmp_path, "01-centers", "grid", "服务项目", count,
        lambda i: f"---\ntitle: 项目{i:03d}\nsummary: 第{i}项服务。\n---\n正文{i}。\n")


def test_a_long_grid_builds_the_cards_in_view_and_each_opens_its_exhibit(kiosk, tmp_path):
    app = kiosk.start(long_grid(tmp_path), size=(540, 960))
    app.go("section/centers")
    kiosk.settle()
    screen = kiosk.screen
    assert [item["title"] for item in screen.items()] == [f"项目{i:03d}" for i in range(60)]
    cards = kiosk.widgets(ExhibitCard, screen)
    assert 2 <= len(cards) <= 20  # a few screens' worth, not sixty
    first = min(cards, key=lambda c: c.route)
    assert first.title == "项目000" and first.route == "exhibit/centers/item000"
    screen.ids.cards_view.scroll_y = 0  # scrolled to the end: the same cards show the last ones
    kiosk.settle()
    cards = kiosk.widgets(ExhibitCard, screen)
    assert len(cards) <= 20
    last = next(c for c in cards if c.title == "项目059")
    assert last.route == "exhibit/centers/item059"
    x, y = last.to_window(*last.center)
    assert 0 <= x <= Window.width and 0 <= y <= Window.height
    kiosk.tap(last)
    assert kiosk.route == "exhibit/centers/item059"
    assert kiosk.find_text("正文59。")
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/centers" and kiosk.screen is screen
    Window.unbind(size=app._update_metrics)
