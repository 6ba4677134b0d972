"""grid: a section's exhibits as large cards (the five centers, for example)."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from kiosk.ui.geometry import LINE_HEIGHT, wall_columns
from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Card


class ExhibitCard(Card):
    pass


INTRO_SHARE = 0.36  # the title and introduction keep to this share of the screen's height


class GridScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    card_height = NumericProperty(300)  # every card: the height its tallest item needs

    @staticmethod
    def intro_rows(height: float, title_height: float, font_size: float, space) -> int:
        """The introduction's lines: what the top share of the screen leaves under the
        title, at least one."""
        room = height * INTRO_SHARE - space["margin"] - title_height
        return max(1, int(room / (font_size * LINE_HEIGHT)))

    columns = staticmethod(wall_columns)

    def __init__(self, **kwargs):
        self._measure_trigger = Clock.create_trigger(self._measure_cards, -1)
        self._measurer = None
        super().__init__(**kwargs)
        self.ids.cards.fbind("width", self._measure_trigger)
        self.ids.cards.fbind("cols", self._measure_trigger)

    def _measure_cards(self, *_):
        grid = self.ids.cards
        cols = max(1, grid.cols or 1)
        width = (grid.width - grid.spacing[0] * (cols - 1)) / cols
        if width <= 10:
            return
        if self._measurer is None:
            self._measurer = ExhibitCard()
        card = self._measurer
        self.card_height = max(
            [card.height_for(width, item["title"], item["subtitle"]) for item in self.ids.cards_view.data]
            or [width / card.picture_aspect])

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        section = self.load_section(app, content, route)
        if section is None:
            return False
        view = self.ids.cards_view
        view.data = [
            {"media": exhibit.thumbnail, "title": app.t(exhibit.title),
             "subtitle": app.t(exhibit.summary), "route": exhibit.route}
            for exhibit in section.visible_exhibits()
        ]
        view.scroll_y = 1
        self._measure_cards()
        return True

    def items(self) -> list[dict]:
        """Every exhibit in the list, in order (only those in view have a card)."""
        return list(self.ids.cards_view.data)


load_kv(__file__, "grid.kv")
