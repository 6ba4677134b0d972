"""`kiosk render`: a picture of every route, both languages, both orientations, nothing missing."""

from __future__ import annotations

import json

import pytest
from conftest import DEMO_RENDER, EVERY_ROUTE_COMBOS, error_lines
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


@DEMO_RENDER
@pytest.mark.parametrize("combo", EVERY_ROUTE_COMBOS,
                         ids=[f"{lang}-{'portrait' if h > w else 'landscape'}"
                              for (w, h), lang, _ in EVERY_ROUTE_COMBOS])
def test_every_route_renders_without_errors(demo_render, demo, combo):
    # (the demo is rendered once for the whole test run, see conftest.py: every route in
    # Chinese portrait and English landscape; the key screens in every combination are
    # checked in tests/test_render_matrix.py, the tours' steps in tests/test_tour_render.py)
    out, rendered, codes = demo_render
    _, _, content = demo
    size, lang, large = combo
    routes = all_routes(content)
    entries = [rendered.get((route, size, lang, large)) for route in routes]
    assert None not in entries  # every route was shown
    assert len(entries) == len(routes)
    errors = error_lines(entries)
    assert errors == [], "\n".join(errors)
    assert codes[combo] == 0
    for entry in entries:
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
    sources = {e["route"]: e["source"] for e in entries}
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


def test_render_counts_the_contents_own_errors(tmp_path, demo, capsys):
    """A misspelt site title shows the folder's name: the pictures are not all right."""
    import shutil

    from conftest import FIXTURES

    config, theme, _ = demo
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "ui-basic", tree)
    site = tree / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    content = load_content(tree)
    code = render_all(config, theme, content, out=tmp_path / "s", size=(540, 960), lang="zh",
                      routes=["home"])
    assert code == 1
    index = json.loads((tmp_path / "s" / "index.json").read_text("utf-8"))
    assert any(line.startswith("site.yaml") and "title" in line
               for line in index["content_errors"])
    assert "the content itself has" in capsys.readouterr().out


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


def test_kiosk_render_matrix_covers_every_theme_orientation_language_and_text_size(tmp_path):
    """`kiosk render --matrix`: each theme of the themes folder × portrait/landscape × zh/en ×
    normal/大字, every picture listed with its combination and findings, the exit code 1
    exactly when a picture has an error."""
    from conftest import FIXTURES, ROOT

    from kiosk.cli import main
    from kiosk.theme import list_themes

    out, sheet = tmp_path / "shots", tmp_path / "review.html"
    code = main(["render", "--matrix", "--size", "540x960", "--out", str(out), "--content",
                 str(FIXTURES / "ui-basic"), "--route", "exhibit/more/one", "--sheet", str(sheet)])
    index = json.loads((out / "index.json").read_text("utf-8"))
    themes = list_themes(ROOT / "themes")
    assert len(themes) >= 2
    combos = {(e["theme"], tuple(e["size"]), e["lang"], e["large_text"]) for e in index["pictures"]}
    assert combos == {(t, s, lang, large) for t in themes for s in ((540, 960), (960, 540))
                      for lang in ("zh", "en") for large in (False, True)}
    assert "exhibit__more__one.en.960x540.large.light.png" in {e["file"] for e in index["pictures"]}
    for e in index["pictures"]:
        with Image.open(out / e["file"]) as im:
            assert im.size == tuple(e["size"])
    assert code == (1 if any(e["errors"] for e in index["pictures"]) else 0)
    page = sheet.read_text("utf-8")
    assert page.count("<figure ") == len(combos)
    assert page.count("<rect ") == sum(len(e["findings"]) for e in index["pictures"])


def test_kiosk_render_large_text_and_theme(tmp_path):
    from conftest import FIXTURES
    from kivy.core.window import Window

    from kiosk.cli import main

    out = tmp_path / "shots"
    main(["render", "--large-text", "--theme", "light", "--size", "540x960", "--lang", "zh",
          "--out", str(out), "--content", str(FIXTURES / "ui-basic"), "--route", "home"])
    assert tuple(Window.size) == (540, 960)
    (entry,) = json.loads((out / "index.json").read_text("utf-8"))["pictures"]
    assert entry["file"] == "home.zh.540x960.large.light.png"
    assert entry["large_text"] is True and entry["theme"] == "light"
    with Image.open(out / entry["file"]) as im:
        light = ImageStat.Stat(im.convert("L")).mean[0]
    assert light > 128  # the light theme: a light screen
