"""Long pages of Chinese text: each piece of text is measured once per font, not per use."""

from __future__ import annotations

from kivy.core.text import Label as CoreLabel

from kiosk.ui import textmeasure


def test_remembered_sizes_are_the_fonts_own_for_each_font_size_and_style(kiosk, demo_content):
    kiosk.start(demo_content)  # the app installs it, with the theme's fonts registered
    from kiosk.ui.style import FONT_NAME

    assert CoreLabel.get_extents is textmeasure._remembered
    for size, bold in ((20, False), (20, True), (44, False)):
        label = CoreLabel(font_name=FONT_NAME, font_size=size, bold=bold)
        label.resolve_font_name()
        for text in ("党建引领", "党建引领", "Qishan 1+5+N", "", "，"):
            assert label.get_extents(text) == textmeasure._measure(label, text), (size, bold, text)
    small = CoreLabel(font_name=FONT_NAME, font_size=20)
    big = CoreLabel(font_name=FONT_NAME, font_size=44)
    small.resolve_font_name()
    big.resolve_font_name()
    assert big.get_extents("党建")[0] > small.get_extents("党建")[0]  # never another font's size


def test_a_long_chinese_article_asks_the_font_once_per_piece(kiosk, tmp_path, monkeypatch):
    words = "党建引领发展，服务企业群众。" * 20
    body = "\n\n".join(f"第{i}段：**重点**{words}" for i in range(30))  # 8,800 characters
    (tmp_path / "c" / "01-a").mkdir(parents=True)
    (tmp_path / "c" / "site.yaml").write_text("title: 测试\n", encoding="utf-8")
    (tmp_path / "c" / "01-a" / "_section.yaml").write_text("title: 栏目\nlayout: grid\n",
                                                            encoding="utf-8")
    (tmp_path / "c" / "01-a" / "long.md").write_text(f"---\ntitle: 长文\n---\n{body}\n",
                                                     encoding="utf-8")
    app = kiosk.start(tmp_path / "c", size=(1080, 1920))
    asked = []
    measure = textmeasure._measure
    monkeypatch.setattr(textmeasure, "_measure", lambda label, text: asked.append(text) or
                        measure(label, text))
    used = []
    remembered = textmeasure._remembered
    monkeypatch.setattr(CoreLabel, "get_extents",
                        lambda label, text: used.append(text) or remembered(label, text))
    assert app.go("exhibit/a/long")
    kiosk.settle()
    shown = "".join(kiosk.texts(kiosk.screen)).replace("\n", "")
    assert "第29段" in shown and shown.count("党建引领发展") >= 600
    assert len(used) > 10_000  # Kivy lays markup out piece by piece ...
    assert len(asked) < len(used) / 20  # ... and the font is asked once for each different piece


def test_a_theme_font_reload_changes_the_measured_widths(kiosk, tmp_path):
    import shutil

    from conftest import FIXTURES, ROOT

    from kiosk.text import kivy_measure
    from kiosk.ui.reload import Reloader
    from kiosk.ui.style import FONT_NAME

    theme = shutil.copytree(ROOT / "themes" / "party-red", tmp_path / "theme")
    app = kiosk.start(shutil.copytree(FIXTURES / "ui-basic", tmp_path / "content"),
                      theme=str(theme))
    text = "Qishan 党建引领 1+5+N"

    def widths():
        label = CoreLabel(font_name=FONT_NAME, font_size=40)
        label.resolve_font_name()
        wrap = kivy_measure.measure_for(FONT_NAME, 40)
        return label.get_extents(text)[0], sum(wrap(ch) for ch in text)

    def direct(font_file):
        label = CoreLabel(font_name=font_file, font_size=40)
        label.resolve_font_name()
        return textmeasure._measure(label, text)[0]

    regular, bold = theme / "fonts" / "NotoSansSC-Regular.otf", theme / "fonts" / "NotoSansSC-Bold.otf"
    before = widths()
    assert before[0] == direct(str(regular))
    yaml = (theme / "theme.yaml").read_text(encoding="utf-8")
    (theme / "theme.yaml").write_text(
        yaml.replace("regular: fonts/NotoSansSC-Regular.otf", "regular: fonts/NotoSansSC-Bold.otf"),
        encoding="utf-8")
    Reloader(app, "off").reload_now()  # as the watcher does when theme.yaml changes
    assert app.theme.fonts.regular == str(bold.resolve())
    after = widths()
    assert after[0] == direct(str(bold)) != before[0]  # the new font's widths, not remembered ones
    assert after[1] != before[1]  # pre-wrapping too
    assert abs(after[1] - after[0]) < 0.05 * after[0]
