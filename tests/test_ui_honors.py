"""The honors wall, driven like a visitor: open it, tap an award, read it large, close it."""

from __future__ import annotations

import pytest


def _honors(app, section="honors"):
    return [
        honor
        for ex in app.content.section(section).visible_exhibits()
        if ex.kind == "honors"
        for honor in ex.honors
    ]


def _cards(kiosk):
    from kiosk.ui.screens.honors import HonorCard

    return [c for c in kiosk.widgets(HonorCard) if c.get_root_window() is not None]


def _details(kiosk):
    from kiosk.ui.screens.honors import HonorDetail

    return kiosk.widgets(HonorDetail)


def _open_wall(kiosk, title="荣誉与报道"):
    kiosk.tap(kiosk.find_text(title))
    assert kiosk.route == "section/honors"


def _not_shown(kiosk, text):
    with pytest.raises(AssertionError):
        kiosk.find_text(text)


def test_wall_shows_every_award_and_a_tap_enlarges_it(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    _open_wall(kiosk)
    honors = _honors(app)
    cards = _cards(kiosk)
    assert len(cards) == len(honors) == 8
    assert [c.honor for c in cards] == honors
    for heading in ("获奖与荣誉", "中省媒体报道"):
        kiosk.find_text(heading)
    first = honors[0]
    assert cards[0].ids.title.text.replace("\n", "") == app.t(first.title)
    kiosk.find_text("2017")  # the year badge
    kiosk.find_text(app.t(first.issuer))
    description = app.t(first.description)
    _not_shown(kiosk, description)  # only the enlarged card tells the story

    kiosk.tap(cards[0])
    assert len(_details(kiosk)) == 1
    detail = _details(kiosk)[0]
    assert detail.opacity == 1
    assert kiosk.find_text(description).text == description
    assert kiosk.find_text("关闭").height >= app.space["touch"] - 1
    # the large picture is the award's own
    assert detail.ids.picture.media == first.image
    assert detail.ids.picture.height > cards[0].height * 0.5

    kiosk.tap(kiosk.find_text("关闭"))
    assert _details(kiosk) == []
    _not_shown(kiosk, description)
    assert kiosk.route == "section/honors"


def test_tap_outside_closes_and_tap_inside_does_not(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    _open_wall(kiosk)
    cards = _cards(kiosk)
    kiosk.tap(cards[1])
    honor = cards[1].honor
    description = app.t(honor.description)
    kiosk.find_text(description)

    # a tap on the text inside the panel keeps it open
    kiosk.tap(kiosk.find_text(description))
    assert len(_details(kiosk)) == 1

    # a tap on the dimmed wall (over another card) closes it and opens nothing else
    panel = _details(kiosk)[0].ids.panel
    outside = (panel.center_x, panel.to_window(panel.x, panel.top)[1] + 60)
    kiosk.tap(outside)
    assert _details(kiosk) == []
    kiosk.settle()
    assert _details(kiosk) == []
    assert kiosk.route == "section/honors"


def test_leaving_closes_the_overlay_and_back_shows_the_wall(kiosk, demo_content):
    kiosk.start(demo_content, size=(1080, 1920))
    _open_wall(kiosk)
    kiosk.tap(_cards(kiosk)[2])
    assert len(_details(kiosk)) == 1
    kiosk.tap(kiosk.find_text("首页"))
    assert kiosk.route == "home"
    _open_wall(kiosk)
    assert _details(kiosk) == []
    assert len(_cards(kiosk)) == 8


def test_language_switch_keeps_the_award_open_in_the_new_language(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    _open_wall(kiosk)
    card = _cards(kiosk)[0]
    kiosk.tap(card)
    kiosk.tap(kiosk.find_text("English"))
    assert app.lang == "en"
    details = _details(kiosk)
    assert len(details) == 1
    kiosk.find_text(card.honor.description.get("en"))
    kiosk.find_text("Close")
    kiosk.find_text("Awards and recognition")


def test_exhibit_route_shows_one_wall(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    assert app.go("exhibit/honors/press")
    kiosk.settle()
    cards = _cards(kiosk)
    assert [app.t(c.honor.title) for c in cards] == ["新华网", "《企业党建》", "《陕西日报》", "《当代陕西》"]
    assert kiosk.screen.heading == "中省媒体报道"
    assert "获奖与荣誉" not in kiosk.texts(kiosk.screen)
    # press items have no year: no empty badge
    assert all(c.ids.year.opacity == 0 for c in cards)


def test_landscape_large_text_wall_and_side_by_side_detail(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1920, 1080))
    assert app.go("section/honors")
    kiosk.settle()
    kiosk.tap(kiosk.find_text("大字"))
    assert app.large_text
    cards = _cards(kiosk)
    first_row = [c for c in cards if abs(c.top - cards[0].top) < 1]
    assert len(first_row) == 3
    kiosk.tap(cards[0])
    detail = _details(kiosk)[0]
    panel, picture = detail.ids.panel, detail.ids.picture
    assert panel.orientation == "horizontal"
    assert picture.right <= detail.ids.title.x  # picture left, words right
    # the panel stays above the navigation bar and inside the screen
    assert panel.y >= app.space["bar"] - 1 and panel.top <= detail.top + 1
    assert panel.x >= 0 and panel.right <= detail.width
    kiosk.find_text(app.t(cards[0].honor.description))


def test_award_without_picture_or_year(kiosk):
    from conftest import FIXTURES

    app = kiosk.start(FIXTURES / "ui-stats", size=(1080, 1920))
    assert app.go("exhibit/figures/awards")
    kiosk.settle()
    cards = _cards(kiosk)
    assert len(cards) == 2
    bare = cards[1]
    assert bare.ids.year.opacity == 0
    kiosk.tap(bare)
    detail = _details(kiosk)[0]
    assert detail.ids.picture.height == 0
    kiosk.find_text("只有标题和说明。")
    kiosk.find_text("没有图片也没有年份的荣誉")
    panel = detail.ids.panel
    assert panel.y >= app.space["bar"] - 1
