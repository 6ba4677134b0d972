"""Blocks from ``blocks.py`` -> Kivy widgets for the exhibit/article screen.

``build_markdown`` returns a vertical BoxLayout (height = its content) meant to
sit inside a ScrollView. Every piece of content text is escaped with
``escape_markup``: markup is used only for bold and italic, so a title written
as ``[color=ff0000]`` is shown literally. Every text Label is made by
``_make_label`` so a pre-wrapping pass for Chinese can be plugged in there.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kivy.lang import Builder
from kivy.logger import Logger
from kivy.properties import ColorProperty, NumericProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image as KivyImage
from kivy.uix.label import Label
from kivy.uix.widget import Widget
from kivy.utils import escape_markup, get_hex_from_color

from kiosk.text.kivy_measure import measure_for

from . import blocks as b
from .prewrap import PrewrapLabelMixin
from .style import MarkdownStyle

Resolver = Callable[[str], "str | None"]

BULLETS = ("•", "–", "•")
QUOTE_BAR_WIDTH = 6
MAX_UPSCALE = 2  # a picture is shown at most this many times its own height
PLACEHOLDER_HEIGHT = 0.3  # a missing picture's box: this share of the width ...
PLACEHOLDER_MIN, PLACEHOLDER_MAX = 120, 320  # ... within these heights (px)
# its sign, in px from the box's middle: the outline of two peaks, closed, and a sun
MOUNTAINS = ((-36, -22), (-8, 8), (8, -6), (20, 6), (36, -22), (-36, -22))
SUN = (22, 20, 7)


class MdDocument(BoxLayout):
    """The whole rendered body; ``blocks`` holds what it was built from."""

    blocks = ObjectProperty(None, allownone=True)


class MdStack(BoxLayout):
    """A vertical run of blocks inside a quote or a list item."""


class MdLabelBase(PrewrapLabelMixin, Label):
    """Wrapping text with an optional background."""

    bg_color = ColorProperty((0, 0, 0, 0))


class MdText(MdLabelBase):
    """A wrapping text block whose height follows its text."""


class MdCell(MdLabelBase):
    """A table cell; its height is the height of the tallest cell in its row."""


class MdMarker(MdText):
    """The bullet or number column of a list item."""


class MdQuote(MdStack):
    bar_color = ColorProperty((0.8, 0.6, 0.2, 1))
    bg_color = ColorProperty((0, 0, 0, 0))
    bar_width = NumericProperty(QUOTE_BAR_WIDTH)


class MdListItem(BoxLayout):
    def __init__(self, marker: Widget, body: Widget, **kwargs):
        super().__init__(**kwargs)
        self.add_widget(marker)
        self.add_widget(body)
        self._marker, self._body = marker, body
        marker.bind(height=self._fit)
        body.bind(height=self._fit)
        self._fit()

    def _fit(self, *_args) -> None:
        self.height = max(self._marker.height, self._body.height)


class MdFigure(BoxLayout):
    """A picture (or its placeholder) with the caption under it."""

    src = ObjectProperty("")
    missing = ObjectProperty(False)


class MdPicture(KivyImage):
    max_height = NumericProperty(900)

    def fit_height(self, width: float, ratio: float, texture, texture_height: float) -> float:
        """As wide as the column, but no higher than ``max_height`` nor twice the picture's
        own height; nothing before it is loaded."""
        if not (texture and ratio):
            return 0
        return min(width / ratio, self.max_height, texture_height * MAX_UPSCALE)


class MdPlaceholder(Widget):
    """Neutral box drawn where a picture cannot be shown."""

    bg_color = ColorProperty((0.9, 0.88, 0.85, 1))
    line_color = ColorProperty((0.7, 0.67, 0.63, 1))

    @staticmethod
    def box_height(width: float) -> float:
        return min(max(width * PLACEHOLDER_HEIGHT, PLACEHOLDER_MIN), PLACEHOLDER_MAX)

    @staticmethod
    def mountains(center):
        """The picture sign's outline: two peaks on a base line, closed (px from the middle)."""
        cx, cy = center
        return [v for x, y in MOUNTAINS for v in (cx + x, cy + y)]

    @staticmethod
    def sun(center):
        """The picture sign's sun: (x, y, radius)."""
        return (center[0] + SUN[0], center[1] + SUN[1], SUN[2])


