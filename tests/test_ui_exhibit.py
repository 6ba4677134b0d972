"""A visitor reading exhibits: the article list, an exhibit page, its pictures, body and video."""

from __future__ import annotations

import gc

import pytest
from conftest import FIXTURES
from kivy.core.window import Window
from trees import one_long_section

from kiosk.ui.widgets import Card, Picture

FIXTURE = FIXTURES / "ui-exhibit"
MARKUP_TITLE = "[color=ff0000]红色[/color] [b]粗体[/b]"


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


def open_from_home(kiosk, route):
    card = next(c for c in kiosk.widgets(Card, kiosk.screen) if c.route == route)
    kiosk.tap(card)
    assert kiosk.route == route


def rows(kiosk):
    from kiosk.ui.screens.article import ArticleRow

    return kiosk.widgets(ArticleRow, kiosk.screen)


def label_texts(widget) -> list[str]:
    from kivy.uix.label import Label

    return [w.text.replace("\n", "") for w in widget.walk(restrict=True) if isinstance(w, Label)]


def no_video(monkeypatch):
    """Make sure the page behaves as on a kiosk without a video player."""
    import kiosk.ui.widgets.video as video

    monkeypatch.setattr(video, "video_available", lambda: False)


# ---------------------------------------------------------------- article


def test_article_list_shows_intro_and_one_row_per_visible_exhibit(kiosk, demo_content):
    app = kiosk.start(demo_content)
    open_from_home(kiosk, "section/lessons")
    section = app.content.section("lessons")
    shown = rows(kiosk)
    visible = section.visible_exhibits()
    assert [r.route for r in shown] == [ex.route for ex in visible]
    assert len(shown) < len(section.exhibits)  # the panel published in 2027 is not listed
    assert [r.title for r in shown] == [app.t(ex.title) for ex in visible]
    assert shown[0].summary == app.t(visible[0].summary)
    intro = kiosk.screen.intro
    assert intro is not None
    assert any("红色引擎" in t for t in label_texts(intro))
    # rows stack downwards in order, full width, with a picture on the left
    assert all(a.y > b.y for a, b in zip(shown, shown[1:], strict=False))
    assert all(r.width > Window.width * 0.8 for r in shown)
    assert all(r.ids.pic.source.endswith(".jpg") for r in shown)


def long_article(tmp_path, count=40):
    return one_long_section(
        tmp_path, "01-lessons", "article", "经验", count,
        lambda i: f"---\ntitle: 第{i}条经验\nsummary: 经验摘要{i}。\n---\n正文{i}。\n")


def test_a_long_article_list_builds_its_rows_as_the_reader_scrolls(kiosk, tmp_path):
    from kiosk.ui.screens.article import BATCH

    app = kiosk.start(long_article(tmp_path), size=(540, 960))
    app.go("section/lessons")
    kiosk.settle()
    screen = kiosk.screen
    assert len(rows(kiosk)) == BATCH and screen.waiting() == 40 - BATCH
    scroll = screen.ids.scroll
    for _ in range(10):  # the reader scrolls to the end again and again
        if not screen.waiting():
            break
        last = min(rows(kiosk), key=lambda r: r.y)  # the lowest row built so far
        scroll.scroll_y = 0
        kiosk.frames(2)
        before = last.to_window(*last.pos)[1]
        kiosk.settle()
        after = last.to_window(*last.pos)[1]
        assert abs(after - before) < 2  # the rows added below do not move what is read
    assert screen.waiting() == 0
    built = sorted(rows(kiosk), key=lambda r: -r.y)
    assert [r.title for r in built] == [f"第{i}条经验" for i in range(40)]
    scroll.scroll_y = 0
    kiosk.settle()
    kiosk.tap(built[-1])
    assert kiosk.route == "exhibit/lessons/item039"


def test_one_exhibit_after_another_refills_the_same_page(kiosk, demo_content):
    app = kiosk.start(demo_content)
    open_from_home(kiosk, "section/lessons")
    first, second = sorted(rows(kiosk), key=lambda r: -r.y)[:2]
    kiosk.tap(first)
    page = kiosk.screen
    kiosk.tap(app.root.ids.back)
    kiosk.tap(second)
    assert kiosk.route == second.route
    assert kiosk.screen is page  # the page built for the first exhibit, refilled
    exhibit = app.content.resolve(second.route)
    assert page.ids.title.text.replace("\n", "") == app.t(exhibit.title)
    assert first.route not in app.manager.screen_names
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/lessons"


