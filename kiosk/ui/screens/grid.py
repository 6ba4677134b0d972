"""grid: a section's exhibits as large cards (the five centers, for example)."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Card


class ExhibitCard(Card):
    pass


class GridScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")

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
        return True

    def items(self) -> list[dict]:
        """Every exhibit in the list, in order (only those in view have a card)."""
        return list(self.ids.cards_view.data)


load_kv(__file__, "grid.kv")
