"""Look of rendered Markdown: fonts, sizes and colours (no Kivy here).

The app builds one ``MarkdownStyle`` from its theme and passes it to
``build_markdown``. Bold needs either ``font_bold`` (a file) or a
``font_regular`` registered with ``LabelBase.register`` with a bold face: Kivy
draws no synthetic bold or italic from a bare font file. Sizes are in pixels; colours are RGBA tuples of floats in
0..1. ``text_scale`` (1.0, or about 1.4 in the large-text mode) multiplies every
text size and the spacing that follows text size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

RGBA = tuple[float, float, float, float]


@dataclass(frozen=True)
class MarkdownStyle:
    font_regular: str | None = None  # None: Kivy's default font
    font_bold: str | None = None  # None: synthetic bold of font_regular
    font_mono: str | None = None  # None: font_regular (code is plain text)
    # Kivy draws no slanted text from a font file without an italic face (and
    # Chinese fonts have none): emphasis then shows in ``emphasis_color``.
    font_italic: str | None = None
    body_size: float = 28.0
    heading_sizes: tuple[float, float, float] = (44.0, 36.0, 31.0)  # h1, h2, h3
    caption_size: float = 22.0
    text_color: RGBA = (0.16, 0.13, 0.12, 1.0)
    muted_color: RGBA = (0.42, 0.38, 0.36, 1.0)
    emphasis_color: RGBA | None = (0.62, 0.10, 0.08, 1.0)  # None: [i] only
    accent_color: RGBA = (0.72, 0.08, 0.08, 1.0)
    quote_bar_color: RGBA = (0.80, 0.58, 0.16, 1.0)
    quote_bg: RGBA = (0.97, 0.94, 0.88, 1.0)
    table_header_bg: RGBA = (0.72, 0.08, 0.08, 1.0)
    table_header_color: RGBA = (1.0, 0.97, 0.90, 1.0)
    table_border: RGBA = (0.84, 0.78, 0.72, 1.0)
    table_row_bg: RGBA = (1.0, 1.0, 1.0, 1.0)
    table_zebra_bg: RGBA = (0.98, 0.95, 0.91, 1.0)
    code_bg: RGBA = (0.95, 0.93, 0.90, 1.0)
    placeholder_bg: RGBA = (0.90, 0.88, 0.85, 1.0)
    # Kivy's line_height multiplies the font's own line box (about 1.45 font
    # sizes for Noto Sans SC): 1.1 gives lines about 1.6 font sizes apart.
    line_height: float = 1.1
    paragraph_spacing: float = 18.0
    text_scale: float = 1.0
    image_max_height: float = 900.0  # tallest an inline picture may be drawn

    def scaled(self, size: float) -> float:
        """A text size (or a spacing tied to text size) times ``text_scale``."""
        return float(size) * float(self.text_scale)

    def heading_size(self, level: int) -> float:
        """Unscaled font size for a heading level; h4..h6 use body size."""
        if 1 <= level <= len(self.heading_sizes):
            return float(self.heading_sizes[level - 1])
        return float(self.body_size)

    def with_scale(self, text_scale: float) -> MarkdownStyle:
        """The same style at another text scale (e.g. for the large-text mode)."""
        return replace(self, text_scale=float(text_scale))


def _mix(colour, over, amount: float) -> RGBA:
    """``colour`` laid at ``amount`` opacity over ``over``, as a solid colour."""
    return tuple(over[i] + (colour[i] - over[i]) * amount for i in range(3)) + (1.0,)


def style_from_theme(
    theme, screen_w: float, screen_h: float, text_scale: float = 1.0
) -> MarkdownStyle:
    """A style for article text on the theme's card colour.

    ``theme`` is a ``kiosk.theme.Theme`` (only its colours, fonts, sizes and
    line height are read). Headings and table heads use the theme's primary
    colour, which is made to stand on light cards; quote bars use its accent.
    """
    c = theme.colours
    card = tuple(c.card)

    def px(name: str) -> float:
        return theme.px(name, screen_w, screen_h)

    return MarkdownStyle(
        font_regular=theme.fonts.regular,
        font_bold=theme.fonts.bold,
        body_size=px("body"),
        heading_sizes=(px("title"), px("heading"), px("subheading")),
        caption_size=px("caption"),
        text_color=tuple(c.on_card),
        muted_color=tuple(c.card_muted),
        emphasis_color=tuple(c.primary),
        accent_color=tuple(c.primary),
        quote_bar_color=tuple(c.accent),
        quote_bg=_mix(c.accent, card, 0.14),
        table_header_bg=tuple(c.primary),
        table_header_color=tuple(c.on_primary),
        table_border=_mix(c.card_muted, card, 0.35),
        table_row_bg=card,
        table_zebra_bg=_mix(c.accent, card, 0.12),
        code_bg=_mix(c.card_muted, card, 0.10),
        placeholder_bg=_mix(c.card_muted, card, 0.15),
        line_height=max(1.0, float(theme.line_height) / 1.45),
        paragraph_spacing=px("gap"),
        text_scale=float(text_scale),
    )
