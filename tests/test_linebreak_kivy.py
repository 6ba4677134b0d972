"""Pre-wrapping with real widths from Kivy's text provider and the bundled font."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.text.linebreak import NO_LINE_START, violations

ROOT = Path(__file__).resolve().parent.parent
FONT = str(ROOT / "themes" / "party-red" / "fonts" / "NotoSansSC-Regular.otf")
TEXT = (
    "2015年，岐山县在全县推行“1+5+N”党群服务中心建设，把党建工作与企业服务结合起来。"
    "中心设有政务服务、法律咨询、人才招聘等窗口，The center is open every working day, "
    "并定期举办“红色讲堂”。截至目前，已服务企业2600余家，群众满意率99.5%！"
) * 3


@pytest.fixture(scope="module")
def kivy_text():
    from kivy.core.text import Label as CoreLabel

    from kiosk.text import kivy_measure

    kivy_measure.clear_cache()
    return CoreLabel, kivy_measure


@pytest.mark.parametrize("width", [300, 517, 800, 1000])
def test_prewrapped_lines_fit_when_kivy_lays_them_out(kivy_text, width):
    core_label, km = kivy_text
    out = km.prewrap(TEXT, width, FONT, 32)
    lines = out.split("\n")
    assert len(lines) > 1
    label = core_label(font_name=FONT, font_size=32)
    for line in lines:
        assert label.get_extents(line)[0] <= width, line
    assert violations(lines) == []
    assert not any(line[0] in NO_LINE_START for line in lines[1:])
    assert out.replace("\n", "").replace(" ", "") == TEXT.replace(" ", "")


def test_lines_are_filled_not_just_short(kivy_text):
    core_label, km = kivy_text
    lines = km.wrap_lines(TEXT, 800, FONT, 32)
    label = core_label(font_name=FONT, font_size=32)
    # every line but the last is at least as wide as the line minus two characters
    for line in lines[:-1]:
        assert label.get_extents(line)[0] > 800 - 3 * 32, line


def test_measure_is_cached_per_font_and_size(kivy_text):
    _, km = kivy_text
    a = km.measure_for(FONT, 32)
    assert km.measure_for(FONT, 32) is a
    assert km.measure_for(FONT, 40) is not a
    assert a("中") == 32.0  # CJK glyphs are one em wide
    assert km.measure_for(FONT, 40)("中文") == 80.0


def test_prewrap_of_empty_text(kivy_text):
    _, km = kivy_text
    assert km.prewrap("", 500, FONT, 32) == ""