class MdTable(GridLayout):
    """A table whose columns share its width by their text (``weights``), each at least as
    wide as its longest word (``minimums``: (the word's width, the cell's padding) in
    pixels): no word is broken inside."""

    border_color = ColorProperty((0.8, 0.8, 0.8, 1))

    def fit_columns(self, cells, weights: list[float], minimums: list[float]) -> None:
        self._cells, self._weights, self._minimums = cells, weights, minimums
        self._sizes = [cell.font_size for cell in cells]
        self.fbind("width", self._fit_columns)
        self._fit_columns()

    def _fit_columns(self, *_):
        room = self.width - self.padding[0] - self.padding[2] - self.spacing[0] * (self.cols - 1)
        if room <= 0:
            return
        # the longest words do not fit side by side: the table's text gets smaller (to 60 %)
        words = sum(w for w, _ in self._minimums)
        rest = sum(p for _, p in self._minimums)
        scale = min(1.0, max(0.6, (room - rest) / words)) if words else 1.0
        widths = column_widths(room, self._weights, [w * scale + p for w, p in self._minimums])
        for i, cell in enumerate(self._cells):
            cell.size_hint_x = widths[i % self.cols]
            cell.font_size = self._sizes[i] * scale


def column_widths(room: float, weights: list[float], minimums: list[float]) -> list[float]:
    """Widths for columns sharing ``room`` by ``weights``, none below its minimum while the
    room allows (the wider columns give up what the narrow ones need)."""
    total = sum(weights) or 1
    widths = [room * w / total for w in weights]
    if room <= 0 or sum(minimums) >= room:
        need = sum(minimums) or 1
        return [max(room, 1) * m / need for m in minimums] if sum(minimums) else widths
    fixed = [False] * len(widths)
    while True:
        short = [i for i, w in enumerate(widths) if not fixed[i] and w < minimums[i] - 0.5]
        if not short:
            return widths
        for i in short:
            widths[i], fixed[i] = minimums[i], True
        left = room - sum(w for i, w in enumerate(widths) if fixed[i])
        free = sum(weights[i] for i in range(len(widths)) if not fixed[i]) or 1
        for i in range(len(widths)):
            if not fixed[i]:
                widths[i] = left * weights[i] / free


class MdRule(Widget):
    line_color = ColorProperty((0.8, 0.8, 0.8, 1))


_KV = Path(__file__).with_name("markdown.kv")
if str(_KV) not in Builder.files:
    Builder.load_file(str(_KV))


# ------------------------------------------------------------------- labels


def inline_markup(
    runs, bold_font: str | None, italic_font: str | None = None, emphasis_color=None
) -> str:
    """Styled runs -> Kivy markup. Every piece of text is escaped; the only
    tags are the ones made here for bold and italic (emphasis)."""
    parts: list[str] = []
    for run in runs:
        text = escape_markup(run.text)
        if run.italic:
            if italic_font:
                text = f"[font={italic_font}]{text}[/font]"
            else:
                text = f"[i]{text}[/i]"
                if emphasis_color is not None:
                    text = f"[color={get_hex_from_color(emphasis_color)}]{text}[/color]"
        if run.bold:
            text = f"[font={bold_font}]{text}[/font]" if bold_font else f"[b]{text}[/b]"
        parts.append(text)
    return "".join(parts)


def _make_label(
    runs,
    style: MarkdownStyle,
    *,
    size: float,
    color=None,
    bold: bool = False,
    halign: str = "left",
    markup: bool = True,
    font: str | None = None,
    cls: type = MdText,
    **kwargs,
) -> MdLabelBase:
    """The one place text Labels are created.

    ``runs`` is a list of ``blocks.Run`` (or a plain string shown verbatim).
    """
    if isinstance(runs, str):
        runs = [b.Run(runs)]
    font_name = font or (style.font_bold if bold and style.font_bold else style.font_regular)
    bold_font = style.font_bold if not bold else None
    synthetic_bold = bold and not style.font_bold

    def render(parts) -> str:
        if not markup:
            return "".join(run.text for run in parts)
        text = inline_markup(parts, bold_font, style.font_italic, style.emphasis_color)
        return f"[b]{text}[/b]" if synthetic_bold else text

    options = dict(
        markup=markup,
        font_size=style.scaled(size),
        color=color or style.text_color,
        halign=halign,
        line_height=style.line_height,
    )
    if font_name:
        options["font_name"] = font_name
    options.update(kwargs)
    label = cls(**options)
    label.measure_bold = synthetic_bold
    label.set_runs(runs, markup, bold_font, render)
    return label


