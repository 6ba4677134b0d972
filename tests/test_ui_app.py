"""A visitor at the kiosk: home, sections, back and home, language, large text, idle, attract."""

from __future__ import annotations

from conftest import FIXTURES
from kivy.core.window import Keyboard, Window

from kiosk.ui.widgets import Card

BASIC = FIXTURES / "ui-basic"


def section_cards(kiosk):
    return [w for w in kiosk.widgets(Card, kiosk.screen)]


def test_home_lists_every_section_as_a_card(kiosk, demo_content):
    app = kiosk.start(demo_content)
    assert kiosk.route == "home"
    titles = [c.title for c in section_cards(kiosk)]
    expected = [app.t(s.title) for s in app.content.home_sections()]
    assert titles == expected
    assert len(titles) == 7
    kiosk.find_text(app.t(app.content.site.title))


def scrolled_into_view(kiosk, card):
    """The card, after the visitor scrolled the home list to it (as a finger would)."""
    from kivy.uix.scrollview import ScrollView

    scroll = next(w for w in kiosk.widgets(ScrollView, kiosk.screen) if card in w.walk())
    scroll.scroll_to(card, padding=0, animate=False)
    kiosk.frames(3)
    return card


def test_every_section_opens_from_home_by_touch(kiosk, demo_content):
    app = kiosk.start(demo_content)
    for section in app.content.home_sections():
        card = next(c for c in section_cards(kiosk) if c.route == section.route)
        kiosk.tap(scrolled_into_view(kiosk, card))
        assert kiosk.route == section.route
        assert kiosk.status()["screen"] == section.route
        kiosk.tap(kiosk.find_text(app.ui("home")))
        assert kiosk.route == "home"


def test_back_returns_where_the_visitor_came_from(kiosk):
    app = kiosk.start(BASIC)
    kiosk.tap(section_cards(kiosk)[0])
    assert kiosk.route == "section/notes"
    exhibit_card = next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route.endswith("/plain"))
    kiosk.tap(exhibit_card)
    assert kiosk.route == "exhibit/notes/plain"
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/notes"
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "home"


def test_only_a_few_screens_stay_alive_and_the_way_back_is_among_them(kiosk, demo_content):
    from kiosk.ui.app import SCREEN_CACHE

    app = kiosk.start(demo_content)
    sections = [s.route for s in app.content.home_sections()]
    assert len(sections) > SCREEN_CACHE + 1
    for route in sections:  # a visitor wanders through every section from Home
        card = next(c for c in section_cards(kiosk) if c.route == route)
        kiosk.tap(scrolled_into_view(kiosk, card))
        assert kiosk.route == route
        kiosk.tap(kiosk.find_text(app.ui("home")))
    kiosk.tap(scrolled_into_view(kiosk, next(c for c in section_cards(kiosk)
                                             if c.route == sections[0])))
    section_screen = kiosk.screen
    exhibit = next(w for w in kiosk.screen.walk(restrict=True)
                   if str(getattr(w, "route", "")).startswith("exhibit/"))
    kiosk.tap(exhibit)
    names = app.manager.screen_names
    assert len(names) <= SCREEN_CACHE + 2  # Home, the current one and a few more
    assert "home" in names and exhibit.route in names and sections[0] in names
    assert sections[-1] in names and sections[1] not in names  # the oldest went first
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == sections[0] and kiosk.screen is section_screen  # not rebuilt


def test_the_exhibit_page_stays_to_be_refilled_while_the_visitor_wanders(kiosk, demo_content):
    from kiosk.ui.app import SCREEN_CACHE

    app = kiosk.start(demo_content)
    sections = [s.route for s in app.content.home_sections()]

    def open_section(route):
        kiosk.tap(scrolled_into_view(kiosk, next(c for c in section_cards(kiosk) if c.route == route)))
        assert kiosk.route == route
        return [w for w in kiosk.screen.walk(restrict=True)
                if str(getattr(w, "route", "")).startswith("exhibit/")]

    first, second = open_section(sections[0])[:2]
    kiosk.tap(first)
    page = kiosk.screen
    kiosk.tap(kiosk.find_text(app.ui("home")))
    for route in sections[1:]:  # every other section, and Home between them
        open_section(route)
        kiosk.tap(kiosk.find_text(app.ui("home")))
    assert len(app.manager.screen_names) <= SCREEN_CACHE + 3  # Home, current, a few, the page
    assert first.route in app.manager.screen_names
    open_section(sections[0])
    kiosk.tap(second)
    assert kiosk.route == second.route
    assert kiosk.screen is page  # the page built for the first exhibit, refilled
    exhibit = app.content.resolve(second.route)
    assert page.ids.title.text.replace("\n", "") == app.t(exhibit.title)


def test_swipe_right_goes_back(kiosk):
    kiosk.start(BASIC)
    kiosk.tap(section_cards(kiosk)[1])
    assert kiosk.route == "section/more"
    w, h = Window.size
    kiosk.swipe((w * 0.3, h * 0.5), (w * 0.8, h * 0.52))
    assert kiosk.route == "home"