def test_article_row_opens_the_exhibit_with_its_rendered_body(kiosk, demo_content):
    from kiosk.ui.markdown.widgets import MdListItem, MdTable

    app = kiosk.start(demo_content)
    open_from_home(kiosk, "section/lessons")
    row = next(r for r in rows(kiosk) if r.route.endswith("/red-base"))
    kiosk.tap(row)
    assert kiosk.route == "exhibit/lessons/red-base"
    exhibit = app.content.exhibit("lessons", "red-base")
    screen = kiosk.screen
    assert screen.ids.title.text.replace("\n", "") == app.t(exhibit.title)
    assert app.root.ids.heading.text == "四条启示"
    body = screen.body
    kinds = {type(block).__name__ for block in body.blocks}
    assert {"Heading", "ListBlock", "Table"} <= kinds
    assert kiosk.widgets(MdTable, body) and kiosk.widgets(MdListItem, body)
    texts = label_texts(body)
    heading = next(b for b in body.blocks if type(b).__name__ == "Heading")
    heading_text = "".join(getattr(i, "text", "") for i in heading.inlines)
    assert any(heading_text in t for t in texts)
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/lessons"


def test_long_article_scrolls(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1920, 1080))
    app.go("section/lessons")
    kiosk.settle()
    kiosk.tap(rows(kiosk)[0])
    scroll = kiosk.screen.ids.scroll
    assert scroll.scroll_y == 1
    assert scroll.children[0].height > scroll.height  # longer than the screen
    w, h = Window.size
    kiosk.swipe((w * 0.7, h * 0.25), (w * 0.7, h * 0.75))  # finger moves up: read on
    assert scroll.scroll_y < 0.9
    assert kiosk.route.startswith("exhibit/lessons/")


# ---------------------------------------------------------------- exhibit


def test_title_with_markup_is_shown_literally(kiosk, monkeypatch):
    no_video(monkeypatch)
    app = kiosk.start(FIXTURE)
    open_from_home(kiosk, "section/notes")
    row = next(r for r in rows(kiosk) if r.route.endswith("/markup-title"))
    assert row.title == MARKUP_TITLE
    kiosk.tap(row)
    assert kiosk.route == "exhibit/notes/markup-title"
    title = kiosk.find_text(MARKUP_TITLE)
    assert not title.markup
    summary = kiosk.screen.ids.summary
    assert summary.text == "摘要里也有 [i]标记[/i]" and not summary.markup
    kiosk.find_text("2018年3月5日")
    # the body's own text stays literal too
    app.set_language("en")
    kiosk.settle()
    kiosk.find_text("[b]Bold[/b] title")
    kiosk.find_text("5 March 2018")


def test_exhibit_page_pictures_and_confined_body_images(kiosk, monkeypatch):
    from kiosk.ui.markdown.widgets import MdFigure

    no_video(monkeypatch)
    app = kiosk.start(FIXTURE)
    app.go("exhibit/notes/markup-title")
    kiosk.settle()
    screen = kiosk.screen
    hero = screen.ids.hero
    assert hero.source.endswith("hall.png") and hero.height > 100
    kiosk.find_text("大厅")  # the cover takes the caption given in the image list
    more = kiosk.widgets(Picture, screen.ids.more)
    assert [p.source.rsplit("/", 1)[-1] for p in more] == ["extra.png"]
    kiosk.find_text("另一张图")
    kiosk.find_text("更多图片")
    figures = kiosk.widgets(MdFigure, screen.body)
    assert [f.missing for f in figures] == [False, True]  # ../../outside.png is never read


