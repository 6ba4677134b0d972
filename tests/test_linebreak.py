"""Chinese line breaking: punctuation rules, whole Latin words, widths."""

from __future__ import annotations

import pytest

from kiosk.text.linebreak import NO_LINE_END, NO_LINE_START, CharWidths, violations, wrap


def mono(text: str) -> float:
    """A fake font: Chinese characters 20 px wide, everything else 10 px."""
    return float(sum(20 if ord(ch) >= 0x2E80 else 10 for ch in text))


ARTICLE = (
    "岐山县“1+5+N”党群服务中心于2015年建成，服务企业2600余家（含个体工商户）。"
    "中心坚持“党建引领、服务发展”，设立了《企业服务指南》、【政策速递】等栏目；"
    "工作人员说：“我们一定把服务做实！”……截至目前，满意率达99.5%。"
    "The center serves members and enterprises alike, every working day. "
    "「红色驿站」『先锋』〔试点〕〈简介〉——这些都是常见的标点。"
)


@pytest.mark.parametrize("width", range(80, 420, 10))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width):
    lines = wrap(ARTICLE, width, mono)
    assert violations(lines) == []
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START or len(line) == 1
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END


@pytest.mark.parametrize("width", range(60, 420, 10))
def test_lines_fit_and_nothing_is_lost(width):
    lines = wrap(ARTICLE, width, mono)
    for line in lines:
        assert mono(line) <= width, line
        assert not line.startswith(" ")
    assert "".join(lines).replace(" ", "") == ARTICLE.replace(" ", "")


def test_full_stop_takes_the_character_before_it_to_the_next_line():
    # four characters fit; "四。" would put 。 first on the second line
    assert wrap("一二三四。五六", 80, mono) == ["一二三", "四。五六"]


def test_opening_quote_moves_down_with_what_it_opens():
    assert wrap("一二三“四五”", 80, mono) == ["一二三", "“四五”"]


def test_closing_punctuation_chain_stays_together():
    # 。” both closing: "五。”" moves as one piece
    assert wrap("一二三四五。”六", 100, mono) == ["一二三四", "五。”六"]


def test_latin_words_are_never_split():
    text = "我们在 exhibition hall 参观了 Qishan county 的党群服务中心 yesterday。"
    for width in range(100, 400, 7):
        lines = wrap(text, width, mono)
        words = " ".join(lines).split()
        for word in ("exhibition", "hall", "Qishan", "county"):
            assert any(word in w for w in words), (width, lines)
        assert not any(line.endswith(("exhi", "Qis")) for line in lines)


def test_numbers_with_percent_stay_whole():
    lines = wrap("满意率达到了99.5%以上", 120, mono)
    assert any("99.5%" in line for line in lines), lines


def test_a_word_longer_than_the_line_is_split_between_letters():
    lines = wrap("Supercalifragilistic", 60, mono)
    assert lines == ["Superc", "alifra", "gilist", "ic"]


def test_spaces_at_breaks_are_dropped_and_english_wraps_at_spaces():
    assert wrap("one two three four", 90, mono) == ["one two", "three", "four"]


def test_explicit_newlines_and_empty_paragraphs_are_kept():
    assert wrap("第一段\n\n第二段", 200, mono) == ["第一段", "", "第二段"]
    assert wrap("", 200, mono) == [""]


def test_ideographic_indent_is_kept_on_the_first_line_only():
    lines = wrap("\u3000\u3000一二三四五六七八", 100, mono)
    assert lines[0].startswith("\u3000\u3000")
    assert not any(line.startswith("\u3000") for line in lines[1:])


def test_zero_width_leaves_text_unwrapped():
    assert wrap("一二三四五", 0, mono) == ["一二三四五"]


def test_char_widths_measures_each_character_once():
    calls: list[str] = []

    def counting(text: str) -> float:
        calls.append(text)
        return mono(text)

    widths = CharWidths(counting)
    wrap("党建引领党建引领党建引领", 60, widths)
    wrap("党建引领服务", 60, widths)
    assert sorted(calls) == sorted(set("党建引领服务 "))
    assert widths("党建 a") == 20 + 20 + 10 + 10


def test_violations_reports_bad_lines():
    assert violations(["一二三", "。四五"]) == [(1, "starts with '。'")]
    assert violations(["一二“", "三四"]) == [(0, "ends with '“'")]