def test_language_switch_shows_english_and_falls_back(kiosk):
    app = kiosk.start(BASIC)
    kiosk.find_text("测试展厅")
    kiosk.tap(app.root.ids.language)
    assert app.lang == "en"
    kiosk.find_text("Test Hall")
    kiosk.find_text("Large text")  # interface words follow the language
    assert kiosk.status()["language"] == "en"
    kiosk.tap(section_cards(kiosk)[0])
    titles = [c.title for c in kiosk.widgets(Card, kiosk.screen)]
    assert "Plain exhibit" in titles  # from plain.en.md
    assert "[color=ff0000]红色[/color] [b]粗[/b]" in titles  # no translation: default language


def test_markup_in_content_is_shown_literally(kiosk):
    app = kiosk.start(BASIC)
    kiosk.tap(section_cards(kiosk)[0])
    card = next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route.endswith("/markup"))
    labels = [w for w in card.walk() if hasattr(w, "markup") and w.text.startswith("[color")]
    assert labels and all(not w.markup for w in labels)
    assert app.tm(app.content.exhibit("notes", "markup").title).startswith("&bl;color")


def test_large_text_scales_every_font_and_resets_when_idle(kiosk):
    app = kiosk.start(BASIC)
    body = app.font["body"]
    kiosk.tap(app.root.ids.large_text)
    assert app.large_text
    assert abs(app.font["body"] - body * 1.4) < 0.5
    title = kiosk.find_text("测试展厅")
    assert abs(title.font_size - app.font["display"]) < 0.01
    kiosk.tap(section_cards(kiosk)[0])
    kiosk.advance(app.kiosk_config.idle.reset_after + 1, step=1.0)
    assert kiosk.route == "home"
    assert not app.large_text
    assert abs(app.font["body"] - body) < 0.01


def test_idle_countdown_then_home_and_touch_keeps_browsing(kiosk):
    app = kiosk.start(BASIC)
    idle = app.kiosk_config.idle
    kiosk.tap(section_cards(kiosk)[0])
    kiosk.advance(idle.reset_after - idle.countdown + 2, step=1.0)
    assert app.root.countdown > 0
    kiosk.find_text(app.ui("returning_home"))
    kiosk.tap(kiosk.find_text(app.ui("stay")))  # a touch keeps the visitor where they are
    assert app.root.countdown == -1
    assert kiosk.route == "section/notes"
    kiosk.advance(idle.reset_after + 1, step=1.0)
    assert kiosk.route == "home"


def test_attract_loop_after_idle_on_home_and_touch_returns(kiosk):
    app = kiosk.start(BASIC)
    kiosk.advance(app.kiosk_config.idle.attract_after + 1, step=1.0)
    assert kiosk.route == "attract"
    assert kiosk.status()["mode"] == "attract"
    kiosk.find_text(app.t(app.content.site.attract.prompt))
    first = kiosk.screen.slide_title
    kiosk.advance(app.content.site.attract.slide_seconds + 2, step=0.5)
    assert kiosk.screen.slide_title != first  # the slideshow moves on
    w, h = Window.size
    kiosk.tap((w / 2, h / 2))
    assert kiosk.route == "home"
    assert kiosk.status()["mode"] == "browse"


def test_escape_and_window_close_do_not_quit(kiosk):
    app = kiosk.start(BASIC)
    kiosk.tap(section_cards(kiosk)[0])
    kiosk.key(Keyboard.keycodes["escape"])
    assert app.root.get_root_window() is Window
    assert Window.dispatch("on_request_close") is True
    kiosk.tap(app.root.ids.home)
    assert kiosk.route == "home"


def test_status_file_describes_the_kiosk(kiosk):
    import os

    app = kiosk.start(BASIC)
    doc = kiosk.status()
    assert doc["pid"] == os.getpid()
    assert doc["mode"] == "browse"
    assert doc["screen"] == "home"
    assert doc["language"] == "zh"
    assert doc["content"]["version"] == 1
    assert doc["content"]["errors"] == []
    assert doc["memory_rss_mb"] > 10
    assert "updated_at" in doc
    app.apply_content(app.loader.load())
    assert kiosk.status()["content"]["version"] == 2


def test_landscape_puts_the_title_beside_two_columns_of_cards(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(960, 540))
    kiosk.settle()
    screen = app.manager.current_screen
    grid = screen.ids.cards
    assert grid.cols == 2
    assert screen.ids.title.right <= grid.to_window(grid.x, grid.y)[0]
    for card in section_cards(kiosk):
        x, y = card.to_window(card.x, card.y)
        assert 0 <= x and x + card.width <= 960 + 1


def test_the_light_theme_changes_the_look(kiosk):
    from PIL import Image

    app = kiosk.start(BASIC, theme="light")
    assert app.theme.id == "light"
    assert app.colors["background"] == app.theme.colours.background
    shot = kiosk.screenshot(kiosk.tmp_path / "light.png")
    with Image.open(shot) as im:
        r, g, b = im.convert("RGB").getpixel((im.width // 2, im.height // 3))
    assert min(r, g, b) > 200  # light background, not party red


def test_party_red_draws_its_background_picture(kiosk):
    from PIL import Image, ImageStat

    app = kiosk.start(BASIC)
    assert app.background_image.endswith("background.jpg")
    shot = kiosk.screenshot(kiosk.tmp_path / "red.png")
    with Image.open(shot) as im:
        band = im.convert("L").crop((0, int(im.height * 0.75), im.width, int(im.height * 0.85)))
        assert ImageStat.Stat(band).stddev[0] > 1.0  # a pattern, not a flat colour
