"""stats: boards of big figures that count up when the screen is entered (数字滚动).

A section with layout ``stats`` shows every stats exhibit it holds, one board
each under its own heading; an ``exhibit/...`` route of kind ``stats`` shows
just that board. Each figure is a :class:`StatTile`: the number in gold with
its suffix and unit, the label below and an optional note.

The count-up runs on the Kivy Clock (frame ``dt``), so it follows whatever
time source the Clock has; :meth:`StatsScreen.settle` jumps to the end.
"""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.layout import Layout

from kiosk.content.model import StatItem
from kiosk.text.kivy_measure import headline
from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Card, RowFitGrid

COUNT_SECONDS = 1.8  # how long one figure takes to count up
STAGGER = 0.06  # each tile starts this much after the one before it
STAGGER_MAX = 0.5  # ... but never later than this
UNIT_RATIO = 0.42  # the unit's size next to the number's
ACCENT_WIDTH = 0.36  # a tile's accent line along its top, as a share of its width ...
ACCENT_THICKNESS = 4  # ... and its thickness (px)
INLINE_SHRINK = 0.8  # shrink the figure this far before putting the unit below it
BASELINE = 0.2  # share of a line's height below the baseline (Noto Sans SC)


def ease_out(p: float) -> float:
    """Cubic ease-out: fast at first, gently landing on 1."""
    p = min(1.0, max(0.0, p))
    return 1.0 - (1.0 - p) ** 3


def balanced(text: str, width: float, font_name: str, size: float, bold: bool = False) -> str:
    """``text`` broken into as few lines as fit ``width``, each about as long as the others.

    For short centred texts: a two-line label reads better as two halves than
    as a full line and one lonely character; Chinese breaks between words
    (:func:`kiosk.text.kivy_measure.headline`).
    """
    if not text or width <= 1:
        return text
    return "\n".join(headline(text, width, font_name, size, bold))


def _text_width(text: str, font_name: str, size: float, bold: bool = False) -> float:
    if not text:
        return 0.0
    label = CoreLabel(font_name=font_name, font_size=size, bold=bold)
    return float(label.get_extents(text)[0])


