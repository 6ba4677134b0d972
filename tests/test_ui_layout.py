"""Visitors in every combination: portrait and landscape, Chinese and English, 大字, each theme.

Each test checks a fact of the layout a visitor would see broken: text cut without an
ellipsis, text outside its box, a tile stretched far beyond its content, a navigation bar
that does not fit, a title left in the other language, a press highlight left behind.
"""

from __future__ import annotations

import pytest

DEMO_SIZES = [(1080, 1920), (1920, 1080)]


def test_the_bar_title_follows_a_language_switch_on_an_exhibit(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    app.go("exhibit/history/2015-first-center")
    kiosk.settle()
    heading = app.root.ids.heading
    assert heading.text == "发展历程"
    kiosk.tap(app.root.ids.language)
    assert app.lang == "en"
    assert heading.text == "History"
    kiosk.tap(app.root.ids.language)
    assert heading.text == "发展历程"


def _clip_of(widget):
    """The window area a widget can show in: its scrolled lists clip it."""
    from kivy.core.window import Window
    from kivy.uix.stencilview import StencilView

    x0, y0, x1, y1 = 0, 0, Window.width, Window.height
    w = widget.parent
    while w is not None and w.parent is not w:
        bar = getattr(w, "ids", {}).get("bar")
        if bar is not None and bar.opacity and not _inside(widget, bar):
            y0 = max(y0, bar.top)  # the navigation bar is drawn over the screens
        if isinstance(w, StencilView):
            ax, ay = w.to_window(w.x, w.y)
            x0, y0, x1, y1 = max(x0, ax), max(y0, ay), min(x1, ax + w.width), min(y1, ay + w.height)
        w = w.parent
    return x0, y0, x1, y1


def _inside(widget, parent) -> bool:
    while widget is not None and widget.parent is not widget:
        if widget is parent:
            return True
        widget = widget.parent
    return False


def drawn_box(label):
    """Where a label's text is drawn, in window coordinates, clipped by its lists."""
    x, y = label.to_window(label.x, label.y)
    tw, th = label.texture_size
    left = x + {"left": 0, "right": label.width - tw}.get(label.halign, (label.width - tw) / 2)
    bottom = y + {"top": label.height - th, "bottom": 0}.get(label.valign, (label.height - th) / 2)
    c = _clip_of(label)
    return max(left, c[0]), max(bottom, c[1]), min(left + tw, c[2]), min(bottom + th, c[3])


def shown_labels(kiosk, where=None):
    """Every label a visitor can see now (inside the window and its lists, not hidden)."""
    from kivy.uix.label import Label

    found = []
    for label in kiosk.widgets(Label, where):
        if not label.text.strip() or label.width < 1 or label.height < 1:
            continue
        w, hidden = label, False
        while w is not None and w.parent is not w:
            if getattr(w, "opacity", 1) == 0:
                hidden = True
            w = w.parent
        x0, y0, x1, y1 = drawn_box(label)
        if hidden or x1 - x0 < 2 or y1 - y0 < 2:
            continue
        found.append(label)
    return found


def text_outside_its_box(kiosk, where=None) -> list[str]:
    """Labels whose drawn text is wider or taller than the box the layout gave them
    (what a visitor sees as text cut mid-line or running over its neighbour)."""
    bad = []
    for label in shown_labels(kiosk, where):
        tw, th = label.texture_size
        if tw > label.width + 2 or th > label.height + 2:
            bad.append(f"{label.text[:40]!r} {tw:.0f}x{th:.0f} in {label.width:.0f}x{label.height:.0f}")
    return bad


def overlapping_texts(kiosk, where=None) -> list[str]:
    """Pairs of shown labels whose drawn text overlaps."""
    boxes = [(label.text[:30], *drawn_box(label)) for label in shown_labels(kiosk, where)]
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a[3], b[3]) - max(a[1], b[1]) > 3 and min(a[4], b[4]) - max(a[2], b[2]) > 3:
                bad.append(f"{a[0]!r} over {b[0]!r}")
    return bad


COMBINATIONS = [
    pytest.param(size, lang, large, theme, id=f"{size[0]}x{size[1]}-{lang}-{'large' if large else 'normal'}-{theme}")
    for size, lang, large, theme in [
        ((1080, 1920), "en", True, "party-red"),
        ((1920, 1080), "en", True, "party-red"),
        ((1920, 1080), "zh", False, "party-red"),
        ((1920, 1080), "en", False, "light"),
        ((1080, 1920), "en", False, "party-red"),
        ((540, 960), "en", True, "light"),
        ((960, 540), "zh", True, "party-red"),
    ]
]


