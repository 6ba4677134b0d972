"""Themes: loading, validation messages, relative sizes, the bundled Chinese font."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.theme import (
    CONTRAST_PAIRS,
    contrast,
    find_theme,
    list_themes,
    load_theme,
    parse_colour,
)

ROOT = Path(__file__).resolve().parent.parent
THEMES = ROOT / "themes"


def gb2312() -> set[str]:
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def make_theme(tmp_path: Path, text: str, name: str = "broken") -> Path:
    folder = tmp_path / "themes" / name
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["party-red", "light"])
def test_shipped_themes_load_without_problems(name):
    folder = find_theme(name, THEMES)
    assert folder is not None
    theme, problems = load_theme(folder)
    assert [p.format() for p in problems] == []
    assert theme.id == name
    assert Path(theme.fonts.regular).name == "NotoSansSC-Regular.otf"
    assert Path(theme.fonts.bold).name == "NotoSansSC-Bold.otf"
    assert all(Path(f).is_file() for f in theme.files)
    assert theme.transition.kind in ("slide", "fade", "none")


def test_party_red_is_red_and_gold_with_a_background_picture():
    theme, _ = load_theme(THEMES / "party-red")
    r, g, b, _a = theme.colours.background
    assert r > 0.4 and g < 0.15 and b < 0.15
    r, g, b, _a = theme.colours.accent
    assert r > 0.8 and g > 0.6 and b < 0.5
    assert theme.background is not None and theme.background.name == "background.jpg"
    assert theme.background in theme.files
    from PIL import Image

    with Image.open(theme.background) as im:
        assert im.size == (1080, 1920)
    assert theme.background.stat().st_size < 400_000


def test_light_theme_meets_wcag_aa():
    theme, _ = load_theme(THEMES / "light")
    for fg, bg, _minimum in CONTRAST_PAIRS:
        assert contrast(theme.colour(fg), theme.colour(bg)) >= 4.5, (fg, bg)
    assert contrast(theme.colours.text, theme.colours.background) >= 7


def test_list_and_find_themes(tmp_path):
    assert {"party-red", "light"} <= set(list_themes(THEMES))
    assert find_theme("no-such-theme", THEMES) is None
    assert find_theme(str(THEMES / "light"), tmp_path) == THEMES / "light"


BROKEN = """\
name: Broken
colurs:
  text: "#000000"
colours:
  primery: "#ff0000"
  text: red
  accent: "#e8c26a80"
fonts:
  regular: fonts/missing.otf
sizes:
  body: 26
  touch_min: 0.03
transition:
  type: zoom
  duration: 0.2
