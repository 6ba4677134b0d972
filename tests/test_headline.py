"""Headlines and paragraphs as a reader sees them: Chinese headlines break between
words (never "红/色引擎", "陕西组织工/作", "服/务中心"), no paragraph ends on one
character, no separator dangles, and staff can force a break."""

from __future__ import annotations

import pytest

from kiosk.text.headline import headline_lines
from kiosk.text.linebreak import SEPARATORS, orphan, violations, wrap
from kiosk.text.words import segment


def cells(text: str) -> float:
    """A monospaced measure: a Chinese character is 1, anything else 0.5."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text)


def split_inside(lines: list[str], term: str) -> bool:
    joined = "".join(lines)
    return term in joined and not any(term in line for line in lines)


# (headline, the term it must keep whole): the titles the screens broke
EXAMPLES = [
    ("启示一：坚持党建引领，打造“红色引擎”", "红色引擎"),
    ("获陕西组织工作改革创新奖三等奖", "陕西"),
    ("获陕西组织工作改革创新奖三等奖", "组织工作"),
    ("2016年度“陕西组织工作改革创新奖”三等奖", "组织工作"),
    ("企业服务中心", "服务"),
    ("全省首家县级企业党群服务中心", "服务中心"),
    ("一个平台：企业党群服务中心", "服务中心"),
    ("流动党员服务中心", "服务中心"),
]


@pytest.mark.parametrize(("title", "term"), EXAMPLES)
def test_headlines_never_break_inside_a_key_term(title, term):
    # from the narrowest line that holds the term with the marks glued to it
    for tenths in range((len(term) + 2) * 10, int(cells(title) * 10) + 10):
        width = tenths / 10
        lines = headline_lines(title, width, cells)
        assert "".join(lines).replace(" ", "") == title.replace(" ", "")
        assert all(cells(line) <= width for line in lines), (width, lines)
        assert not split_inside(lines, term), (width, lines)
        assert violations(lines) == []


def test_the_plain_line_breaker_would_have_split_them():
    # the same widths, without word breaking: what visitors saw before
    assert wrap("启示一：坚持党建引领，打造“红色引擎”", 15, cells)[-1] == "色引擎”"
    assert headline_lines("启示一：坚持党建引领，打造“红色引擎”", 15, cells) == [
        "启示一：坚持党建引领，", "打造“红色引擎”"]
    assert wrap("获陕西组织工作改革创新奖三等奖", 6, cells)[0] == "获陕西组织工"
    assert headline_lines("获陕西组织工作改革创新奖三等奖", 6, cells) == [
        "获陕西", "组织工作", "改革创新奖", "三等奖"]
    assert wrap("流动党员服务中心", 5, cells) == ["流动党员服", "务中心"]
    assert headline_lines("流动党员服务中心", 5, cells) == ["流动党员", "服务中心"]


def test_a_headline_is_balanced_and_never_ends_on_one_character():
    lines = headline_lines("全省首家县级企业党群服务中心", 12, cells)
    assert lines == ["全省首家县级企业", "党群服务中心"]  # not 12 + 2
    for width in range(4, 15):
        for title in ("凤鸣镇企业党群服务中心建成。", "现场会与观摩点", "提升年：找准新课题"):
            lines = headline_lines(title, width, cells)
            assert not orphan(lines), (width, lines)


def test_a_spaced_separator_is_where_a_headline_breaks_and_never_dangles():
    title = "岐山县企业党群服务中心 · 党建展示中心"
    assert headline_lines(title, 12, cells) == ["岐山县企业党群服务中心", "党建展示中心"]
    assert headline_lines(title, 30, cells) == [title]
    for width in range(6, 20):
        for text in (title, "一个平台 · 五大中心 · N项服务"):
            for lines in (headline_lines(text, width, cells), wrap(text, width, cells)):
                for line in lines:
                    assert line.strip()[:1] not in SEPARATORS, (width, lines)
                    assert line.strip()[-1:] not in SEPARATORS, (width, lines)


def test_paragraphs_never_end_on_a_single_character():
    text = "这是一段很长的中文文字，用来测试最后一行只剩一个字的情况，看看会不会出现孤字的问题点。"
    for width in range(6, 30):
        lines = wrap(text, width, cells)
        assert "".join(lines) == text
        assert not orphan(lines), (width, lines)
        assert violations(lines) == []
        assert all(cells(line) <= width for line in lines)
    assert wrap(text, 10, cells)[-1] == "题点。"  # was "点。" alone


def test_dashes_stay_with_their_words_in_paragraphs():
    for width in range(3, 12):
        lines = wrap("重在持续——为在提升——贵在统筹", width, cells)
        assert violations(lines) == [], (width, lines)
        assert all(not line.startswith("—") and not line.endswith("—") for line in lines)


def test_staff_force_a_break_with_a_line_break_or_mark_one_with_a_zero_width_space():
    assert headline_lines("启示一：坚持党建引领，\n打造“红色引擎”", 40, cells) == [
        "启示一：坚持党建引领，", "打造“红色引擎”"]
    assert headline_lines("蔡家坡\u200b党群服务大厅建成", 40, cells) == ["蔡家坡党群服务大厅建成"]
    assert headline_lines("蔡家坡\u200b党群服务大厅建成", 9, cells) == ["蔡家坡", "党群服务大厅建成"]


def test_english_headlines_break_at_spaces_and_keep_the_text():
    title = "The province's first county-level enterprise service center"
    for width in range(12, 40):
        lines = headline_lines(title, width, cells)
        assert " ".join(lines) == title
        assert all(cells(line) <= width for line in lines)


def test_at_most_max_rows_when_the_words_allow():
    lines = headline_lines("全省首家县级企业党群服务中心", 5, cells, max_rows=3)
    assert len(lines) == 3 and "".join(lines) == "全省首家县级企业党群服务中心"


def test_the_dictionary_knows_the_exhibitions_terms():
    assert segment("获陕西组织工作改革创新奖三等奖") == [
        "获", "陕西", "组织工作", "改革创新", "奖", "三等奖"]
    assert "党群服务中心" in segment("全省首家县级企业党群服务中心")


def test_a_line_break_typed_in_a_yaml_title_reaches_the_headline(tmp_path):
    from kiosk.content import load_content

    root = tmp_path / "content"
    (root / "01-a").mkdir(parents=True)
    (root / "site.yaml").write_text("title: 展厅\n", encoding="utf-8")
    (root / "01-a" / "_section.yaml").write_text("title: 甲\nlayout: grid\n", encoding="utf-8")
    (root / "01-a" / "x.md").write_text(
        "---\ntitle: 启示一：坚持党建引领，\\n打造“红色引擎”\n---\n", encoding="utf-8")
    title = load_content(root).exhibit("a", "x").title.get("zh")
    assert title == "启示一：坚持党建引领，\n打造“红色引擎”"
    assert headline_lines(title, 40, cells) == ["启示一：坚持党建引领，", "打造“红色引擎”"]
