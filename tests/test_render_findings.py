"""The render check sees defects: each kind is planted on a real screen (or in content) and
must come back as a finding naming its route, its content file and its widget."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import FIXTURES, ROOT
from kivy.graphics import Color, Rectangle
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget
from PIL import Image, ImageDraw

from kiosk.config import Config
from kiosk.content.loader import load_content
from kiosk.theme import contrast, load_theme
from kiosk.ui.render import grab, inspect_screen, render_all
from kiosk.ui.review.detectors import broken_word, detect, overlaps, stretched
from kiosk.ui.review.scene import Clip, Scene, TextItem, TileItem
from kiosk.ui.widgets.common import TapArea

ROUTE = "exhibit/more/one"
SOURCE = "02-more/one.md"


def _kinds(findings, kind):
    return [f for f in findings if f.kind == kind]


@pytest.fixture
def page(kiosk):
    """The exhibit page of the basic fixture, shown, with an empty layer to plant widgets in."""
    app = kiosk.start(FIXTURES / "ui-basic", size=(540, 960))
    app.go(ROUTE)
    kiosk.settle()
    layer = FloatLayout()
    kiosk.screen.add_widget(layer)

    def look():
        kiosk.frames(3)
        return inspect_screen(app, app.root, route=ROUTE, pixels=grab(app.root))

    return layer, look


def _label(text, pos, font_size=22, color=(1, 1, 1, 1)):
    label = Label(text=text, font_size=font_size, color=color, size_hint=(None, None), pos=pos)
    label.texture_update()
    label.size = label.texture_size
    return label


def test_the_unplanted_page_has_no_finding(page):
    _, look = page
    assert [f.as_dict() for f in look()] == []


def test_texts_drawn_over_each_other_are_reported(page):
    layer, look = page
    layer.add_widget(_label("Overlapping title", (60, 400)))
    layer.add_widget(_label("Another title", (80, 405)))
    found = _kinds(look(), "overlap")
    assert len(found) == 1
    f = found[0]
    assert (f.route, f.source, f.level) == (ROUTE, SOURCE, "error")
    assert {f.widget["text"], f.other["text"]} == {"Overlapping title", "Another title"}
    assert f.widget["class"] == "Label" and "FloatLayout" in f.widget["path"]


def test_texts_side_by_side_are_not_overlapping(page):
    layer, look = page
    layer.add_widget(_label("Left", (60, 400)))
    layer.add_widget(_label("Right", (200, 400)))
    layer.add_widget(_label("Below", (60, 360)))
    assert _kinds(look(), "overlap") == []


def test_a_stretched_tile_is_reported(page):
    layer, look = page
    tile = TapArea(orientation="vertical", size_hint=(None, None), size=(240, 700), pos=(40, 100))
    tile.add_widget(Label(text="Small content", size_hint_y=None, height=40))
    tile.add_widget(Widget())
    layer.add_widget(tile)
    found = _kinds(look(), "stretched")
    assert len(found) == 1
    assert (found[0].route, found[0].source, found[0].level) == (ROUTE, SOURCE, "error")
    assert found[0].widget["class"] == "TapArea"
    assert found[0].box == [40, 960 - 800, 240, 700]


def test_a_filled_tile_is_not_stretched(page):
    layer, look = page
    tile = TapArea(orientation="vertical", size_hint=(None, None), size=(240, 200), pos=(40, 100))
    tile.add_widget(Label(text="Fills", font_size=40))
    tile.add_widget(Label(text="its tile", font_size=40))
    layer.add_widget(tile)
    assert _kinds(look(), "stretched") == []


def _panel(colour, pos, size):
    panel = Widget(size_hint=(None, None), pos=pos, size=size)
    with panel.canvas:
        Color(*colour)
        Rectangle(pos=pos, size=size)
    return panel


def test_text_at_two_to_one_contrast_is_reported_from_the_pixels(page):
    layer, look = page
    back, fore = (0.5, 0.5, 0.5, 1), (0.73, 0.73, 0.73, 1)
    assert 1.9 < contrast(fore, back) < 2.1
    layer.add_widget(_panel(back, (30, 300), (480, 120)))
    layer.add_widget(_label("Grey on grey, hard to read", (50, 340), font_size=14, color=fore))
    layer.add_widget(_label("White on black reads well", (50, 200), font_size=14))
    layer.add_widget(_panel((0, 0, 0, 1), (30, 180), (480, 60)))  # drawn over it: hidden
    found = _kinds(look(), "contrast")
    assert [f.widget["text"] for f in found] == ["Grey on grey, hard to read"]
    assert (found[0].route, found[0].source, found[0].level) == (ROUTE, SOURCE, "error")
    assert 1.8 < found[0].extra["ratio"] < 2.2 and found[0].extra["needs"] == 4.5


def test_large_text_needs_three_to_one(page):
    layer, look = page
    back, fore = (0.5, 0.5, 0.5, 1), (0.93, 0.93, 0.93, 1)
    assert 3.0 < contrast(fore, back) < 4.5
    layer.add_widget(_panel(back, (30, 300), (480, 120)))
    layer.add_widget(_label("Large", (50, 330), font_size=40, color=fore))
    layer.add_widget(_label("Small", (300, 330), font_size=13, color=fore))
    assert [f.widget["text"] for f in _kinds(look(), "contrast")] == ["Small"]


def test_text_off_the_screen_and_outside_its_box_is_reported(page):
    layer, look = page
    wide = _label("A title far too wide for this narrow screen at all", (40, 500), font_size=30)
    wide.size = (200, 40)  # its box is narrower than its text
    layer.add_widget(wide)
    found = _kinds(look(), "overflow")
    assert len(found) == 1
    assert "outside its own box" in found[0].message and "off the screen" in found[0].message
    assert (found[0].route, found[0].source) == (ROUTE, SOURCE)


def test_text_cut_without_an_ellipsis_and_shortened_with_one(page):
    layer, look = page
    words = "Five lines of text that will never fit into a box only one line high"
    cut = Label(text=words, font_size=16, size_hint=(None, None), size=(200, 24), pos=(40, 600),
                text_size=(200, 24), valign="top")
    short = Label(text=words, font_size=16, size_hint=(None, None), size=(200, 24), pos=(40, 500),
                  text_size=(200, 24), shorten=True, shorten_from="right")
    layer.add_widget(cut)
    layer.add_widget(short)
    found = look()
    assert [(f.kind, f.level) for f in found if f.widget["text"].startswith("Five lines")] == [
        ("cut", "error"), ("shortened", "warning")]
    assert found[0].widget["text"] == words[:47] + "…"  # an excerpt names the widget
    assert all((f.route, f.source) == (ROUTE, SOURCE) for f in found)


def test_a_title_the_program_shortened_says_the_room_the_whole_title_needs(page):
    """A TextBlock ends a title that does not fit with an ellipsis itself: the warning gives
    the width the whole title needs on its line (a wrapped text: the height of its lines),
    not the shortened text's own."""
    from kiosk.ui.widgets.common import TextBlock

    layer, look = page
    words = "A section title far too long for the small space the navigation bar leaves"
    one = TextBlock(lines=1, font_size=18, size_hint=(None, None), size=(180, 30),
                    pos=(40, 600))
    two = TextBlock(lines=2, font_size=18, size_hint=(None, None),
                    size=(180, 60), pos=(40, 400))
    one.raw, two.raw = words, words + " " + words  # (as a layout sets them)
    layer.add_widget(one)
    layer.add_widget(two)
    found = [f for f in look() if f.kind == "shortened"]
    assert len(found) == 2, [f.message for f in found]
    widths = [f.message for f in found if "of height" not in f.message]
    lines = [f.message for f in found if "of height" in f.message]
    assert len(widths) == len(lines) == 1
    needs, has = (int(n) for n in re.findall(r"needs (\d+) px, has (\d+)", widths[0])[0])
    assert needs > 2 * has
    need, shown = (int(n) for n in re.findall(r"need (\d+) px of height, has (\d+)", lines[0])[0])
    assert need > shown


