"""Finishing each frame on a software renderer, so its memory does not pile up.

With Mesa's software renderers (llvmpipe, softpipe) and a window that never
really presents (SDL's ``offscreen`` driver), swapping buffers does not wait
for the frame to be rasterised. The renderer then keeps queueing the work of
every frame, and with it the memory for each draw: a screen of 200 labels
redrawn 200 times grows the process by about 1 GB, and none of it comes
back. Waiting for the frame (``glFinish``) right after it is presented keeps
the queue at one frame, and memory flat.

On a GPU with a real display the swap already paces the frames, so nothing
is added there.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger("kiosk")

SOFTWARE = ("llvmpipe", "softpipe", "swrast", "software rasterizer")


def is_software(renderer: str) -> bool:
    name = (renderer or "").lower()
    return any(s in name for s in SOFTWARE)


def needs_finish(renderer: str, video_driver: str | None) -> bool:
    """True when frames must be finished explicitly (software GL, or no real display)."""
    return is_software(renderer) or (video_driver or "").lower() == "offscreen"


def renderer_name() -> str:
    from kivy.graphics.opengl import GL_RENDERER, glGetString

    try:
        value = glGetString(GL_RENDERER)
    except Exception:  # no context yet, or a GL binding that cannot say
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value or "")


class FrameSync:
    """Binds ``glFinish`` to the window's ``on_flip`` when the renderer needs it."""

    def __init__(self):
        self.active = False
        self.software = False  # the renderer is the CPU (llvmpipe, softpipe)

    def install(self) -> bool:
        from kivy.core.window import Window

        renderer = renderer_name()
        self.software = is_software(renderer)
        if not needs_finish(renderer, os.environ.get("SDL_VIDEODRIVER")):
            return False
        if not self.active:
            Window.bind(on_flip=self._finish)
            self.active = True
            log.info("software rendering (%s): each frame is finished before the next",
                     renderer or "offscreen window")
        return True

    def remove(self) -> None:
        from kivy.core.window import Window

        if self.active:
            Window.unbind(on_flip=self._finish)
            self.active = False

    @staticmethod
    def _finish(*_):
        from kivy.graphics.opengl import glFinish

        glFinish()
