"""Markdown -> Kivy widgets, rendered offscreen."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before Kivy is imported anywhere in this process.
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "MIXED")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kiosk-md-kivy-"))

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
THEME_DIR = ROOT / "themes" / "party-red"

ARTICLE = """\
# 岐山县“1+5+N”党群服务中心 [color=ff0000]

中心于 **2015 年 7 月**正式启用，是全县非公企业和社会组织党建工作的*综合服务平台*。
这里集学习教育、活动组织、党员服务、人才培养于一体，面向全县 300 余家企业提供“一站式”服务。
The center serves **over 300** enterprises with `one-stop` services.

## 发展历程 History

1. 2015 年：中心挂牌成立，首批入驻企业 **56** 家。
2. 2018 年：建成“党员之家”和“职工书屋”，开展培训 120 余场次，参训人员达三千余人次。
3. 2021 年：获评市级示范党群服务中心。

- 学习教育 Learning
- 志愿服务 Volunteering
  - 夜间课堂

> 把党的组织建到企业里，把党的工作做到职工心坎上。

![中心外景 Center exterior](front.png)

![缺失的图片 Missing photo](missing.jpg)

| 年份 Year | 入驻企业 | 说明 |
|:--|--:|:--|
| 2015 | 56 | 挂牌成立，首批企业入驻 |
| 2018 | 180 | 建成“党员之家”和“职工书屋”，服务范围扩大到全县各镇 |

---

### 备注 Notes