def test_text_hidden_by_a_stencil_that_cannot_scroll_is_cut(page):
    from kivy.uix.stencilview import StencilView

    layer, look = page
    box = StencilView(size_hint=(None, None), size=(120, 40), pos=(40, 400))
    box.add_widget(_label("Clipped by a stencil box", (40, 410)))
    layer.add_widget(box)
    found = _kinds(look(), "cut")
    assert len(found) == 1 and "StencilView" in found[0].message


def _list(size, pos, rows, row_height=60, badge=False):
    """A scrolling list of light rows with dark text, at its top; with ``badge`` its
    "more below" badge is put beside it."""
    from kivy.uix.boxlayout import BoxLayout

    from kiosk.ui.widgets.common import CueScrollView, ScrollBadge

    view = CueScrollView(size_hint=(None, None), size=size, pos=pos, do_scroll_x=False,
                         bar_width=0)
    column = BoxLayout(orientation="vertical", size_hint_y=None, height=rows * row_height)
    for n in range(rows):
        row = FloatLayout(size_hint_y=None, height=row_height)
        with row.canvas.before:
            Color(0.98, 0.95, 0.88, 1)
            rect = Rectangle()
        row.bind(pos=lambda w, v, r=rect: setattr(r, "pos", v), size=lambda w, v, r=rect: setattr(r, "size", v))
        label = Label(text=f"Row {n + 1} of the list", font_size=30, color=(0.23, 0.1, 0.07, 1),
                      size_hint=(1, None), height=row_height, pos_hint={"x": 0, "y": 0})
        row.add_widget(label)
        column.add_widget(row)
    view.add_widget(column)
    parts = [view]
    if badge:
        parts.append(ScrollBadge(scroll=view.proxy_ref))  # as a kv rule's id gives it
    return view, parts


