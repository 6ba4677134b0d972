"""Which screen class shows which route.

Each layout has its own screen class in its own module, with its own ``.kv``.
Modules are imported on first use, so start-up only pays for what is shown.
"""

from __future__ import annotations

import importlib

from kiosk.content.model import Content
from kiosk.ui.navigation import parse_route

# key -> "module:Class"
SCREENS = {
    "home": "kiosk.ui.screens.home:HomeScreen",
    "attract": "kiosk.ui.screens.attract:AttractScreen",
    "timeline": "kiosk.ui.screens.timeline:TimelineScreen",
    "stats": "kiosk.ui.screens.stats:StatsScreen",
    "honors": "kiosk.ui.screens.honors:HonorsScreen",
    "grid": "kiosk.ui.screens.grid:GridScreen",
    "gallery": "kiosk.ui.screens.gallery:GalleryScreen",
    "article": "kiosk.ui.screens.article:ArticleScreen",
    "exhibit": "kiosk.ui.screens.exhibit:ExhibitScreen",
    "photo": "kiosk.ui.screens.photo:PhotoScreen",
    "tour": "kiosk.ui.screens.tour:TourScreen",
}
FALLBACK = "kiosk.ui.screens.grid:GridScreen"


def screen_key(content: Content, route: str) -> str | None:
    kind, args = parse_route(route)
    if kind in ("home", "attract"):
        return kind
    if kind == "section":
        section = content.section(args[0])
        return section.layout if section else None
    if kind == "exhibit":
        exhibit = content.exhibit(args[0], args[1])
        if exhibit is None:
            return None
        return {"stats": "stats", "honors": "honors"}.get(exhibit.kind, "exhibit")
    if kind == "photo":
        return "photo"
    if kind == "tour":
        return "tour"
    return None


def screen_class(key: str):
    spec = SCREENS.get(key, FALLBACK)
    module_name, _, cls_name = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        module_name, _, cls_name = FALLBACK.partition(":")
        module = importlib.import_module(module_name)
    return getattr(module, cls_name)


def create_screen(content: Content, route: str, name: str):
    key = screen_key(content, route)
    if key is None:
        return None
    return screen_class(key)(name=name)
