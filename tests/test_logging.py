"""The kiosk's log says what happened to the kiosk: libraries' step-by-step lines stay out."""

import logging

from markdown_it import MarkdownIt

from kiosk.ui.boot import quiet_libraries


def test_markdown_parsing_leaves_no_debug_lines_in_the_log(caplog):
    root = logging.getLogger()
    old = root.level
    root.setLevel(logging.DEBUG)  # as Kivy leaves it
    try:
        quiet_libraries()
        with caplog.at_level(logging.DEBUG):
            MarkdownIt().render("# 标题\n\n正文 **重点**\n\n- 一\n- 二\n")
            logging.getLogger("kiosk.test").info("kept")
    finally:
        root.setLevel(old)
    assert [r.name for r in caplog.records] == ["kiosk.test"]