def test_text_cut_by_its_scrolling_list_is_judged_only_where_it_shows(page):
    """The last row half under the list's bottom edge, over a background the colour of its
    text: it scrolls into view, so neither low contrast nor off its box or the screen."""
    layer, look = page
    layer.add_widget(_panel((0.42, 0.04, 0.06, 1), (0, 0), (540, 960)))
    _, parts = _list((400, 210), (70, 400), rows=6, badge=True)  # the 4th row's text cut in half
    for part in parts:
        layer.add_widget(part)
    found = [f for f in look() if f.widget["text"].startswith("Row")]
    assert found == []


def test_a_list_going_on_below_its_edge_without_a_cue_is_reported(page):
    layer, look = page
    view, parts = _list((400, 230), (70, 400), rows=6)
    layer.add_widget(view)
    found = _kinds(look(), "no-scroll-cue")
    assert len(found) == 1
    f = found[0]
    assert (f.route, f.source, f.level) == (ROUTE, SOURCE, "error")
    assert f.widget["class"] == "CueScrollView" and f.widget["text"] == "Row 1 of the list"
    assert f.box == [70, 960 - 630, 400, 230] and f.extra["below"] == 6 * 60 - 230


def test_a_list_with_its_badge_or_scrolled_to_its_end_needs_no_cue(page):
    layer, look = page
    _, parts = _list((400, 230), (70, 600), rows=6, badge=True)
    at_end, _ = _list((400, 230), (70, 300), rows=6)
    at_end.scroll_y = 0  # nothing more below
    short, _ = _list((400, 230), (70, 40), rows=3)  # fits: does not scroll
    for part in (*parts, at_end, short):
        layer.add_widget(part)
    assert _kinds(look(), "no-scroll-cue") == []


def _card_with_picture(picture_size, pos, focus=None):
    """A card 320 x 200 px showing a picture of ``picture_size`` to cover its top 320 x 140."""
    from kivy.graphics.texture import Texture

    from kiosk.ui.widgets.common import Picture

    card = TapArea(orientation="vertical", size_hint=(None, None), size=(320, 200), pos=pos)
    picture = Picture(size_hint_y=None, height=140, fit_mode="cover")
    card.add_widget(picture)
    card.add_widget(Label(text="Card title", size_hint_y=None, height=60))
    picture.texture = Texture.create(size=picture_size)
    picture.empty = False
    picture.focus = focus
    return card


def test_a_card_picture_cropped_at_its_edges_is_a_warning(page):
    layer, look = page
    layer.add_widget(_card_with_picture((400, 400), (40, 600)))  # square into 16:7
    layer.add_widget(_card_with_picture((320, 140), (40, 300)))  # the card's own shape
    found = _kinds(look(), "cropped")
    assert len(found) == 1
    f = found[0]
    assert (f.route, f.source, f.level) == (ROUTE, SOURCE, "warning")
    assert f.box == [40, 960 - 800, 320, 140]
    hidden = f.extra["hidden"]
    assert hidden["top"] == hidden["bottom"] == pytest.approx((1 - 140 / 320) / 2, abs=0.01)
    assert hidden["left"] == hidden["right"] == 0


def test_a_focus_at_the_top_keeps_the_top_of_a_card_picture(page):
    layer, look = page
    layer.add_widget(_card_with_picture((400, 400), (40, 600), focus=(0.5, 0.0)))
    (f,) = _kinds(look(), "cropped")
    assert f.extra["hidden"]["top"] == 0 and "bottom" in f.message and "top" not in f.message


# -------------------------------------------------------------- planted in content


@pytest.fixture(scope="module")
def setup():
    config = Config(base_dir=ROOT)
    theme, _ = load_theme(config.theme_dir)
    return config, theme