def start_in(kiosk, demo_content, size, lang, large, theme):
    app = kiosk.start(demo_content, size=size, theme=theme)
    app.set_language(lang)
    app.large_text = large
    kiosk.settle()
    return app


@pytest.mark.parametrize("size,lang,large,theme", COMBINATIONS)
def test_home_texts_fit_and_cards_keep_their_pictures_whole(kiosk, demo_content, size, lang, large, theme):
    from kiosk.ui.screens.home import SectionCard

    app = start_in(kiosk, demo_content, size, lang, large, theme)
    assert text_outside_its_box(kiosk) == []
    assert overlapping_texts(kiosk) == []
    cards = kiosk.widgets(SectionCard)
    assert len(cards) == len(app.content.home_sections())
    for card in cards:
        picture, title = card.ids.picture, card.ids.title
        # the picture keeps its 16:10 shape, so the number and name printed on it stay whole
        assert picture.width / picture.height == pytest.approx(1.6, rel=0.01)
        # and the card's own title sits below it, never on it
        assert title.top <= picture.y + 1
        # cut text says so: an ellipsis at the end, never a cut in the middle
        for label in (card.ids.title, card.ids.subtitle):
            if label.shortened:
                assert label.text.endswith("\u2026")
            assert "\u2026" not in label.text[:-1]
    # the footer and the bar fit across the screen
    from kivy.core.window import Window
    bar = app.root.ids.bar
    for child in bar.children:
        if child.opacity:
            assert child.x >= bar.x - 1 and child.right <= Window.width + 1
    assert text_outside_its_box(kiosk, bar) == []


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_a_grid_that_goes_on_below_shows_it_scrolls(kiosk, demo_content, size):
    app = kiosk.start(demo_content, size=size)
    kiosk.settle()
    from kiosk.ui.widgets.common import ScrollBadge

    view = kiosk.screen.ids.cards.parent
    assert view.more_below  # six cards do not fit: a badge at the list's bottom says so
    badge = kiosk.widgets(ScrollBadge, kiosk.screen)[0]
    assert badge.opacity == 1
    assert view.x <= badge.x and badge.right <= view.right
    assert view.y <= badge.y and badge.top <= view.top
    view.scroll_y = 0
    kiosk.frames(3)
    assert not view.more_below and badge.opacity == 0
    app.go("section/centers")
    kiosk.settle()
    assert kiosk.screen.ids.cards_view.more_below
    assert text_outside_its_box(kiosk) == []


@pytest.mark.parametrize("size,lang,large,theme", COMBINATIONS[:4])
@pytest.mark.parametrize("route", ["exhibit/achievements/services", "exhibit/honors/awards"])
def test_a_page_with_one_board_is_composed_not_stretched(kiosk, demo_content, route, size, lang, large, theme):
    from kiosk.ui.screens.honors import HonorCard
    from kiosk.ui.screens.stats import StatTile

    app = start_in(kiosk, demo_content, size, lang, large, theme)
    app.go(route)
    kiosk.settle()
    tiles = kiosk.widgets(StatTile) + kiosk.widgets(HonorCard)
    assert len(tiles) >= 3
    for tile in tiles:
        # no taller than what it shows needs (its row's tallest neighbour at most)
        row = [t for t in tiles if abs(t.y - tile.y) < 1]
        assert tile.height <= max(t.minimum_height for t in row) + 1
        if isinstance(tile, StatTile):
            assert tile.height < app.root.height * 0.5
    assert text_outside_its_box(kiosk) == []
    assert overlapping_texts(kiosk) == []


THEMES = sorted(p.name for p in (__import__("pathlib").Path(__file__).parent.parent / "themes").iterdir()
                if (p / "theme.yaml").is_file())


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_keeps_its_text_legible(theme):
    from pathlib import Path

    from kiosk.theme import load_theme
    from kiosk.ui import style

    loaded, _ = load_theme(Path(__file__).parent.parent / "themes" / theme)
    table = style.colors(loaded)
    weak = [f"{fg} on {bg}: {style.contrast(table[fg], table[bg]):.2f}"
            for fg, bg, need in style.TEXT_PAIRS if style.contrast(table[fg], table[bg]) < need]
    assert weak == []