# ------------------------------------------------------------------ builder


class _Builder:
    def __init__(self, style: MarkdownStyle, resolve: Resolver | None):
        self.style = style
        self.resolve = resolve

    def fill(self, box: Widget, blocks, *, color=None, depth: int = 0) -> None:
        for index, block in enumerate(blocks):
            if isinstance(block, b.Heading) and index > 0:
                gap = self.style.scaled(self.style.heading_size(block.level)) * 0.45
                box.add_widget(Widget(size_hint_y=None, height=gap))
            box.add_widget(self.block(block, color=color, depth=depth))

    def stack(self, blocks, *, color=None, depth: int = 0, cls: type = MdStack, **kw) -> Widget:
        box = cls(spacing=self.style.scaled(self.style.paragraph_spacing) * 0.7, **kw)
        self.fill(box, blocks, color=color, depth=depth)
        return box

    def block(self, block, *, color=None, depth: int = 0) -> Widget:
        st = self.style
        if isinstance(block, b.Paragraph):
            return _make_label(b.flatten(block.inlines), st, size=st.body_size, color=color)
        if isinstance(block, b.Heading):
            heading_color = st.accent_color if block.level <= 2 else (color or st.text_color)
            return _make_label(
                b.flatten(block.inlines),
                st,
                size=st.heading_size(block.level),
                color=heading_color,
                bold=True,
            )
        if isinstance(block, b.ListBlock):
            return self.list_block(block, color=color, depth=depth)
        if isinstance(block, b.Quote):
            pad = st.scaled(st.body_size) * 0.6
            return self.stack(
                block.blocks,
                color=color or st.muted_color,
                depth=depth,
                cls=MdQuote,
                padding=[QUOTE_BAR_WIDTH + pad, pad * 0.7, pad, pad * 0.7],
                bar_color=st.quote_bar_color,
                bg_color=st.quote_bg,
            )
        if isinstance(block, b.Image):
            return self.figure(block)
        if isinstance(block, b.Table):
            return self.table(block)
        if isinstance(block, b.Rule):
            line = list(st.accent_color[:3]) + [0.35]
            return MdRule(height=st.scaled(st.paragraph_spacing) * 1.5, line_color=line)
        if isinstance(block, b.CodeBlock):
            pad = st.scaled(st.body_size) * 0.5
            return _make_label(
                block.text,
                st,
                size=st.body_size * 0.85,
                color=color,
                markup=False,
                font=st.font_mono,
                bg_color=st.code_bg,
                padding=[pad, pad * 0.6],
                line_height=1.0,
            )
        Logger.warning("Markdown: block %r is not shown", type(block).__name__)
        return Widget(size_hint_y=None, height=0)

    def list_block(self, block: b.ListBlock, *, color=None, depth: int = 0) -> Widget:
        st = self.style
        size = st.scaled(st.body_size)
        box = MdStack(spacing=st.scaled(st.paragraph_spacing) * 0.4)
        if block.ordered:
            last = block.start + max(len(block.items) - 1, 0)
            marker_width = size * (0.62 * len(str(last)) + 0.9)
        else:
            marker_width = size * 1.3
        for number, item in enumerate(block.items, start=block.start):
            text = f"{number}." if block.ordered else BULLETS[depth % len(BULLETS)]
            marker = _make_label(
                text,
                st,
                size=st.body_size,
                color=st.accent_color,
                bold=not block.ordered,  # the bold face has a rounder, larger bullet
                cls=MdMarker,
                width=marker_width,
                padding=[0, 0, size * 0.45, 0],
            )
            marker.halign = "right"
            body = self.stack(item, color=color, depth=depth + 1)
            box.add_widget(MdListItem(marker, body))
        return box

    def figure(self, block: b.Image) -> Widget:
        st = self.style
        figure = MdFigure(spacing=st.scaled(st.paragraph_spacing) * 0.4, src=block.src)
        path = None
        if self.resolve is not None:
            try:
                path = self.resolve(block.src)
            except Exception as exc:  # a bad resolver must not break the page
                Logger.warning("Markdown: resolving image %r failed: %s", block.src, exc)
        picture = None
        if path and os.path.isfile(path):
            picture = MdPicture(source=str(path), max_height=st.image_max_height)
            if picture.texture is None:
                picture = None
        if picture is None:
            figure.missing = True
            figure.add_widget(MdPlaceholder(bg_color=st.placeholder_bg, line_color=st.muted_color))
        else:
            figure.add_widget(picture)
        if block.caption:
            figure.add_widget(
                _make_label(
                    block.caption, st, size=st.caption_size, color=st.muted_color, halign="center"
                )
            )
        return figure

    def table(self, block: b.Table) -> Widget:
        st = self.style
        ncols = max([len(block.header)] + [len(row) for row in block.rows] or [1])
        grid = MdTable(cols=max(ncols, 1), border_color=st.table_border)
        rows = [block.header] + list(block.rows) if block.header else list(block.rows)
        weights = _column_weights(rows, ncols)
        minimums = [(0.0, 0.0)] * ncols  # each column's longest word, and the cell's padding
        every = []
        pad = st.scaled(st.body_size) * 0.45
        for r, row in enumerate(rows):
            header = r == 0 and bool(block.header)
            if header:
                bg, fg = st.table_header_bg, st.table_header_color
            else:
                bg = st.table_zebra_bg if (r % 2 == 0) else st.table_row_bg
                fg = st.text_color
            cells = []
            for c in range(ncols):
                inlines = row[c] if c < len(row) else ()
                align = block.aligns[c] if c < len(block.aligns) and block.aligns[c] else "left"
                cell = _make_label(
                    b.flatten(inlines),
                    st,
                    size=st.body_size * 0.9,
                    color=fg,
                    bold=header,
                    halign=align,
                    cls=MdCell,
                    bg_color=bg,
                    padding=[pad, pad * 0.6],
                    size_hint_x=weights[c],
                    line_height=min(st.line_height, 1.0),
                )
                cells.append(cell)
                grid.add_widget(cell)
                words = [w for w in b.plain_text(inlines).split() if not any(b.is_cjk(ch) for ch in w)]
                if words:
                    measure = measure_for(cell.font_name, cell.font_size, header)
                    longest = max(measure(w) for w in words) * 1.02
                    minimums[c] = (max(minimums[c][0], longest), 2 * pad + 2)
            every.extend(cells)
            _sync_row_height(cells)
        grid.fit_columns(every, weights, minimums)
        return grid