First line\\
second line, see [the website](http://example.com).

    code [b]stays[/b] plain
"""


@pytest.fixture(scope="module")
def window():
    """The process's one Kivy window (created on first use, never closed)."""
    from kivy.core.window import Window

    return Window


@pytest.fixture(scope="module")
def fonts(window):
    """(regular, bold) Chinese-capable font files, from the theme."""
    regular = THEME_DIR / "fonts" / "NotoSansSC-Regular.otf"
    bold = THEME_DIR / "fonts" / "NotoSansSC-Bold.otf"
    try:
        from kiosk.theme import load_theme

        theme, _problems = load_theme(THEME_DIR)
        if not theme.fonts.is_fallback:
            regular, bold = Path(theme.fonts.regular), Path(theme.fonts.bold)
    except ImportError:
        pass
    if not regular.is_file() or not bold.is_file():
        pytest.skip(f"no Chinese font at {regular.parent}")
    return str(regular), str(bold)


@pytest.fixture
def picture(tmp_path):
    from PIL import Image

    path = tmp_path / "front.png"
    image = Image.new("RGB", (800, 450), (176, 32, 32))
    for x in range(0, 800, 40):  # a few stripes so the picture has detail
        image.paste((240, 200, 110), (x, 0, x + 12, 450))
    image.save(path)
    return path


def frames(n: int = 6) -> None:
    from kivy.base import EventLoop

    for _ in range(n):
        EventLoop.idle()


def walk(widget):
    yield widget
    for child in reversed(widget.children):
        yield from walk(child)


def labels(widget):
    from kivy.uix.label import Label

    return [w for w in walk(widget) if isinstance(w, Label)]


def label_with(widget, fragment: str):
    found = [w for w in labels(widget) if fragment in w.plain_text]
    assert found, f"no label showing {fragment!r}"
    return found[0]


def build(text, style=None, resolve=None, width=1000):
    from kiosk.ui.markdown import MarkdownStyle, build_markdown

    doc = build_markdown(text, style or MarkdownStyle(), resolve, width_hint=width)
    doc.size_hint_x = None
    doc.width = width
    frames()
    return doc


def test_tree_has_labels_images_and_table(window, fonts, picture):
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.image import Image

    from kiosk.ui.markdown import MarkdownStyle
    from kiosk.ui.markdown.widgets import MdFigure, MdPlaceholder, MdQuote

    style = MarkdownStyle(font_regular=fonts[0], font_bold=fonts[1])
    doc = build(ARTICLE, style, lambda src: str(picture) if src == "front.png" else None)

    shown = [w.plain_text for w in labels(doc)]
    assert shown[0] == "岐山县“1+5+N”党群服务中心 [color=ff0000]"
    assert "发展历程 History" in shown
    assert ["1.", "2.", "3."] == [t for t in shown if t in ("1.", "2.", "3.")]
    assert shown.count("•") == 2 and "–" in shown  # nested list uses another bullet
    assert "First line\nsecond line, see the website." in shown  # link shown as text
    assert "code [b]stays[/b] plain" in shown

    heading = label_with(doc, "岐山县")
    assert heading.markup and heading.font_name == fonts[1]
    assert "&bl;color=ff0000&br;" in heading.text and "[color=ff0000]" not in heading.text

    para = label_with(doc, "正式启用")
    assert f"[font={fonts[1]}]2015 年 7 月[/font]" in para.text.replace("\n", "")
    assert para.font_name == fonts[0]
    # soft line breaks inside Chinese add no space
    assert "综合服务平台。这里集" in para.plain_text

    code = label_with(doc, "stays")
    assert code.markup is False and code.text == "code [b]stays[/b] plain"

    quote = [w for w in walk(doc) if isinstance(w, MdQuote)]
    assert len(quote) == 1 and "职工心坎上" in labels(quote[0])[0].plain_text

    figures = [w for w in walk(doc) if isinstance(w, MdFigure)]
    assert [f.src for f in figures] == ["front.png", "missing.jpg"]
    images = [w for w in walk(figures[0]) if isinstance(w, Image)]
    assert len(images) == 1 and images[0].texture is not None
    assert images[0].texture.size == [800, 450] or tuple(images[0].texture.size) == (800, 450)
    # the picture keeps its ratio across the column width
    assert images[0].width == pytest.approx(1000)
    assert images[0].height == pytest.approx(1000 * 450 / 800, abs=1)
    assert labels(figures[0])[0].plain_text == "中心外景 Center exterior"

    assert figures[1].missing
    assert any(isinstance(w, MdPlaceholder) for w in walk(figures[1]))
    assert not any(isinstance(w, Image) for w in walk(figures[1]))
    assert labels(figures[1])[0].plain_text == "缺失的图片 Missing photo"

    (grid,) = [w for w in walk(doc) if isinstance(w, GridLayout)]
    assert grid.cols == 3
    cells = [w.plain_text for w in reversed(grid.children)]
    assert cells[:3] == ["年份 Year", "入驻企业", "说明"]
    assert cells[3:6] == ["2015", "56", "挂牌成立，首批企业入驻"]
    head = list(reversed(grid.children))[0]
    assert head.font_name == fonts[1]  # header row is bold
    assert list(reversed(grid.children))[4].halign == "right"
    # the wrapped cell made its whole row taller, and every cell in the row matches
    row = list(reversed(grid.children))[6:9]
    assert len({round(c.height) for c in row}) == 1
    assert row[2].texture_size[1] > list(reversed(grid.children))[3].texture_size[1]

    assert doc.height == pytest.approx(
        sum(c.height for c in doc.children) + doc.spacing * (len(doc.children) - 1)
    )


def test_content_markup_is_shown_literally(window):
    doc = build("Title [color=ff0000]red[/color] and [b]bold[/b] & more **real**")
    (label,) = labels(doc)
    assert label.plain_text == "Title [color=ff0000]red[/color] and [b]bold[/b] & more real"
    assert "&bl;color=ff0000&br;red&bl;/color&br;" in label.text
    assert "&bl;b&br;bold&bl;/b&br;" in label.text
    assert "&amp;" in label.text
    # Kivy drew the brackets as text: the texture is as wide as the literal words
    from kivy.core.text import Label as CoreLabel

    plain = CoreLabel(text="Title [color=ff0000]red[/color]", font_size=label.font_size)
    plain.refresh()
    assert label.texture_size[0] > plain.texture.size[0]


def test_emphasis_is_visible_without_an_italic_font(window):
    from kiosk.ui.markdown import MarkdownStyle

    doc = build("重点*强调*内容", MarkdownStyle(emphasis_color=(1, 0, 0, 1)))
    (label,) = labels(doc)
    assert "[color=#ff0000ff][i]强调[/i][/color]" in label.text.replace("\n", "")
    doc = build("重点*强调*内容", MarkdownStyle(emphasis_color=None))
    assert "[i]强调[/i]" in labels(doc)[0].text and "[color" not in labels(doc)[0].text


def test_missing_or_failing_image_gives_a_placeholder(window, tmp_path):
    from kiosk.ui.markdown.widgets import MdFigure, MdPlaceholder

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a picture")

    def resolve(src):
        if src == "boom.jpg":
            raise OSError("disk gone")
        return {"none.jpg": None, "broken.jpg": str(broken), "gone.jpg": str(tmp_path / "x.jpg")}[
            src
        ]

    doc = build(
        "![甲](none.jpg)\n\n![乙](broken.jpg)\n\n![](gone.jpg)\n\n![丁](boom.jpg)", resolve=resolve
    )
    figures = [w for w in walk(doc) if isinstance(w, MdFigure)]
    assert len(figures) == 4
    for figure in figures:
        assert figure.missing
        (box,) = [w for w in walk(figure) if isinstance(w, MdPlaceholder)]
        assert box.height > 0
    assert [[w.plain_text for w in labels(f)] for f in figures] == [["甲"], ["乙"], [], ["丁"]]
    # no resolver at all: also placeholders
    doc = build("![无](a.jpg)")
    assert [w for w in walk(doc) if isinstance(w, MdFigure)][0].missing


def test_text_scale_enlarges_every_text(window):
    from kiosk.ui.markdown import MarkdownStyle

    text = "# 标题\n\n正文\n\n| a |\n|---|\n| b |\n\n- 项"
    normal = build(text, MarkdownStyle())
    large = build(text, MarkdownStyle(text_scale=1.4))
    pairs = list(zip(labels(normal), labels(large), strict=True))
    assert len(pairs) == 6
    for small, big in pairs:
        assert big.font_size == pytest.approx(small.font_size * 1.4)
    assert large.height > normal.height


def test_long_chinese_paragraph_is_prewrapped_by_the_rules(window, fonts):
    from kiosk.ui.markdown import MarkdownStyle
    from kiosk.ui.markdown.prewrap import available

    if not available():
        pytest.skip("kiosk.text line breaker not available")
    text = "党建引领，服务企业。" * 40
    doc = build(text, MarkdownStyle(font_regular=fonts[0], font_bold=fonts[1]), width=600)
    (label,) = labels(doc)
    assert label.prewrapped
    lines = label.text.split("\n")
    assert len(lines) > 5
    assert all(line and line[0] not in "，。" for line in lines)  # no line starts with punctuation
    assert "".join(lines) == text
    # re-wrapped when the width changes
    label.width = 300
    assert len(label.text.split("\n")) > len(lines)


def test_rendered_article_is_not_blank(window, fonts, picture, tmp_path):
    from kivy.graphics import Color, Rectangle
    from kivy.uix.floatlayout import FloatLayout
    from PIL import Image, ImageStat

    from kiosk.ui.markdown import MarkdownStyle

    style = MarkdownStyle(font_regular=fonts[0], font_bold=fonts[1])
    try:
        from kiosk.theme import load_theme
        from kiosk.ui.markdown.style import style_from_theme

        theme, _problems = load_theme(THEME_DIR)
        style = style_from_theme(theme, 1080, 1920)
    except ImportError:
        pass
    doc = build(ARTICLE, style, lambda src: str(picture) if src == "front.png" else None)
    page = FloatLayout(size_hint=(None, None), size=(1080, doc.height + 80))
    with page.canvas.before:
        Color(1, 0.98, 0.94, 1)
        Rectangle(pos=(0, 0), size=page.size)
    page.add_widget(doc)
    doc.pos = (40, 40)
    frames(3)
    out = tmp_path / "article.png"
    page.export_to_png(str(out))
    if os.environ.get("KIOSK_KEEP_RENDER"):
        Path(os.environ["KIOSK_KEEP_RENDER"]).write_bytes(out.read_bytes())

    image = Image.open(out).convert("L")
    assert image.size == (1080, int(page.height))
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 20  # text, picture and table on a plain page
    # text in the top band (the heading) and below the middle (the table)
    top = image.crop((0, 0, 1080, 200))
    assert ImageStat.Stat(top).stddev[0] > 10
    dark = sum(image.histogram()[:100])
    assert dark > 5000


def test_a_narrow_table_breaks_no_word_inside(window, fonts):
    """A column's longest word keeps the column at least that wide: the wider columns give
    up the room, and when the longest words cannot stand side by side the table's text gets
    smaller (as on a portrait screen in 大字)."""
    from kiosk.text.kivy_measure import measure_for
    from kiosk.ui.markdown import MarkdownStyle

    text = ("| | State-owned firms | Private firms |\n| --- | --- | --- |\n"
            "| Size | larger | smaller |\n| Resilience to risk | stronger | weaker |\n"
            "| Workforce | fairly stable | young, mobile, active |\n")
    doc = build(text, MarkdownStyle(font_regular=fonts[0], font_bold=fonts[1], text_scale=1.4),
                width=600)
    frames()
    cell = label_with(doc, "State-owned")
    size = cell.font_size
    for width in (700, 600, 460):
        doc.width = width
        frames()
        measure = measure_for(cell.font_name, cell.font_size, True)
        assert cell.width - cell.padding[0] - cell.padding[2] >= measure("State-owned")
        assert "State-owned" in cell.text.split("\n")[0]
    assert 0.6 * size <= cell.font_size < size  # smaller at 460


def test_only_text_with_a_background_draws_one(window):
    from kivy.graphics import Rectangle

    from kiosk.ui.markdown import MarkdownStyle

    doc = build("正文一段。\n\n```\ncode\n```\n", MarkdownStyle(code_bg=(0.9, 0.9, 0.9, 1)))
    paragraph = label_with(doc, "正文")
    code = label_with(doc, "code")

    def background(label):
        return next(i for i in label.canvas.before.children if isinstance(i, Rectangle))

    # a see-through rectangle over every paragraph would still cost a software renderer
    # its whole area, pixel by pixel
    assert tuple(background(paragraph).size) == (0, 0)
    assert tuple(background(code).size) == tuple(code.size) and code.height > 0