@pytest.mark.parametrize("theme", THEMES)
def test_the_photo_viewer_caption_and_arrows_read_in_every_theme(kiosk, demo_content, theme):
    from kiosk.ui import style

    app = kiosk.start(demo_content, size=(1080, 1920), theme=theme)
    app.go("photo/gallery/1")
    kiosk.settle()
    screen = kiosk.screen
    under = tuple(screen.backdrop)
    for label in (screen.ids.caption, screen.ids.counter):
        assert style.contrast(label.color, under) >= 4.5, label.text
    # the arrow's disc lies over the photo: even over the theme's strongest colour it reads
    arrow = screen.ids.next
    assert arrow.opacity == 1
    disc = style.over(list(app.colors["viewer"][:3]) + [0.72], app.colors["primary"])
    assert style.contrast(arrow.color, disc) >= 4.5
    assert text_outside_its_box(kiosk) == []


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size,lang,large", [((1080, 1920), "zh", False), ((960, 540), "en", True)])
def test_the_idle_countdown_is_a_themed_card_with_room_around_its_number(kiosk, demo_content, theme, size, lang, large):
    from kiosk.ui import style

    app = start_in(kiosk, demo_content, size, lang, large, theme)
    app.go("section/honors")
    kiosk.settle()
    idle = app.kiosk_config.idle
    kiosk.advance(idle.reset_after - idle.countdown + 2, step=1.0)
    assert app.root.countdown > 0
    ids = app.root.ids
    card = ids.countdown_card
    for label in (ids.countdown_title, ids.countdown_number):
        assert style.contrast(label.color, app.colors["card"]) >= 4.5
    stay = ids.countdown_stay
    assert style.contrast(stay.fg, stay.bg) >= 4.5
    # the number stands clear of the button below it, everything inside the card
    assert ids.countdown_number.y >= stay.top + card.spacing - 1
    number_top = ids.countdown_number.center_y + ids.countdown_number.texture_size[1] / 2
    assert number_top <= ids.countdown_title.y + 1
    assert card.y >= 0 and card.top <= app.root.height and card.x >= 0 and card.right <= app.root.width
    assert text_outside_its_box(kiosk, card) == []
    kiosk.tap(stay)
    assert app.root.countdown == -1


def test_a_card_held_while_the_screen_changes_is_not_left_pressed(kiosk, demo_content):
    from kivy.tests.common import UnitTestTouch

    from kiosk.ui.screens.timeline import TimelineCard

    app = start_in(kiosk, demo_content, (1080, 1920), "en", True, "party-red")
    app.go("section/history")
    kiosk.settle()
    card = kiosk.widgets(TimelineCard)[0]
    touch = UnitTestTouch(*card.to_window(*card.center))
    touch.touch_down()  # a finger rests on a card...
    kiosk.advance(0.5)
    assert card.state == "down"
    app.go("section/gallery")  # ...while the screen changes (another finger, a guide's clicker)
    kiosk.settle()
    app.back()
    kiosk.settle()
    assert kiosk.route == "section/history"
    pressed = [w for w in kiosk.widgets(where=kiosk.screen) if getattr(w, "state", None) == "down"]
    assert pressed == []
    touch.touch_up()
    kiosk.frames(3)


def test_a_cut_between_screens_never_draws_two_screens_at_once(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920), transitions="none")
    kiosk.settle()
    for route in ("section/history", "home", "section/gallery", "photo/gallery/1"):
        app.go(route)
        for _ in range(3):  # every frame of the change
            # the screen left is not drawn at all (a see-through screen costs a software
            # renderer every pixel all the same)
            assert [s.name for s in app.manager.children] == [route]
            kiosk.frames(1)
        assert kiosk.route == route
        assert [s.name for s in app.manager.children if s.opacity > 0] == [route]


@pytest.mark.draws  # the frame line's rectangle is computed as it is drawn
@pytest.mark.parametrize("theme", THEMES)
def test_a_picture_not_yet_shown_is_a_themed_panel_not_a_solid_block(kiosk, demo_content, theme):
    from kivy.graphics import Line

    from kiosk.ui.screens.home import SectionCard

    app = kiosk.start(demo_content, size=(1080, 1920), theme=theme)
    kiosk.settle()
    card = SectionCard(title="待载入", subtitle="", media=None, size_hint=(None, None), size=(400, 400))
    app.root.add_widget(card)
    kiosk.frames(3)
    picture = card.ids.picture
    assert picture.empty and picture.framed
    assert tuple(picture.placeholder_color) == tuple(app.colors["surface"])
    assert tuple(picture.placeholder_color) != tuple(app.colors["primary"])
    frame = [i for i in picture.canvas.children if isinstance(i, Line)]
    assert frame and frame[0].rectangle[2] > 0  # the accent frame is drawn
    app.root.remove_widget(card)


