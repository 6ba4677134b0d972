"""`kiosk render`: a picture of every route, both languages, both orientations, nothing missing."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageStat

from kiosk.config import Config
from kiosk.content.loader import load_content
from kiosk.theme import load_theme
from kiosk.ui.navigation import all_routes
from kiosk.ui.render import render_all


@pytest.fixture(scope="module")
def demo():
    from conftest import ROOT

    config = Config(base_dir=ROOT)
    theme, problems = load_theme(config.theme_dir)
    assert problems == []
    return config, theme, load_content(config.content_dir)


@pytest.mark.parametrize("size", [(540, 960), (960, 540)], ids=["portrait", "landscape"])
def test_every_route_renders_in_both_languages(tmp_path, demo, size):
    config, theme, content = demo
    out = tmp_path / "shots"
    for lang in ("zh", "en"):
        # the tours' steps are rendered in tests/test_tour_render.py; whether the screens are
        # free of layout errors is asserted in tests/test_render_matrix.py
        render_all(config, theme, content, out=out, size=size, lang=lang, routes=all_routes(content))
    index = json.loads((out / "index.json").read_text("utf-8"))
    routes = all_routes(content)
    assert set(index["routes"]) == set(routes)
    assert len(index["pictures"]) == 2 * len(routes)
    for entry in index["pictures"]:
        assert entry["missing_glyphs"] == "", entry
        assert entry["errors"] == sum(f["level"] == "error" for f in entry["findings"])
        for f in entry["findings"]:  # every finding says where it is and what it is about
            assert f["route"] == entry["route"] and f["source"], f
            assert f["widget"]["class"] and f["widget"]["path"] and f["level"] in ("error", "warning")
            x, y, w, h = f["box"]
            assert w >= 0 and h >= 0
        with Image.open(out / entry["file"]) as im:
            assert im.size == size
            # not a blank frame: the picture has real contrast
            assert max(ImageStat.Stat(im.convert("L")).stddev) > 8, entry["route"]
    sources = {e["route"]: e["source"] for e in index["pictures"]}
    assert sources["exhibit/history/2015-first-center"] == "01-history/2015-first-center.md"


def test_review_sheet_embeds_every_picture(tmp_path, demo):
    config, theme, content = demo
    routes = ["home", "section/achievements", "exhibit/lessons/red-engine"]
    sheet = tmp_path / "review.html"
    render_all(config, theme, content, out=tmp_path / "s", size=(540, 960), lang="zh",
               routes=routes, sheet=str(sheet))
    page = sheet.read_text("utf-8")
    assert page.count("<figure ") == 3
    assert page.count("data:image/jpeg;base64,") == 3
    assert "06-lessons/1-red-engine.md" in page
    assert "src=\"http" not in page  # self-contained


def test_render_reports_characters_the_font_cannot_draw(tmp_path, demo):
    import shutil

    from conftest import FIXTURES

    config, theme, _ = demo
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "ui-basic", tree)
    md = tree / "02-more" / "one.md"
    md.write_text(md.read_text("utf-8").replace("第一项", "第一项 𠀀"), "utf-8")
    content = load_content(tree)
    code = render_all(config, theme, content, out=tmp_path / "s", size=(540, 960), lang="zh",
                      routes=["section/more"], sheet=str(tmp_path / "review.html"))
    assert code == 1
    index = json.loads((tmp_path / "s" / "index.json").read_text("utf-8"))
    assert "𠀀" in index["pictures"][0]["missing_glyphs"]
    # the sheet shows the finding and boxes it on the picture
    page = (tmp_path / "review.html").read_text("utf-8")
    assert "missing-glyph" in page and "𠀀" in page and page.count("<rect ") == 1
    assert "1 errors" in page


def test_pictures_are_the_right_way_up(tmp_path):
    """The fast saver writes what Kivy's own saver writes: red drawn at the bottom stays at the bottom."""
    from kivy.graphics import Color, Rectangle
    from kivy.uix.widget import Widget

    from kiosk.ui.render import save_png

    widget = Widget(size=(40, 60))
    with widget.canvas:
        Color(1, 1, 1, 1)
        Rectangle(pos=(0, 0), size=(40, 60))
        Color(1, 0, 0, 1)
        Rectangle(pos=(0, 0), size=(40, 20))  # bottom third, in Kivy's y-up coordinates
    save_png(widget, tmp_path / "fast.png")
    widget.export_to_png(str(tmp_path / "kivy.png"))
    with Image.open(tmp_path / "fast.png") as fast, Image.open(tmp_path / "kivy.png") as ref:
        fast, ref = fast.convert("RGB"), ref.convert("RGB")
        assert fast.getpixel((20, 55)) == (255, 0, 0)  # bottom of the picture is red
        assert fast.getpixel((20, 5)) == (255, 255, 255)
        assert fast.tobytes() == ref.tobytes()
