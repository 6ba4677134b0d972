"""Visitors in every combination: portrait and landscape, Chinese and English, 大字, each theme.

Each test checks a fact of the layout a visitor would see broken: text cut without an
ellipsis, text outside its box, a tile stretched far beyond its content, a navigation bar
that does not fit, a title left in the other language, a press highlight left behind.
"""

from __future__ import annotations

DEMO_SIZES = [(1080, 1920), (1920, 1080)]


def test_the_bar_title_follows_a_language_switch_on_an_exhibit(kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    app.go("exhibit/history/2015-first-center")
    kiosk.settle()
    heading = app.root.ids.heading
    assert heading.text == "发展历程"
    kiosk.tap(app.root.ids.language)
    assert app.lang == "en"
    assert heading.text == "History"
    kiosk.tap(app.root.ids.language)
    assert heading.text == "发展历程"
