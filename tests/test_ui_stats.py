"""The stats screen, driven like a visitor: figures count up, then show their exact values."""

from __future__ import annotations

from kiosk.content.model import StatItem


def _items(app, section="achievements"):
    return [
        item
        for ex in app.content.section(section).visible_exhibits()
        if ex.kind == "stats"
        for item in ex.stats
    ]


def _tiles(kiosk):
    from kiosk.ui.screens.stats import StatTile

    return [t for t in kiosk.widgets(StatTile) if t.get_root_window() is not None]


def _number(tile) -> float:
    return float(tile.ids.figure.ids.number.text.replace(",", ""))


def _open_from_home(kiosk, title="工作成效"):
    label = kiosk.find_text(title)
    kiosk.screen.ids.cards_scroll.scroll_to(label, animate=False)  # (landscape: below the fold)
    kiosk.frames(2)
    kiosk.tap(label, settle=False)
    kiosk.advance(0.5, 0.05)  # the slide (0.3 s) and a moment of counting


def test_formatted_values():
    assert StatItem(2600, None).formatted() == "2,600"
    assert StatItem(2600, None).formatted(1234.4) == "1,234"
    assert StatItem(26.1, None, decimals=1).formatted() == "26.1"
    assert StatItem(26.1, None, decimals=1).formatted(0) == "0.0"
    assert StatItem(1234567.891, None, decimals=2).formatted() == "1,234,567.89"


def test_numbers_count_up_then_show_final_values(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    _open_from_home(kiosk)
    assert kiosk.route == "section/achievements"
    items = _items(app)
    tiles = _tiles(kiosk)
    assert len(tiles) == len(items) == 14
    # right after entering, every figure is still on its way up
    for tile in tiles:
        assert 0 <= _number(tile) < tile.item.value, tile.item
    assert kiosk.screen.counting

    kiosk.advance(3, 0.5)
    assert not kiosk.screen.counting
    for item in items:
        kiosk.find_text(item.formatted())
        kiosk.find_text(app.t(item.label).replace("\n", ""))
    shown = sorted(t.ids.figure.ids.number.text for t in tiles)
    assert shown == sorted(item.formatted() for item in items)
    for text in ("2,600", "2,800", "1,200", "26.1", "450"):
        kiosk.find_text(text)
    # suffix and unit next to the number, note below the label
    tile = next(t for t in tiles if t.item.value == 2600)
    assert tile.ids.figure.ids.suffix.text == "+"
    assert tile.ids.figure.ids.unit.text == "件"
    assert tile.ids.note.text == "中心运行两年来"
    # every board of the section is there under its own heading
    for heading in ("服务企业", "参观学习", "阵地建设"):
        kiosk.find_text(heading)


def test_count_restarts_each_time_the_screen_is_entered(kiosk, demo_content):
    kiosk.start(demo_content, size=(1080, 1920))
    _open_from_home(kiosk)
    kiosk.advance(3, 0.5)
    kiosk.find_text("2,600")

    kiosk.tap(kiosk.find_text("‹ 返回"))
    assert kiosk.route == "home"
    _open_from_home(kiosk)
    assert kiosk.route == "section/achievements"
    tiles = _tiles(kiosk)
    assert all(_number(t) < t.item.value for t in tiles)
    kiosk.advance(3, 0.5)
    assert all(t.ids.figure.ids.number.text == t.item.formatted() for t in tiles)


def test_settle_jumps_to_final_values(kiosk, demo_content):
    kiosk.start(demo_content, size=(1080, 1920))
    _open_from_home(kiosk)
    screen = kiosk.screen
    assert screen.counting
    screen.settle()
    assert not screen.counting
    kiosk.frames(2)
    assert all(t.ids.figure.ids.number.text == t.item.formatted() for t in _tiles(kiosk))


def test_exhibit_route_shows_one_board_with_decimals(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    assert app.go("exhibit/achievements/visits")
    kiosk.settle()
    kiosk.advance(3, 0.5)
    tiles = _tiles(kiosk)
    assert [t.item.value for t in tiles] == [46, 1200, 11, 26.1]
    kiosk.find_text("26.1")
    kiosk.find_text("参观学习")  # the board's title is the screen's title
    assert kiosk.screen.heading == "参观学习"
    texts = kiosk.texts(kiosk.screen)
    assert "服务企业" not in texts


def test_columns_follow_orientation(kiosk, demo_content):
    from kiosk.ui.screens.stats import StatsGrid

    kiosk.start(demo_content, size=(1920, 1080))
    _open_from_home(kiosk)
    grids = kiosk.widgets(StatsGrid, kiosk.screen)
    assert grids and all(g.cols == 3 for g in grids)
    tiles = _tiles(kiosk)
    first_row = [t for t in tiles if abs(t.top - tiles[0].top) < 1]
    assert len(first_row) == 3


def _figures_fit(tiles):
    for tile in tiles:
        fig = tile.ids.figure
        for part in (fig.ids.number, fig.ids.suffix, fig.ids.unit):
            if not part.text:
                continue
            width = part.texture_size[0]
            left = part.right - width if part is fig.ids.number else part.x
            assert left >= tile.x - 1 and left + width <= tile.right + 1, (part.text, tile.item)


def test_large_text_and_english_still_fit_in_tiles(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    _open_from_home(kiosk)
    kiosk.advance(3, 0.5)
    normal = _tiles(kiosk)[0].ids.figure.ids.number.font_size
    kiosk.tap(kiosk.find_text("大字"))
    kiosk.advance(3, 0.5)
    assert app.large_text
    tiles = _tiles(kiosk)
    assert tiles[0].ids.figure.ids.number.font_size > normal
    # switching the text size on this screen shows the figures, no replay from zero
    assert all(t.ids.figure.ids.number.text == t.item.formatted() for t in tiles)
    _figures_fit(tiles)

    kiosk.tap(kiosk.find_text("English"))
    kiosk.advance(3, 0.5)
    tiles = _tiles(kiosk)
    kiosk.find_text("Serving enterprises")
    _figures_fit(tiles)
    unit = next(t for t in tiles if t.item.value == 60).ids.figure.ids.unit
    assert unit.text == "× 10,000 yuan"


def test_odd_figures_and_links_to_the_other_exhibits(kiosk):
    from conftest import FIXTURES

    app = kiosk.start(FIXTURES / "ui-stats", size=(1080, 1920))
    _open_from_home(kiosk, "数说中心")
    kiosk.advance(3, 0.5)
    tiles = _tiles(kiosk)
    assert [t.ids.figure.ids.number.text for t in tiles] == ["1,234,567.89", "0", "98.5", "60"]
    # the long unit goes below the number rather than squeezing it
    long_unit = tiles[3].ids.figure
    assert long_unit.stacked and long_unit.ids.unit.y < long_unit.ids.number.y
    assert not tiles[2].ids.figure.stacked
    _figures_fit(tiles)
    # the honors wall and the page of this section are one tap away
    kiosk.find_text("本单元还有")
    from kiosk.ui.screens.stats import LinkCard

    links = [c for c in kiosk.widgets(LinkCard) if c.get_root_window() is not None]
    assert [c.route for c in links] == ["exhibit/figures/awards", "exhibit/figures/note"]
    app.manager.current_screen.ids.scroll.scroll_y = 0
    kiosk.frames(3)
    kiosk.tap(links[0])
    assert kiosk.route == "exhibit/figures/awards"
    assert type(kiosk.screen).__name__ == "HonorsScreen"