"""


def test_broken_theme_gives_exact_messages_and_still_works(tmp_path):
    theme, problems = load_theme(make_theme(tmp_path, BROKEN))
    got = [(p.line, p.severity, p.message) for p in problems]
    assert got == [
        (2, "warning", "unknown key 'colurs' — did you mean 'colours'?"),
        (5, "warning", "unknown key 'primery' in colours — did you mean 'primary'?"),
        (6, "error", "colour 'text' must look like #rrggbb or #rrggbbaa, not 'red'"),
        (7, "warning", "'accent' on 'background' is hard to read: contrast 2.6:1, "
                       "at least 3:1 is needed"),
        (9, "error", "font file not found: fonts/missing.otf; using Roboto, Chinese will not show"),
        (11, "error", "size 'body' must be a number above 0 and at most 1 (a fraction of "
                      "the screen's short side), not '26'"),
        (12, "warning", "touch_min 0.03 gives 32 px on a 1080 px screen; touch targets "
                        "should be at least 70 px (about 0.065)"),
        (14, "error", "transition type must be one of slide, fade, none, not 'zoom'"),
    ]
    assert all(p.path == "themes/broken/theme.yaml" for p in problems)
    assert problems[2].message_zh == "颜色 'text' 应写成 #rrggbb 或 #rrggbbaa，而不是 'red'"
    assert problems[2].format(lang="zh").startswith("themes/broken/theme.yaml:6: error: 颜色")
    # still usable: defaults where values were wrong
    assert theme.colours.text == parse_colour("#fff6e5")
    assert theme.colours.accent == pytest.approx((232 / 255, 194 / 255, 106 / 255, 128 / 255))
    assert Path(theme.fonts.regular).name == "Roboto-Regular.ttf"
    assert Path(theme.fonts.regular).is_file()
    assert theme.fonts.is_fallback
    assert theme.transition.kind == "slide" and theme.transition.duration == 0.2
    assert theme.size("body") == 0.024
    assert theme.name == "Broken"


def test_missing_and_unreadable_theme_files(tmp_path):
    empty = tmp_path / "themes" / "empty"
    empty.mkdir(parents=True)
    theme, problems = load_theme(empty)
    assert len(problems) == 1 and problems[0].is_error
    assert problems[0].message.startswith("theme file not found")
    assert theme.fonts.is_fallback and theme.id == "empty"

    theme, problems = load_theme(make_theme(tmp_path, "colours:\n  text: [unclosed\n", "bad"))
    assert len(problems) >= 1 and problems[0].is_error and problems[0].line is not None
    assert theme.colours.text == parse_colour("#fff6e5")


def test_low_contrast_is_warned(tmp_path):
    text = "colours:\n  background: \"#ffffff\"\n  text: \"#dddddd\"\n"
    _theme, problems = load_theme(make_theme(tmp_path, text, "pale"))
    low = [p for p in problems if p.key == "colours.text"]
    assert low and low[0].severity == "warning" and low[0].line == 3
    assert low[0].message.startswith("'text' on 'background' is hard to read: contrast 1.4:1")


def test_light_theme_uses_party_red_fonts_by_relative_path():
    theme, _ = load_theme(THEMES / "light")
    assert Path(theme.fonts.regular) == (THEMES / "party-red/fonts/NotoSansSC-Regular.otf").resolve()


def test_sizes_scale_with_the_short_side_in_both_orientations():
    theme, _ = load_theme(THEMES / "party-red")
    portrait = theme.px("body", 1080, 1920)
    landscape = theme.px("body", 1920, 1080)
    assert portrait == landscape == pytest.approx(theme.size("body") * 1080)
    assert theme.px("body", 2160, 3840) == pytest.approx(2 * portrait)
    assert theme.px("title", 1080, 1920) > theme.px("heading", 1080, 1920) > portrait
    assert theme.px("body", 1080, 1920) > theme.px("caption", 1080, 1920)
    for name in ("party-red", "light"):
        t, _ = load_theme(THEMES / name)
        assert t.px("touch_min", 1080, 1920) >= 70
        assert t.px("touch_min", 1920, 1080) >= 70
    with pytest.raises(KeyError):
        theme.px("no_such_size", 1080, 1920)
    assert theme.spaces["touch"] == theme.size("touch_min")
    assert set(theme.font_sizes) >= {"title", "heading", "body", "caption"}


def test_colour_parsing():
    assert parse_colour("#ff0000") == (1.0, 0.0, 0.0, 1.0)
    assert parse_colour("#00000080") == pytest.approx((0, 0, 0, 128 / 255))
    assert parse_colour("red") is None
    assert parse_colour("#fff") is None
    assert contrast(parse_colour("#000000"), parse_colour("#ffffff")) == pytest.approx(21)


def test_bundled_font_draws_every_gb2312_character():
    theme, _ = load_theme(THEMES / "party-red")
    chars = theme.font_chars()
    missing = gb2312() - chars
    assert not missing, "".join(sorted(missing))[:50]
    assert set("，。、；：？！“”（）《》…—·•★●→") <= chars
    assert set("喆堃镕") <= chars  # name characters outside GB2312
    assert theme.font_chars() is chars  # cached
    assert theme.missing_chars("党建引领 abc 𠀀") == "𠀀"


def test_bundled_fonts_are_small_enough():
    fonts = THEMES / "party-red" / "fonts"
    for name in ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"):
        assert (fonts / name).stat().st_size < 2_500_000
    licence = (fonts / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence


def test_bundled_font_renders_chinese_offscreen():
    from kivy.core.text import Label as CoreLabel
    from kivy.core.window import Window  # textures need the (offscreen) GL window

    assert Window is not None
    theme, _ = load_theme(THEMES / "party-red")

    def ink(text: str, font: str) -> tuple[tuple[int, int], bytes]:
        label = CoreLabel(text=text, font_name=font, font_size=48)
        label.refresh()
        texture = label.texture
        return texture.size, bytes(texture.pixels)

    size, pixels = ink("党建引领", theme.fonts.regular)
    assert size[0] >= 4 * 48
    alpha = pixels[3::4]
    assert sum(1 for a in alpha if a > 128) > 500  # strokes were drawn
    _, other = ink("服务中心", theme.fonts.regular)
    assert other != pixels  # different characters, different glyphs
    _, bold = ink("党建引领", theme.fonts.bold)
    assert sum(1 for a in bold[3::4] if a > 128) > sum(1 for a in alpha if a > 128)