class StatFigure(Layout):
    """Number, suffix and unit on one baseline, centred; the unit goes below when too wide.

    The number keeps the width of its widest value, so the figure does not
    shift sideways while it counts up.
    """

    number = StringProperty("")
    final = StringProperty("")  # the final number: fixes the number's slot width
    suffix = StringProperty("")
    unit = StringProperty("")
    base_size = NumericProperty(90)  # the number's font size when there is room
    stat_size = NumericProperty(90)  # the number's font size after fitting
    unit_size = NumericProperty(38)
    stacked = BooleanProperty(False)  # unit on its own line below the number
    font_name = StringProperty("Roboto")

    def __init__(self, **kwargs):
        self._trigger = Clock.create_trigger(self.do_layout, -1)
        super().__init__(**kwargs)
        self.fbind("size", self._trigger)
        self.fbind("pos", self._trigger)
        for name in ("final", "suffix", "unit", "base_size", "font_name", "width"):
            self.fbind(name, self._fit)

    def add_widget(self, widget, *args, **kwargs):
        super().add_widget(widget, *args, **kwargs)
        widget.fbind("texture_size", self._trigger)

    def _fit(self, *_):
        if self.width <= 1:
            return
        size = self.base_size
        num_w = self._slot_width(size)
        suf_w = _text_width(self.suffix, self.font_name, size, True)
        unit_w = _text_width(self.unit, self.font_name, size * UNIT_RATIO, True)  # drawn bold
        gap = size * 0.12 if self.unit else 0
        inline = num_w + suf_w + gap + unit_w
        stacked = inline > self.width and bool(self.unit)
        need = num_w + suf_w if stacked else inline
        scale = min(1.0, self.width / need) if need else 1.0
        if stacked and self.width / inline >= INLINE_SHRINK:
            # a little smaller reads better than a unit alone on its own line
            stacked = False
            scale = self.width / inline
        self.stacked = stacked
        self.stat_size = round(size * scale, 1)
        if stacked:  # on its own line the unit only shrinks to fit that line
            unit_scale = min(1.0, self.width / max(1.0, unit_w))
            self.unit_size = round(size * UNIT_RATIO * unit_scale, 1)
        else:
            self.unit_size = round(size * scale * UNIT_RATIO, 1)
        self._trigger()

    def _slot_width(self, size: float) -> float:
        text = self.final or self.number
        widest = "".join("0" if ch.isdigit() else ch for ch in text)
        return max(
            _text_width(text, self.font_name, size, True),
            _text_width(widest, self.font_name, size, True),
        )

    def do_layout(self, *_):
        ids = self.ids
        if not ids:
            return
        num, suf, unit = ids.number, ids.suffix, ids.unit
        slot = self._slot_width(self.stat_size) + 2
        num.size = (slot, num.texture_size[1])
        num.text_size = (slot, None)
        suf.size = suf.texture_size
        unit.size = unit.texture_size
        num_h = num.texture_size[1]
        # a figure shrunk to fit keeps the full line height, so the numbers of
        # a row of tiles stand on one line
        line_h = num_h * self.base_size / max(1.0, self.stat_size)
        gap = self.stat_size * 0.12 if self.unit else 0
        if self.stacked:
            row_w = slot + suf.width
            x = self.center_x - row_w / 2
            unit.pos = (self.center_x - unit.width / 2, self.y)
            base_y = self.y + unit.height * 0.9
        else:
            row_w = slot + suf.width + gap + unit.width
            x = self.center_x - row_w / 2
            base_y = self.y
        num.pos = (x, base_y)
        suf.pos = (x + slot, base_y)
        if not self.stacked:
            # bottoms offset so the smaller unit sits on the number's baseline
            unit.pos = (suf.right + gap, base_y + BASELINE * (num_h - unit.height))
        self.height = max(num_h, line_h) + (unit.height * 0.9 if self.stacked else 0)


class StatTile(BoxLayout):
    """One figure: number (counting), suffix, unit, label and note."""

    item = ObjectProperty(None, allownone=True)
    number_text = StringProperty("")
    final_text = StringProperty("")
    suffix = StringProperty("")
    unit = StringProperty("")
    label_text = StringProperty("")
    note_text = StringProperty("")
    label_lines = StringProperty("")  # label_text broken into balanced lines
    note_lines = StringProperty("")

    @staticmethod
    def accent_pos(center_x: float, width: float, top: float):
        """The short accent line centred along the tile's top edge."""
        return (center_x - width * ACCENT_WIDTH / 2, top - ACCENT_THICKNESS)

    @staticmethod
    def accent_size(width: float):
        return (width * ACCENT_WIDTH, ACCENT_THICKNESS)
    delay = NumericProperty(0)

    def __init__(self, **kwargs):
        self._rewrap = Clock.create_trigger(self._wrap, -1)
        super().__init__(**kwargs)
        for name in ("width", "label_text", "note_text"):
            self.fbind(name, self._rewrap)
        self._wrap()

    def _wrap(self, *_):
        label, note = self.ids.label, self.ids.note
        width = self.width - self.padding[0] - self.padding[2] - 2
        self.label_lines = balanced(self.label_text, width, label.font_name, label.font_size, True)
        self.note_lines = balanced(self.note_text, width, note.font_name, note.font_size)

    def show(self, value: float):
        self.number_text = self.item.formatted(value)

    def show_final(self):
        self.number_text = self.final_text


class StatsGrid(RowFitGrid):
    """Tiles in a grid; each row as high as its tallest one needs."""


class StatsBoard(BoxLayout):
    """A heading, a short line and a grid of tiles."""

    title = StringProperty("")
    summary = StringProperty("")


