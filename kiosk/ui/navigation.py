"""Routes and the back stack, in plain Python.

A route names one screen: ``home``, ``attract``, ``section/ID``,
``exhibit/SECTION/ID`` or ``photo/SECTION/N`` (N counts from 1); during a guided
tour, ``tour/ID/N`` shows step N of the tour.
"""

from __future__ import annotations

from kiosk.content.model import Content

MAX_HISTORY = 50


def parse_route(route: str) -> tuple[str, list[str]]:
    parts = route.split("/")
    return parts[0], parts[1:]


def route_exists(content: Content | None, route: str) -> bool:
    if content is None:
        return False
    kind, args = parse_route(route)
    if kind in ("home", "attract") and not args:
        return True
    if kind == "section" and len(args) == 1:
        section = content.section(args[0])
        return section is not None and section.visible()
    if kind == "exhibit" and len(args) == 2:
        section = content.section(args[0])
        if section is None or not section.visible():
            return False
        exhibit = section.exhibit(args[1])
        return exhibit is not None and exhibit.visible()
    if kind == "photo" and len(args) == 2 and args[1].isdigit():
        section = content.section(args[0])
        if section is None or not section.visible():
            return False
        return 1 <= int(args[1]) <= len(section.photos())
    if kind == "tour" and len(args) == 2 and args[1].isdigit():  # step N of a guided tour
        tour = content.tour(args[0])
        n = int(args[1])
        return tour is not None and 1 <= n <= len(tour.steps) and route_exists(content, tour.steps[n - 1].route)
    return False


def all_routes(content: Content) -> list[str]:
    """Every screen a visitor can reach, in a natural reading order."""
    routes = ["home"]
    for section in content.home_sections():
        routes.append(section.route)
        for exhibit in section.visible_exhibits():
            routes.append(exhibit.route)
        if section.layout == "gallery":
            routes.extend(f"photo/{section.id}/{n}" for n in range(1, len(section.photos()) + 1))
    routes.append("attract")
    return routes


def tour_routes(content: Content) -> list[str]:
    """Every step of every guided tour, as ``tour/ID/N`` (N from 1)."""
    return [f"tour/{tour.id}/{n}" for tour in content.tours for n in range(1, len(tour.steps) + 1)]


class History:
    """The back stack: routes the visitor came from."""

    def __init__(self):
        self._stack: list[str] = []

    def push(self, route: str):
        if self._stack and self._stack[-1] == route:
            return
        self._stack.append(route)
        del self._stack[:-MAX_HISTORY]

    def pop(self) -> str:
        return self._stack.pop()

    def clear(self):
        self._stack.clear()

    def __bool__(self) -> bool:
        return bool(self._stack)

    def __len__(self) -> int:
        return len(self._stack)

    def __contains__(self, route: str) -> bool:
        return route in self._stack
