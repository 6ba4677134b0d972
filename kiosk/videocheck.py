"""Whether this machine can play video, asked without starting Kivy.

Kivy plays video through ``ffpyplayer`` (the ``video`` extra). Without it the
kiosk shows each video's poster as a still; ``kiosk check``, the status file
and the admin panel tell staff, visitors are never told.
"""

from __future__ import annotations

import importlib.util


def playback_installed() -> bool:
    """True when the video player library Kivy uses here can be imported."""
    try:
        return importlib.util.find_spec("ffpyplayer") is not None
    except (ImportError, ValueError):
        return False
