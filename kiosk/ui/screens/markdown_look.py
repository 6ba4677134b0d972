"""The Markdown look of the screens: styles from the app's theme, and where pictures come from.

Shared by the exhibit page, the section intros (:class:`kiosk.ui.screens.base.KioskScreen`)
and the guide's notes, so none of them imports another screen.
"""

from __future__ import annotations

from kivy.core.window import Window

from kiosk.content.paths import MediaResolver
from kiosk.ui.markdown import MarkdownStyle

FONT_LINE_BOX = 1.45  # ascent + descent of the bundled font, in font sizes


# ------------------------------------------------------------------ helpers


def _mix(colour, under, amount: float):
    """``colour`` laid at ``amount`` opacity over ``under``, as a solid colour."""
    return tuple(under[i] + (colour[i] - under[i]) * amount for i in range(3)) + (1.0,)


def kivy_line_height(typographic: float | None) -> float:
    """Kivy's ``line_height`` for a line pitch given in font sizes (as themes write it).

    Kivy multiplies the font's own line box (ascent + descent, about 1.45 font
    sizes for Noto Sans SC), so a theme's 1.55 would otherwise become 2.25.
    """
    return max(1.0, float(typographic or 1.5) / FONT_LINE_BOX)


def markdown_style(app, on_dark: bool = False) -> MarkdownStyle:
    """The Markdown look for this app: its font, sizes (large-text aware) and colours.

    ``on_dark`` is for text placed straight on the red background (section
    intros); otherwise the text sits on a cream card.
    """
    scale = float(app.text_scale or 1.0)
    size = {k: float(v) / scale for k, v in app.font.items()}
    c = app.colors
    theme = app.theme
    if on_dark:
        text, muted, strong, under = c["text"], c["text_muted"], c["accent"], c["background"]
        header_bg, header_fg = c["accent"], c["on_accent"]
    else:
        text, muted, strong, under = c["on_card"], c["card_muted"], c["primary"], c["card"]
        header_bg, header_fg = c["primary"], c["on_primary"]
    return MarkdownStyle(
        font_regular=app.font_name,
        font_bold=None,  # the registered font has a bold face: [b] picks it
        body_size=size.get("body", 26.0),
        heading_sizes=(size.get("title", 44.0) * 0.85, size.get("heading", 36.0),
                       size.get("subheading", 30.0)),
        caption_size=size.get("caption", 21.0),
        text_color=tuple(text),
        muted_color=tuple(muted),
        emphasis_color=tuple(strong),
        accent_color=tuple(strong),
        quote_bar_color=tuple(c["accent"]),
        quote_bg=_mix(c["accent"], under, 0.14),
        table_header_bg=tuple(header_bg),
        table_header_color=tuple(header_fg),
        table_border=_mix(muted, under, 0.35),
        table_row_bg=tuple(under),
        table_zebra_bg=_mix(c["accent"], under, 0.12),
        code_bg=_mix(muted, under, 0.10),
        placeholder_bg=_mix(muted, under, 0.15),
        line_height=kivy_line_height(getattr(theme, "line_height", None)),
        paragraph_spacing=float(app.space.get("gap", 24.0)),
        text_scale=scale,
        image_max_height=Window.height * 0.5,
    )


def image_resolver(content, source: str, lang: str | None = None):
    """``resolve(src) -> file path | None`` for pictures named in the Markdown of ``source``.

    Same rules as the loader: relative to the file, inside the content root, no
    absolute paths, no links leading outside; anything else is not shown. The
    picture for ``lang`` (``a.en.jpg`` beside ``a.jpg``) is used when there is one.
    """
    resolver = MediaResolver(str(content.root))

    def resolve(src: str) -> str | None:
        media = resolver.resolve(source, src, None, "image", "image", [])
        return str(media.for_language(lang).path) if media is not None else None

    return resolve