def _tree(tmp_path, old, new):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "ui-basic", tree)
    md = tree / "02-more" / "one.md"
    md.write_text(md.read_text("utf-8").replace(old, new), "utf-8")
    return load_content(tree)


def test_an_overlong_unbreakable_title_is_reported_with_route_and_file(tmp_path, setup):
    config, theme = setup
    content = _tree(tmp_path, "title: 第一项", "title: " + "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2)
    out = tmp_path / "s"
    assert render_all(config, theme, content, out=out, size=(540, 960), lang="zh", routes=[ROUTE]) == 1
    entry = json.loads((out / "index.json").read_text("utf-8"))["pictures"][0]
    assert entry["errors"] >= 1
    title = [f for f in entry["findings"] if f["widget"]["text"].startswith("Pneumono")
             and f["level"] == "error"]
    assert title, entry["findings"]
    assert {(f["route"], f["source"]) for f in title} == {(ROUTE, SOURCE)}
    assert any("broken across two lines" in f["message"] for f in title)


def test_characters_the_font_cannot_draw_are_reported_with_route_and_file(tmp_path, setup):
    config, theme = setup
    content = _tree(tmp_path, "内容。", "内容 𠀀。")
    out = tmp_path / "s"
    assert render_all(config, theme, content, out=out, size=(540, 960), lang="zh", routes=[ROUTE]) == 1
    entry = json.loads((out / "index.json").read_text("utf-8"))["pictures"][0]
    missing = [f for f in entry["findings"] if f["kind"] == "missing-glyph"]
    assert len(missing) == 1
    assert (missing[0]["route"], missing[0]["source"], missing[0]["level"]) == (ROUTE, SOURCE, "error")
    assert missing[0]["extra"]["chars"] == "𠀀" and entry["missing_glyphs"] == "𠀀"


# -------------------------------------------------------------- the detectors alone


def _text(text, x, y, w=60, h=16, cls="Label", **kw):
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rectangle((2, 3, w - 3, h - 4), fill=255)
    return TextItem(cls=cls, path=f"Screen/{cls}", wid="", text=text, box=(x, y, x + w, y + h),
                    drawn=(x, y, x + w, y + h), mask=mask, font_size=14, colour=(255, 255, 255, 1), **kw)


def test_overlap_needs_glyphs_on_the_same_pixels():
    a, b = _text("one", 10, 10), _text("two", 40, 14)
    c = _text("three", 10, 40)
    assert [(f.widget["text"], f.other["text"]) for f in overlaps([a, b, c], (200, 200))] == [("one", "two")]


def test_text_scrolled_out_of_sight_is_not_judged():
    a, b = _text("one", 10, 150), _text("two", 20, 152)
    clip = Clip((0, 0, 200, 100), "ScrollView", scroll_y=True)
    a.clips = b.clips = [clip]
    assert overlaps([a, b], (200, 200)) == []
    assert detect(Scene((200, 200), [a, b]), None) == []


def test_a_tile_is_stretched_only_when_mostly_empty():
    tall = TileItem(cls="StatTile", path="p", wid="", box=(0, 0, 100, 600), content=[(10, 10, 90, 90)])
    full = TileItem(cls="HonorCard", path="q", wid="", box=(0, 0, 100, 600), content=[(10, 10, 90, 400)])
    small = TileItem(cls="StatTile", path="r", wid="", box=(0, 0, 100, 60), content=[(10, 10, 90, 20)])
    assert [f.widget["path"] for f in stretched([tall, full, small], (540, 960))] == ["p"]


def test_a_short_tile_beside_a_full_one_in_its_row_is_not_stretched():
    full = TileItem(cls="StatTile", path="a", wid="", box=(0, 100, 100, 500), content=[(10, 110, 90, 480)])
    short = TileItem(cls="StatTile", path="b", wid="", box=(110, 100, 210, 500), content=[(120, 110, 200, 200)])
    alone = TileItem(cls="StatTile", path="c", wid="", box=(0, 520, 100, 920), content=[(10, 530, 90, 600)])
    assert [f.widget["path"] for f in stretched([full, short, alone], (540, 960))] == ["c"]


def test_a_word_broken_inside_is_found_but_not_a_break_at_a_space():
    assert broken_word("Supercalifragilistic words", ["Supercalifr", "agilistic words"]) == \
        "Supercalifr|agilistic"
    assert broken_word("two words", ["two", "words"]) == ""
    assert broken_word("一个平台五大中心", ["一个平台", "五大中心"]) == ""
    assert broken_word("1+5+N services", ["1+5+", "N services"]) == ""