@pytest.mark.parametrize("size,lang,large,theme", COMBINATIONS)
def test_the_attract_loop_never_enlarges_a_picture_and_its_caption_reads(kiosk, demo_content, size, lang, large, theme):
    from kiosk.ui import style

    app = start_in(kiosk, demo_content, size, lang, large, theme)
    app.go("attract")
    kiosk.settle()
    screen = kiosk.screen
    for _ in range(3):  # a few slides
        picture = screen.ids.picture
        assert picture.texture is not None
        tw, th = picture.texture.size
        # drawn at most at the picture's own pixels (decoding never enlarges either)
        assert picture.draw_size[0] <= tw + 0.5 and picture.draw_size[1] <= th + 0.5
        assert picture.draw_size[0] <= picture.width + 0.5 and picture.draw_size[1] <= picture.height + 0.5
        # the caption lies on an opaque panel, beside or below the picture, never over it
        panel = screen.ids.caption_panel
        assert app.colors["surface"][3] == 1
        px, py = picture.to_window(*picture.draw_pos)
        qx, qy = panel.to_window(panel.x, panel.y)
        assert py >= qy + panel.height - 1 or px + picture.draw_size[0] <= qx + 1
        for label, under in ((screen.ids.slide_title, "surface"), (screen.ids.slide_summary, "surface"),
                             (screen.ids.slide_section, "surface"), (screen.ids.prompt, "accent")):
            assert style.contrast(label.color, app.colors[under]) >= 4.5
        assert text_outside_its_box(kiosk) == []
        assert overlapping_texts(kiosk) == []
        panel_top = qy + panel.height
        band = screen.ids.site_title
        assert panel_top <= band.to_window(band.x, band.y)[1] + 1
        screen.next_slide()
        kiosk.settle()


@pytest.mark.parametrize("size,lang,large,theme", COMBINATIONS)
def test_home_header_stays_on_screen_and_never_breaks_a_word(kiosk, demo_content, size, lang, large, theme):
    start_in(kiosk, demo_content, size, lang, large, theme)
    screen = kiosk.screen
    for name in ("logo", "title", "subtitle"):
        w = screen.ids[name]
        x, y = w.to_window(w.x, w.y)
        assert x >= -1 and y >= -1 and x + w.width <= size[0] + 1 and y + w.height <= size[1] + 1, name
    title = screen.ids.title
    words = [w for w in title.raw.split() if w.isascii()]
    lines = title.text.split("\n")
    for line in lines:
        for piece in line.replace("\u2026", "").split():
            # every piece on a line is a whole word of the title (never half of one)
            assert piece in words or not piece.isascii(), (piece, lines)
    if not screen.portrait:  # the cards beside the title: a whole row fits on screen
        card = screen.ids.cards.children[-1]
        view = screen.ids.cards.parent
        assert card.height <= view.height


def test_cards_of_one_row_end_level_with_their_pictures_at_the_top(kiosk, demo_content):
    from kiosk.ui.screens.home import SectionCard

    start_in(kiosk, demo_content, (960, 540), "zh", True, "party-red")
    cards = kiosk.widgets(SectionCard)
    rows: dict[float, list] = {}
    for card in cards:
        rows.setdefault(round(card.top), []).append(card)
    for row in rows.values():
        assert len({round(c.height) for c in row}) == 1  # one height per row
        for card in row:
            assert card.ids.picture.top == pytest.approx(card.top, abs=1)


def test_an_award_opened_large_shows_its_picture(kiosk, demo_content):
    app = start_in(kiosk, demo_content, (1080, 1920), "zh", False, "party-red")
    app.go("section/honors")
    kiosk.settle()
    kiosk.tap(kiosk.screen.cards[0])  # the detail fades in over the wall
    kiosk.advance(1.0)
    picture = kiosk.screen.detail.ids.picture
    assert not picture.empty and picture.texture is not None
    assert text_outside_its_box(kiosk, kiosk.screen.detail) == []