def _column_weights(rows, ncols: int) -> list[float]:
    """Relative column widths from the longest text in each column."""
    longest = [1] * ncols
    for row in rows:
        for c in range(min(ncols, len(row))):
            text = b.plain_text(row[c])
            width = sum(2 if b.is_cjk(ch) else 1 for ch in text)
            longest[c] = max(longest[c], width)
    return [min(max(n, 4), 40) for n in longest]


def _sync_row_height(cells: list) -> None:
    """All cells of a table row take the height of the tallest one, so that
    backgrounds and borders line up."""

    def update(*_args):
        tallest = max(cell.texture_size[1] for cell in cells)
        for cell in cells:
            cell.height = tallest

    for cell in cells:
        cell.bind(texture_size=update)
    update()


# --------------------------------------------------------------------- API


def build_markdown(
    markdown_text: str,
    style: MarkdownStyle | None = None,
    resolve: Resolver | None = None,
    width_hint: float | None = None,
) -> MdDocument:
    """Render Markdown as a vertical BoxLayout of Kivy widgets.

    ``resolve(src)`` turns an image path from the Markdown into a file path, or
    None when the picture cannot be shown (a placeholder is drawn instead).
    ``width_hint`` sets the first width so text is laid out once at the right
    width before the widget is placed in its ScrollView.
    """
    style = style or MarkdownStyle()
    blocks = b.parse_blocks(markdown_text or "")
    doc = MdDocument(spacing=style.scaled(style.paragraph_spacing), blocks=blocks)
    if width_hint:
        doc.width = float(width_hint)
    _Builder(style, resolve).fill(doc, blocks)
    return doc
