"""Bad input, part 3: hostile and oversized text, as a visitor sees it on screen.

- Kivy markup in every text field is shown as the characters typed, never
  interpreted (no colour, size, link or font change).
- Raw HTML and ``<script>`` in Markdown are shown as text, never run and never
  turned into pictures or links.
- Very long titles and bodies open without crashing and stay on the screen.
- Folder and file names with spaces, Chinese and emoji can be visited.

The content is generated in ``tmp_path`` while the test runs.
"""

from __future__ import annotations

from pathlib import Path

from kivy.core.window import Window
from kivy.uix.image import Image
from kivy.uix.label import Label

from kiosk.ui.navigation import all_routes

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a"
       b"\xa0\x1f\x00\x00\x00\x00IEND\xaeB`\x82")

# Every markup tag Kivy knows, plus its escapes: shown literally or it is a bug.
INJ = "[color=ff0000]红[/color][size=300]大[/size][ref=x]链[/ref][font=Roboto]f[/font]&bl;[b]"
TAGS = ("[color=ff0000]", "[size=300]", "[ref=x]", "[font=Roboto]")


def q(text: str) -> str:
    """A YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_tree(root: Path) -> Path:
    files = {
        "site.yaml": f"title: {q('展厅' + INJ)}\nsubtitle: {q('副' + INJ)}\n"
                     f"languages: [zh, en]\nattract:\n  prompt: {q('请触摸' + INJ)}\n"
                     f"footer: {q('页脚' + INJ)}\n",
        "01-t/_section.yaml": f"title: {q('时间轴' + INJ)}\nsubtitle: {q(INJ)}\nlayout: timeline\n"
                              f"intro: {q('导语 ' + INJ + ' <script>alert(1)</script>')}\n",
        "01-t/e.md": f"---\ntitle: {q('展项' + INJ)}\nsummary: {q('摘要' + INJ)}\ndate: 2016\n"
                     f"images:\n  - src: p.png\n    caption: {q('图注' + INJ)}\n---\n"
                     f"# 标题 {INJ}\n\n正文 {INJ}\n\n- 列表 {INJ}\n\n> 引用 {INJ}\n\n"
                     f"| 表 | {INJ} |\n|---|---|\n| {INJ} | x |\n\n"
                     "<script>alert('x')</script>\n\n"
                     "段落里有 <b>粗</b> 和 <img src=p.png onerror=alert(1)> 标签\n\n"
                     '<iframe src="http://example.com"></iframe>\n',
        "01-t/e.en.md": f"---\ntitle: {q('Exhibit' + INJ)}\n---\nBody {INJ} <script>x</script>\n",
        "01-t/p.png": PNG,
        "02-s/_section.yaml": f"title: {q('数据' + INJ)}\nlayout: stats\n",
        "02-s/s.yaml": f"type: stats\ntitle: {q('数字' + INJ)}\nitems:\n"
                       f"  - value: 12\n    label: {q('标签' + INJ)}\n    unit: {q('个' + INJ)}\n"
                       f"    suffix: {q('+' + INJ)}\n    note: {q('说明' + INJ)}\n",
        "03-h/_section.yaml": f"title: {q('荣誉' + INJ)}\nlayout: honors\n",
        "03-h/h.yaml": f"type: honors\ntitle: {q('奖项' + INJ)}\nitems:\n"
                       f"  - title: {q('奖' + INJ)}\n    year: {q('2016' + INJ)}\n"
                       f"    issuer: {q('单位' + INJ)}\n    description: {q('描述' + INJ)}\n",
        "04-g/_section.yaml": f"title: {q('相册' + INJ)}\nlayout: gallery\n",
        "04-g/g.md": f"---\ntitle: {q('照片' + INJ)}\nimages:\n  - src: ../01-t/p.png\n"
                     f"    caption: {q('说明' + INJ)}\n---\n",
        "05-a/_section.yaml": f"title: {q('文章' + INJ)}\nlayout: article\nintro: {q(INJ)}\n",
        "05-a/a.md": f"---\ntitle: {q('文' + INJ)}\nsummary: {q(INJ)}\n---\n{INJ}\n",
        "06-c/_section.yaml": f"title: {q('网格' + INJ)}\nlayout: grid\n",
        "06-c/c.md": f"---\ntitle: {q('卡片' + INJ)}\nsummary: {q(INJ)}\nfeatured: true\n---\nx\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def markup_labels_with_raw_tags(kiosk) -> list[str]:
    """Labels that would let Kivy interpret a tag typed in the content."""
    bad = []
    for label in kiosk.widgets(Label):
        if label.markup and any(tag in label.text for tag in TAGS):
            bad.append(label.text[:80])
    return bad


def shown_literally(kiosk) -> list[str]:
    """Labels showing the typed tags as characters (plain labels, or escaped markup)."""
    out = []
    for label in kiosk.widgets(Label):
        if label.markup and "&bl;color=ff0000&br;" in label.text:
            out.append(label.text)
        elif not label.markup and "[color=ff0000]" in label.text:
            out.append(label.text)
    return out


def check_screen(kiosk, route):
    assert kiosk.route == route
    assert markup_labels_with_raw_tags(kiosk) == [], route
    assert shown_literally(kiosk), f"{route}: the typed tags are not on screen"
    for label in kiosk.widgets(Label):
        assert label.refs == {}, f"{route}: a [ref] became a link in {label.text[:60]!r}"


def test_markup_in_every_field_is_shown_as_typed_on_every_screen(kiosk, tmp_path):
    app = kiosk.start(hostile_tree(tmp_path / "c"), size=(1080, 1920))
    assert [p.format() for p in app.content.problems] == []
    routes = all_routes(app.content)
    assert len(routes) >= 12
    for route in routes:
        assert app.go(route), route
        kiosk.settle()
        check_screen(kiosk, route)
    app.set_language("en")  # the translation's title and body, and the English interface
    for route in ("home", "section/t", "exhibit/t/e"):
        assert app.go(route), route
        kiosk.settle()
        check_screen(kiosk, route)
    assert any(t.startswith("Exhibit[color=ff0000]") for t in kiosk.texts(kiosk.screen))


def test_html_and_script_in_markdown_are_shown_as_text(kiosk, tmp_path):
    app = kiosk.start(hostile_tree(tmp_path / "c"), size=(1080, 1920))
    assert app.go("exhibit/t/e")
    kiosk.settle()
    text = "\n".join(kiosk.texts(kiosk.screen))
    assert "<script>alert('x')</script>" in text
    assert "<b>粗</b>" in text
    assert "<img src=p.png onerror=alert(1)>" in text
    assert '<iframe src="http://example.com"></iframe>' in text
    # the <img> tag did not become a picture: only the exhibit's own image is shown
    sources = {Path(w.source).name for w in kiosk.widgets(Image, kiosk.screen) if w.source}
    assert sources <= {"p.png"}
    assert app.go("section/t")
    kiosk.settle()
    assert any("<script>alert(1)</script>" in t for t in kiosk.texts(kiosk.screen))


def long_tree(root: Path) -> Path:
    title = "超长标题" * 120  # 480 characters
    words = "党建引领发展，服务企业群众。" * 20
    # ~8,400 characters. (Kivy measures markup text piece by piece; kiosk.ui.textmeasure
    # remembers the pieces, and a 42,000-character body shows in about 2 s here.)
    body = "\n\n".join(f"第{i}段：{words}" for i in range(30))
    files = {
        "site.yaml": f"title: {title}\nsubtitle: {title}\n",
        "01-a/_section.yaml": f"title: {title}\nsubtitle: {title}\nlayout: grid\n",
        "01-a/long.md": f"---\ntitle: {title}\nsummary: {title}\n---\n{body}\n",
        "01-a/word.md": "---\ntitle: " + "A" * 600 + "\n---\n" + "B" * 2_000 + "\n",
        "02-t/_section.yaml": f"title: {title}\nlayout: timeline\n",
        "02-t/x.md": f"---\ntitle: {title}\ndate: 2016\nsummary: {title}\n---\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_very_long_titles_and_bodies_open_and_stay_on_screen(kiosk, tmp_path):
    app = kiosk.start(long_tree(tmp_path / "c"), size=(1080, 1920))
    assert [p.format() for p in app.content.problems] == []
    for route in all_routes(app.content):
        assert app.go(route), route
        kiosk.settle()
        assert kiosk.route == route
        # nothing wider than the window, and the bottom bar is still there to go back
        for label in kiosk.widgets(Label, kiosk.screen):
            if label.texture is not None and label.get_root_window() is not None:
                assert label.texture.width <= Window.width + 1, (route, label.text[:30])
        assert app.root.ids.back.get_root_window() is not None
    assert app.go("exhibit/a/long")
    kiosk.settle()
    shown = "".join(kiosk.texts(kiosk.screen)).replace("\n", "")
    assert "第29段" in shown  # the end of a long body is there to scroll to
    kiosk.tap(app.root.ids.home)
    assert kiosk.route == "home"


def test_names_with_spaces_chinese_and_emoji_can_be_visited(kiosk, tmp_path):
    root = tmp_path / "c"
    for rel, text in {
        "site.yaml": "title: 展厅\n",
        "02-历史 展厅 🎉/_section.yaml": "title: 历史 🎉\nlayout: grid\n",
        "02-历史 展厅 🎉/第一 展项 😀.md": "---\ntitle: 第一 😀\ncover: 照片 1 🌸.png\n---\n正文\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "02-历史 展厅 🎉/照片 1 🌸.png").write_bytes(PNG)
    app = kiosk.start(root)
    from kiosk.ui.widgets import Card

    kiosk.tap(next(c for c in kiosk.widgets(Card, kiosk.screen) if "历史" in c.title))
    assert kiosk.route == "section/历史 展厅 🎉"
    kiosk.tap(next(c for c in kiosk.widgets(Card, kiosk.screen) if "第一" in c.title))
    assert kiosk.route == "exhibit/历史 展厅 🎉/第一 展项 😀"
    assert kiosk.status()["screen"] == "exhibit/历史 展厅 🎉/第一 展项 😀"
    sources = [w.source for w in kiosk.widgets(Image, kiosk.screen) if w.source]
    assert any(s.endswith("照片 1 🌸.png") for s in sources)
    assert app.back() and kiosk.route == "section/历史 展厅 🎉"