class LinkCard(Card):
    """A card leading to another exhibit of the section (a page, an honors wall)."""


class ExhibitLinks(BoxLayout):
    """"Also in this section": cards for the exhibits a board screen does not show itself."""

    title = StringProperty("")

    def fill(self, app, exhibits):
        grid = self.ids.grid
        grid.clear_widgets()
        for exhibit in exhibits:
            card = LinkCard(
                media=exhibit.thumbnail,
                title=app.t(exhibit.title),
                subtitle=app.t(exhibit.summary),
                route=exhibit.route,
            )
            card.bind(on_release=lambda c: app.go(c.route))
            grid.add_widget(card)


def add_links(app, box, section, shown_kind: str):
    """Below the boards: links to the section's exhibits of other kinds, if any."""
    others = [ex for ex in section.visible_exhibits() if ex.kind != shown_kind]
    if others:
        links = ExhibitLinks(title=app.ui("also_here"))
        links.fill(app, others)
        box.add_widget(links)


class StatsScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    intro_text = StringProperty("")
    counting = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._event = None
        self._elapsed = 0.0
        self.tiles: list[StatTile] = []

    # ------------------------------------------------------------- content
    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        boards = self.exhibits_of_kind(app, content, route, "stats")
        if boards is None:
            return False
        self.heading = self.title_text
        self._stop()
        box = self.ids.boards
        box.clear_widgets()
        self.tiles = []
        single = len(boards) == 1 and route.startswith("exhibit/")
        for exhibit in boards:
            board = StatsBoard(
                title="" if single else app.t(exhibit.title),
                summary="" if single else app.t(exhibit.summary),
            )
            for item in exhibit.stats:
                board.ids.grid.add_widget(self._tile(app, item))
            box.add_widget(board)
        if not route.startswith("exhibit/"):
            add_links(app, box, content.section(route.split("/")[1]), "stats")
        showing = self.manager is not None and self.manager.current == self.name
        for tile in self.tiles:
            if showing:
                tile.show_final()  # rebuilt in place (language, text size): no replay
            else:
                tile.show(0)
        return True

    def _tile(self, app, item: StatItem) -> StatTile:
        index = len(self.tiles)
        tile = StatTile(
            item=item,
            final_text=item.formatted(),
            suffix=item.suffix,
            unit=app.t(item.unit),
            label_text=app.t(item.label),
            note_text=app.t(item.note),
            delay=min(STAGGER_MAX, STAGGER * index),
        )
        self.tiles.append(tile)
        return tile

    # ----------------------------------------------------------- count-up
    def on_pre_enter(self, *args):
        self._stop()
        for tile in self.tiles:
            tile.show(0)
        self.ids.scroll.scroll_y = 1

    def on_enter(self, *args):
        self.start_count()

    def on_leave(self, *args):
        self.settle()

    def start_count(self):
        """Count every figure up from zero (again)."""
        self._stop()
        self._elapsed = 0.0
        for tile in self.tiles:
            tile.show(0)
        app = App.get_running_app()
        if app is not None and app.access.reduced_motion:
            self.settle()  # reduced motion: the figures at once, no count-up
            return
        if self.tiles:
            self.counting = True
            self._event = Clock.schedule_interval(self._tick, 0)

    def _tick(self, dt):
        self._elapsed += dt
        for tile in self.tiles:
            p = (self._elapsed - tile.delay) / COUNT_SECONDS
            if p >= 1:
                tile.show_final()
            else:
                tile.show(tile.item.value * ease_out(p))
        if self._elapsed >= COUNT_SECONDS + max((t.delay for t in self.tiles), default=0):
            self.settle()
            return False
        return True

    def settle(self):
        """Jump every figure to its final value."""
        self._stop()
        for tile in self.tiles:
            tile.show_final()

    def _stop(self):
        if self._event is not None:
            self._event.cancel()
            self._event = None
        self.counting = False


load_kv(__file__, "stats.kv")