def test_video_without_a_player_is_a_still_with_no_technical_text(
        kiosk, monkeypatch, demo_content):
    from kivy.uix.video import Video

    from kiosk.ui.widgets.video import VideoBlock

    no_video(monkeypatch)
    app = kiosk.start(demo_content)
    for lang in ("zh", "en"):
        app.set_language(lang)
        app.go("exhibit/history/2015-first-center")
        kiosk.settle()
        shown = " ".join(label_texts(kiosk.screen))
        for word in ("视频播放组件", "ffpyplayer", "not installed", "未安装", "playback"):
            assert word not in shown
    app.set_language("zh")
    kiosk.settle()
    blocks = kiosk.widgets(VideoBlock, kiosk.screen)
    assert len(blocks) == 1
    block = blocks[0]
    assert block.player is None
    poster = block.ids.poster
    assert poster.source.endswith("intro-poster.jpg") and poster.opacity == 1
    assert poster.width > 300 and poster.height > 150
    assert not kiosk.widgets(Video, kiosk.screen)
    kiosk.find_text("中心简介（示意视频，非实拍）")
    kiosk.tap(block.ids.area)  # tapping does nothing harmful
    assert kiosk.route == "exhibit/history/2015-first-center"
    assert block.state == "stop"


def test_video_provider_detection_reports_kivy_null_provider():
    import kivy.core.video as core_video

    from kiosk.ui.widgets.video import video_available, video_provider

    name = getattr(core_video.Video, "__module__", "")
    if name.endswith("video_null") or core_video.Video is None:
        assert video_provider() is None and not video_available()
    else:
        assert video_provider() == name.rsplit(".", 1)[-1].replace("video_", "")


def test_video_tap_plays_and_pauses_when_a_player_exists(kiosk, monkeypatch, demo_content):
    from kivy.uix.video import Video

    import kiosk.ui.widgets.video as video

    monkeypatch.setattr(video, "video_available", lambda: True)
    app = kiosk.start(demo_content)
    app.go("exhibit/history/2015-first-center")
    kiosk.settle()
    block = kiosk.widgets(video.VideoBlock, kiosk.screen)[0]
    player = block.player
    assert isinstance(player, Video) and player.source.endswith("intro.mp4")
    assert player.preview.endswith("intro-poster.jpg")
    assert block.ids.poster.opacity == 0
    kiosk.tap(block.ids.area)
    assert player.state == "play" and block.ids.area.playing
    kiosk.tap(block.ids.area)
    assert player.state == "pause"
    app.back()
    kiosk.settle()
    assert player.state == "stop"  # leaving the page stops the film


def test_page_without_pictures_uses_the_full_width(kiosk, monkeypatch):
    no_video(monkeypatch)
    app = kiosk.start(FIXTURE, size=(1920, 1080))
    app.go("exhibit/notes/plain")
    kiosk.settle()
    screen = kiosk.screen
    assert not screen.has_media and screen.video is None
    assert screen.ids.media_col.width < 5
    assert screen.ids.text_col.width > 1000
    kiosk.find_text("只有文字。")


