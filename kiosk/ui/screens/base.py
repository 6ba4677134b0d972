"""The base of every screen: it is given the content snapshot and a route, and builds itself."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    """A screen showing one route.

    ``load(app, content, route)`` fills the screen from the snapshot and
    returns False when the route's target no longer exists. It is called
    again after a content reload, a language switch or a text-size change.
    """

    route = StringProperty("")
    heading = StringProperty("")  # shown in the navigation bar
    swipe_back = BooleanProperty(True)  # a right swipe anywhere goes back
    show_bar = BooleanProperty(True)
    opaque = False  # True when the screen hides everything behind it (nothing else is drawn)
    backdrop = ListProperty([])  # an opaque screen's plain background colour, if it has one
    covering = BooleanProperty(False)  # shown, still and opaque: the window's clear colour
    # is its backdrop then, so the screen need not paint it

    def load(self, app, content, route) -> bool:
        self.route = route
        return True

    def section_and_exhibit(self, content, route):
        parts = route.split("/")
        section = content.section(parts[1]) if len(parts) > 1 else None
        exhibit = section.exhibit(parts[2]) if section and len(parts) > 2 else None
        return section, exhibit

    def load_section(self, app, content, route):
        """The section a ``section/ID`` route shows (None if gone), with the heading,
        ``title_text`` and ``subtitle_text`` set from it."""
        section, _ = self.section_and_exhibit(content, route)
        if section is not None:
            self.heading = app.t(section.title)
            self.title_text = app.t(section.title)
            self.subtitle_text = app.t(section.subtitle)
        return section

    def exhibits_of_kind(self, app, content, route, kind):
        """The exhibits of ``kind`` a stats or honors route shows (None if the route is gone),
        with the screen's ``title_text``, ``subtitle_text`` and ``intro_text`` set to match:
        one exhibit for ``exhibit/S/E``, every one of that kind for ``section/S``."""
        section, exhibit = self.section_and_exhibit(content, route)
        if section is None:
            return None
        if route.startswith("exhibit/"):
            if exhibit is None or exhibit.kind != kind:
                return None
            self.title_text = app.t(exhibit.title)
            self.subtitle_text = app.t(exhibit.summary)
            self.intro_text = ""
            return [exhibit]
        self.title_text = app.t(section.title)
        self.subtitle_text = app.t(section.subtitle)
        self.intro_text = app.t(section.intro).strip()
        return [ex for ex in section.visible_exhibits() if ex.kind == kind]

    def fill_intro(self, app, content, section, width_hint=None):
        """Render the section's Markdown intro into ``ids.intro_holder`` (empty if none)."""
        from kiosk.ui.markdown import build_markdown
        from kiosk.ui.screens.markdown_look import image_resolver, markdown_style

        holder = self.ids.intro_holder
        holder.clear_widgets()
        self.intro = None
        text = app.t(section.intro).strip()
        if text:
            self.intro = build_markdown(text, markdown_style(app, on_dark=True),
                                        image_resolver(content, section.source),
                                        width_hint=width_hint)
            holder.add_widget(self.intro)
