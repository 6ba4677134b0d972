"""Titles and paragraphs on the real screens, in the theme's real font: Chinese headlines
break between words, no line of a headline or paragraph is a lone last character, and no
separator starts or ends a line — in normal and large text, portrait and landscape."""

from __future__ import annotations

import pytest

from kiosk.text.linebreak import SEPARATORS, orphan, violations

ROUTES = ["home", "section/lessons", "section/history", "section/centers",
          "exhibit/lessons/red-engine", "exhibit/history/2017-02-reform-award",
          "exhibit/history/2015-first-center", "exhibit/centers/enterprise-service",
          "section/party-history"]
TERMS = ["红色引擎", "红色阵地", "红色动力", "红色力量", "组织工作", "服务中心", "改革创新", "党建展示中心"]


def source(h) -> str:
    """What a title or text block was given, before it was broken into lines."""
    return h.raw


def headlines(kiosk):
    from kiosk.ui.widgets.common import TextBlock

    found = kiosk.widgets(TextBlock, kiosk.screen) + kiosk.widgets(TextBlock)
    return [h for h in dict.fromkeys(found)
            if source(h) and h.text and h.width > h.font_size * 2
            and len(source(h)) <= 160]  # (longer text blocks wrap by the punctuation rules)


def paragraphs(kiosk):
    from kiosk.ui.markdown.widgets import MdText

    return [p for p in kiosk.widgets(MdText, kiosk.screen) if p.prewrapped and p.text]


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_chinese_titles_keep_words_whole_in_every_text_size(kiosk, demo_content, size):
    app = kiosk.start(demo_content, size=size)
    seen_terms = 0
    for large in (False, True):
        app.large_text = large
        for route in ROUTES:
            assert app.go(route)
            kiosk.settle()
            found = headlines(kiosk)
            assert found, route
            for h in found:
                lines = h.text.split("\n")
                where = (route, large, lines)
                assert violations(lines) == [], where
                assert not orphan(lines), where
                for line in lines:
                    assert line.strip()[:1] not in SEPARATORS, where
                for term in TERMS:
                    if term in source(h) and "…" not in h.text:
                        seen_terms += 1
                        assert any(term in line for line in lines), (term, where)
            for p in paragraphs(kiosk):
                lines = p.text.replace("[b]", "").replace("[/b]", "").split("\n")
                assert not orphan(lines), (route, large, lines)
                assert violations(lines) == [], (route, large, lines)
    assert seen_terms > 20


def test_a_two_line_home_title_breaks_at_its_separator(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    kiosk.settle()
    title = kiosk.find_text(app.t(app.content.site.title))
    assert title.text == "岐山县企业党群服务中心\n党建展示中心"
