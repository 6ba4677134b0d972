"""What the window clears before each frame.

Kivy clears the window's colour, depth and stencil buffers before every frame. A
software renderer pays for each of them over the whole window: at 1080x1920 on Mesa
llvmpipe (two cores) a frame with one opaque screenful and a third of a screen blended
took 43 ms with the three cleared, 32 ms with only the colour and 25 ms with nothing
cleared. The kiosk draws flat, without the depth test, and Kivy's stencil clears its own
buffer where a stencil begins (``StencilPush`` at the first level), so only the colour
can show; and not even the colour when the frame paints every pixel opaque anyway: the
theme's background (an opaque picture or colour) shown over the whole window and left
out only under what is opaque itself (:mod:`kiosk.ui.occlusion`).

:func:`install` puts this choice in place of the window's clear for as long as the app
runs (:func:`uninstall` at its end); :func:`clear_all` clears as Kivy does, for whatever
must start from cleared buffers.
"""

from __future__ import annotations

from collections.abc import Callable

last = {"cleared": "all"}  # what the last frame's clear did: "all", "colour" or "nothing"


def clear_all(window) -> None:
    """Colour, depth and stencil, as Kivy clears them."""
    type(window).clear(window)
    last["cleared"] = "all"


def install(window, painted: Callable[[], bool]) -> None:
    """Before each frame, clear nothing while ``painted()`` says the frame paints every
    pixel of the window opaque, else only the colour."""
    from kivy.graphics.opengl import GL_COLOR_BUFFER_BIT, glClear, glClearColor

    def clear() -> None:
        if painted():
            last["cleared"] = "nothing"
            return
        glClearColor(*window.clearcolor)
        glClear(GL_COLOR_BUFFER_BIT)
        last["cleared"] = "colour"

    window.clear = clear


def uninstall(window) -> None:
    """Kivy's own clear again (nothing of a stopped app is kept by the window)."""
    window.__dict__.pop("clear", None)