def test_english_running_text_keeps_to_the_measure_and_chinese_fills_the_column(
        kiosk, monkeypatch, demo_content):
    """About 50 Latin letters a line on a 1080 px wide panel (the Smithsonian guidance asks
    55 or fewer); Chinese, one character an em, fills the column."""
    from kiosk.a11y.lint import wrapped_lines

    no_video(monkeypatch)
    app = kiosk.start(demo_content, size=(1080, 1920))
    app.go("exhibit/centers/training")
    kiosk.settle()
    ids = kiosk.screen.ids
    assert ids.body_card.width > ids.text_col.width - 2  # Chinese: the whole column
    kiosk.tap(app.root.ids.language)
    assert app.lang == "en"
    card, column = ids.body_card, ids.text_col
    assert card.width < column.width * 0.85
    assert abs(card.center_x - column.center_x) < 2  # the card centred in its column
    text = " ".join(kiosk.texts(kiosk.screen.body))
    inner = card.width - card.padding[0] - card.padding[2]
    lines = wrapped_lines(text, inner, app.theme.fonts.regular, app.font["body"])
    full = sorted(len(line) for line in lines[:-1])
    assert 40 <= full[len(full) // 2] <= 55


def test_landscape_puts_pictures_beside_the_body(kiosk, monkeypatch, demo_content):
    no_video(monkeypatch)
    app = kiosk.start(demo_content, size=(1920, 1080))
    app.go("exhibit/history/2015-first-center")
    kiosk.settle()
    ids = kiosk.screen.ids
    assert ids.media_col.right <= ids.text_col.x
    assert abs(ids.media_col.top - ids.text_col.top) < 2
    assert ids.more_box.parent is ids.media_col.__self__
    Window.size = (1080, 1920)
    kiosk.settle()
    assert ids.more_box.parent is ids.text_col.__self__
    assert ids.text_col.top <= ids.media_col.y + 1


def test_large_text_rebuilds_the_page_bigger(kiosk, monkeypatch, demo_content):
    no_video(monkeypatch)
    app = kiosk.start(demo_content)
    app.go("exhibit/history/2015-first-center")
    kiosk.settle()
    body_size = kiosk.screen.body.children[-1].font_size
    title_size = kiosk.screen.ids.title.font_size
    kiosk.tap(app.root.ids.large_text)
    assert app.large_text
    assert kiosk.screen.ids.title.font_size > title_size * 1.3
    assert kiosk.screen.body.children[-1].font_size > body_size * 1.3


def _title_on_picture(kiosk, path):
    """The page title as the saved picture shows it: (share of its glyph pixels drawn in
    its colour, height of one line of glyphs)."""
    from PIL import Image

    from kiosk.ui.review import collect
    from kiosk.ui.review.detectors import observe

    scene = collect([kiosk.app.root])
    with Image.open(path) as im:
        assert im.size == tuple(Window.size)
        observe(scene, im.convert("RGB"))
    title = next(t for t in scene.texts if t.wid == "title")
    solid = title.mask.point(lambda v: 255 if v >= 217 else 0)
    share = title.seen.histogram()[255] / max(1, solid.histogram()[255])
    top, bottom = title.ink[1], title.ink[3]
    return share, (bottom - top) / max(1, len(title.lines))


def test_screenshots_exhibit_and_article(kiosk, monkeypatch, demo_content, tmp_path):
    """The saved pictures show the page: its title drawn whole in its colour, bigger in 大字,
    the article's rows each with their title, in portrait and landscape."""
    from PIL import Image, ImageStat

    from kiosk.ui.screens.article import ArticleRow

    no_video(monkeypatch)
    for size, tag in (((1080, 1920), "portrait"), ((1920, 1080), "landscape")):
        app = kiosk.start(demo_content, size=size)
        line = {}
        for large in (False, True):
            app.large_text = large
            app.go("exhibit/history/2015-first-center")
            kiosk.settle()
            path = kiosk.screenshot(tmp_path / f"exhibit-{tag}{'-large' if large else ''}.png")
            share, line[large] = _title_on_picture(kiosk, path)
            assert share > 0.9, (tag, large, share)  # nothing drawn over the title
            with Image.open(path) as im:
                assert max(ImageStat.Stat(im.convert("L")).stddev) > 20  # a page, not a blank
            app.go("section/lessons")
            kiosk.settle()
            path = kiosk.screenshot(tmp_path / f"lessons-{tag}{'-large' if large else ''}.png")
            with Image.open(path) as im:
                shot = im.convert("RGB")
            card = tuple(round(c * 255) for c in app.colors["card"][:3])
            for row in kiosk.widgets(ArticleRow, kiosk.screen):
                x, y = row.to_window(row.ids.pic.right + row.spacing / 2, row.top - 4)
                if app.space["bar"] < y < size[1]:  # rows above the bar: cards beside their picture
                    assert shot.getpixel((int(x), int(size[1] - y))) == card
        assert line[True] > line[False] * 1.3, line
        release_window(app)
        kiosk.stop()


@pytest.mark.prepares_page
def test_the_first_exhibit_opened_refills_a_page_made_ready_after_start(kiosk, demo_content):
    from kiosk.ui.screens.exhibit import ExhibitScreen

    app = kiosk.start(demo_content)
    assert kiosk.route == "home"
    kiosk.advance(1.0)  # a moment after Home is shown
    ready = [app.manager.get_screen(n) for n in app.manager.screen_names if n.startswith("exhibit/")]
    assert len(ready) == 1 and isinstance(ready[0], ExhibitScreen)
    assert kiosk.route == "home"  # made unseen
    open_from_home(kiosk, "section/lessons")
    second = sorted(rows(kiosk), key=lambda r: -r.y)[1]
    kiosk.tap(second)
    assert kiosk.route == second.route
    assert kiosk.screen is ready[0]  # refilled, not built now
    exhibit = app.content.resolve(second.route)
    assert kiosk.screen.ids.title.text.replace("\n", "") == app.t(exhibit.title)
