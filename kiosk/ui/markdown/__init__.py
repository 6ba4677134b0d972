"""An exhibit's Markdown body shown as Kivy widgets.

``parse_blocks`` (no Kivy needed) turns Markdown into plain blocks;
``build_markdown`` (imports Kivy) turns Markdown into a widget tree to put in a
ScrollView. ``MarkdownStyle`` carries the theme's fonts, sizes and colours.
"""

from kiosk.ui.markdown.blocks import parse_blocks
from kiosk.ui.markdown.style import MarkdownStyle

__all__ = ["MarkdownStyle", "build_markdown", "parse_blocks"]


def __getattr__(name):
    # Importing Kivy opens its logger and config: only do it when asked for.
    if name == "build_markdown":
        from kiosk.ui.markdown.widgets import build_markdown

        return build_markdown
    raise AttributeError(name)
