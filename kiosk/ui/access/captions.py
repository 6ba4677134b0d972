"""Captions over a playing video, from the WebVTT file beside it in the visitor's language.

The exhibit screen's :class:`~kiosk.ui.widgets.video.VideoBlock` gets a
:class:`CaptionLine` laid over the bottom of its picture; the line follows the
player's ``position`` and shows the cue of that moment.
"""

from __future__ import annotations

import logging

from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.label import Label

from kiosk.a11y.webvtt import CaptionTrack, parse_webvtt
from kiosk.ui.geometry import NO_COLOR
from kiosk.ui.kv import load_kv

log = logging.getLogger("kiosk.captions")
_TRACKS: dict[tuple[str, int], CaptionTrack] = {}


def load_track(path) -> CaptionTrack | None:
    """The parsed caption file (kept until it changes); None if it cannot be read."""
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    track = _TRACKS.get(key)
    if track is None:
        try:
            track = parse_webvtt(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            log.error("captions %s cannot be read: %s", path, exc)
            return None
        if len(_TRACKS) > 64:
            _TRACKS.clear()
        _TRACKS[key] = track
    return track


BAND_COLOR = (0, 0, 0, 0.78)  # the dark band under a caption
BAND_PADDING = 0.6  # its height beyond the text, in gaps


class CaptionLine(Label):
    track = ObjectProperty(None, allownone=True)
    position = NumericProperty(0.0)  # seconds into the video
    lang = StringProperty("")

    @staticmethod
    def band_height(text: str, text_height: float, space) -> float:
        return text_height + space["gap"] * BAND_PADDING if text else 0

    @staticmethod
    def wrap_width(width: float, space) -> float:
        """The text wraps half a gap inside the band on each side."""
        return width - space["gap"]

    @staticmethod
    def band_color(text: str):
        return BAND_COLOR if text else NO_COLOR

    def on_position(self, *_):
        self.text = self.track.at(self.position) if self.track is not None else ""

    def on_track(self, *_):
        self.on_position()


def attach_captions(screen, exhibit, lang: str) -> CaptionLine | None:
    """Lay the captions of ``exhibit``'s video in ``lang`` over the screen's video block
    (replacing earlier ones); None when there is no video or no caption file."""
    block = getattr(screen, "video", None)
    if block is None or "area" not in getattr(block, "ids", {}):
        return None
    area = block.ids.area
    for child in list(area.children):
        if isinstance(child, CaptionLine):
            area.remove_widget(child)
    tracks = dict(getattr(exhibit, "captions", ()))
    media = tracks.get(lang)
    if media is None:
        return None
    track = load_track(media.path)
    if track is None:
        return None
    line = CaptionLine(track=track, lang=lang)
    area.add_widget(line)
    player = getattr(block, "player", None)
    if player is not None:
        player.bind(position=lambda _p, value: setattr(line, "position", value))
    return line


load_kv(__file__, "captions.kv")
