"""The size of the screen, asked of SDL before Kivy opens its window.

Kivy's ``fullscreen: auto`` asks the window manager to make the window full
screen. A kiosk often has no window manager (a bare X server started by
systemd): the request is then not carried out and the window keeps Kivy's
default 800x600, centred, so part of the picture is cut off and taps land
beside the cards. Opening the window at the size of the screen makes it cover
the screen with or without a window manager, and under a Wayland compositor
such as cage (which makes every window full screen anyway).

SDL is asked through ``ctypes``, using the same SDL library Kivy loads (the one
bundled with Kivy's wheels when there is one), so the answer comes from the
same video driver (``SDL_VIDEODRIVER``) the window will use. No Kivy import.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import importlib.util
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("kiosk")

SDL_INIT_VIDEO = 0x00000020


class _Rect(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("w", ctypes.c_int), ("h", ctypes.c_int)]


def _sdl_candidates() -> list[str]:
    """SDL libraries to try: Kivy's own first, then the system's."""
    found: list[str] = []
    spec = importlib.util.find_spec("kivy")
    if spec is not None and spec.origin:
        site = Path(spec.origin).resolve().parent.parent
        patterns = {
            "linux": ["Kivy.libs/libSDL2-*.so*", "kivy/.dylibs/libSDL2*"],
            "darwin": ["kivy/.dylibs/SDL2.framework/SDL2", "kivy/.dylibs/libSDL2*.dylib"],
            "win32": ["share/sdl2/bin/SDL2.dll"],
        }.get(sys.platform, [])
        for pattern in patterns:
            found += sorted(glob.glob(str(site / pattern)))
        if sys.platform == "win32":
            found += sorted(glob.glob(os.path.join(sys.prefix, "share", "sdl2", "bin", "SDL2.dll")))
    name = ctypes.util.find_library("SDL2") or ctypes.util.find_library("SDL2-2.0")
    if name:
        found.append(name)
    return found


def screen_size(display: int = 0) -> tuple[int, int] | None:
    """``(width, height)`` of display ``display`` in pixels, or None if SDL cannot tell."""
    for candidate in _sdl_candidates():
        try:
            sdl = ctypes.CDLL(candidate)
        except OSError:
            continue
        try:
            sdl.SDL_InitSubSystem.argtypes = [ctypes.c_uint32]
            sdl.SDL_QuitSubSystem.argtypes = [ctypes.c_uint32]
            sdl.SDL_GetDisplayBounds.argtypes = [ctypes.c_int, ctypes.POINTER(_Rect)]
            if sdl.SDL_InitSubSystem(SDL_INIT_VIDEO) != 0:
                log.warning("the screen size is not known: %s", _sdl_error(sdl))
                return None
            try:
                rect = _Rect()
                if sdl.SDL_GetDisplayBounds(display, ctypes.byref(rect)) != 0:
                    log.warning("the screen size is not known: %s", _sdl_error(sdl))
                    return None
            finally:
                sdl.SDL_QuitSubSystem(SDL_INIT_VIDEO)
        except AttributeError:  # not an SDL2 library after all
            continue
        if rect.w > 0 and rect.h > 0:
            return rect.w, rect.h
        return None
    log.warning("the screen size is not known: no SDL2 library found")
    return None


def _sdl_error(sdl) -> str:
    try:
        sdl.SDL_GetError.restype = ctypes.c_char_p
        return (sdl.SDL_GetError() or b"").decode("utf-8", "replace") or "unknown error"
    except AttributeError:
        return "unknown error"


def window_size(*, fullscreen: bool, configured, windowed_default=(540, 960)):
    """The size to open the window at: the one configured, else for a full screen the
    screen's own (None when it cannot be told: Kivy then chooses), else a window."""
    if configured:
        return tuple(configured)
    if not fullscreen:
        return windowed_default
    return screen_size()
