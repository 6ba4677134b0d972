"""Measure the controls of a drawn screen for the accessibility checks: each one's size
and height above the floor on the configured panel (kiosk.yaml ``panel:``).

``kiosk render`` lists what it finds per screen in ``index.json`` (``accessibility``);
tests use the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from kivy.core.window import Window
from kivy.uix.label import Label

from kiosk.a11y import lint
from kiosk.a11y.settings import PanelConfig
from kiosk.ui.access.focus import controls, window_rect


@dataclass(frozen=True)
class Measured:
    widget: object
    control: lint.Control


def _name(widget) -> str:
    texts = [w.text for w in widget.walk(restrict=True) if isinstance(w, Label) and w.text]
    label = " ".join(t.split("\n")[0] for t in texts)[:30]
    kind = type(widget).__name__
    return f"{kind} '{label}'" if label else kind


def controls_of(root, screen: str = "") -> list[Measured]:
    """Every visible control on the screen, with its rectangle in window pixels.
    Controls scrolled out of the window are measured where they are laid out: a visitor
    reaches them by scrolling, which the reach check cannot know, so they are left out."""
    win_w, win_h = Window.size
    found = []
    for w in controls(root):
        x, y, width, height = window_rect(w)
        if y + height <= 0 or y >= win_h or x + width <= 0 or x >= win_w:
            continue
        found.append(Measured(w, lint.Control(_name(w), x, y, width, height, screen)))
    return found


def findings(app, root=None, panel: PanelConfig | None = None) -> list[dict]:
    """Touch targets under 9 mm and controls out of reach on the screen shown."""
    root = root or app.root
    panel = panel or app.kiosk_config.panel
    measured = [m.control for m in controls_of(root, app.route)]
    size = tuple(Window.size)
    problems = lint.target_problems(measured, size, panel) + lint.reach_problems(measured, size, panel)
    return [{"message": p.message, "message_zh": p.message_zh} for p in problems]
