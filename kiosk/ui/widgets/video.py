"""A video block for exhibit pages: plays with Kivy's Video when a player is installed.

Kivy plays video through a provider library (``ffpyplayer``, the ``video`` extra
of this project). Without one Kivy falls back to its ``null`` provider, which
silently shows nothing: then the block shows the poster picture as a still,
with its caption and no play button, so a visitor never faces a black box nor a
technical message (staff are told by ``kiosk check``, the status file and the
admin panel). With a provider the poster is the preview and a tap plays or pauses.
"""

from __future__ import annotations

from pathlib import Path

from kivy.properties import AliasProperty, BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.geometry import NO_COLOR
from kiosk.ui.kv import load_kv

SCREEN_COLOR = (0.08, 0.03, 0.03, 1)  # behind a video that does not fill its box
PLAY_SHADE = (0, 0, 0, 0.45)  # the play button's disc
# the play button's triangle, in touch targets from the middle: (left, half height), (right, 0)
PLAY_TRIANGLE = ((0.32, 0.45), (0.5, 0))
VIDEO_ASPECT = (16, 9)  # width : height of a video's box


def video_provider() -> str | None:
    """Name of Kivy's working video provider, or None when video cannot play."""
    try:
        from kivy.core.video import Video as CoreVideo
    except Exception:  # a broken provider import must not take the page down
        return None
    if CoreVideo is None:
        return None
    module = getattr(CoreVideo, "__module__", "") or ""
    name = module.rsplit(".", 1)[-1].replace("video_", "")
    if name in ("", "null"):
        return None
    return name


def video_available() -> bool:
    return video_provider() is not None


class VideoScreenArea(ButtonBehavior, FloatLayout):
    """The picture area of the block: the player, or the poster; tapping toggles playback."""

    playing = BooleanProperty(False)
    has_player = BooleanProperty(False)  # the block holds a player (the video can play)
    # the play button shows while a video can play but does not
    show_play = AliasProperty(lambda self: self.has_player and not self.playing, None,
                              bind=("has_player", "playing"))

    @staticmethod
    def screen_color(has_player: bool):
        return SCREEN_COLOR if has_player else NO_COLOR

    @staticmethod
    def play_shade(show_play: bool):
        return PLAY_SHADE if show_play else NO_COLOR

    @staticmethod
    def play_ring(show_play: bool, colors):
        return colors["accent"] if show_play else NO_COLOR

    @staticmethod
    def play_disc_pos(center, touch: float):
        """The play button's disc, two touch targets across, around the middle."""
        return (center[0] - touch, center[1] - touch)

    @staticmethod
    def play_triangle(center, touch: float):
        cx, cy = center
        (lx, ly), (rx, _ry) = PLAY_TRIANGLE
        return (cx - touch * lx, cy - touch * ly, cx - touch * lx, cy + touch * ly, cx + touch * rx, cy)


class VideoBlock(BoxLayout):
    """Shows one video :class:`~kiosk.content.model.Media` with its poster and caption.

    ``available`` is decided when the block is built; ``player`` is the Kivy
    Video widget when there is one.
    """

    media = ObjectProperty(None, allownone=True)
    poster = ObjectProperty(None, allownone=True)  # a Media or None
    caption = StringProperty("")
    available = BooleanProperty(False)
    player = ObjectProperty(None, allownone=True)
    state = StringProperty("stop")  # stop | play | pause (mirrors the player)

    @staticmethod
    def block_height(area: float, caption_height: float, spacing: float, caption: str) -> float:
        """The picture, and the caption under it when there is one."""
        return area + (caption_height + spacing if caption else 0)

    @staticmethod
    def box_height(width: float) -> float:
        return width * VIDEO_ASPECT[1] / VIDEO_ASPECT[0]

    def __init__(self, media=None, caption: str = "", available: bool | None = None, **kwargs):
        super().__init__(**kwargs)
        self.media = media
        self.poster = getattr(media, "poster", None)
        self.caption = caption
        self.available = video_available() if available is None else bool(available)
        area = self.ids.area
        if self.available and media is not None and Path(media.path).is_file():
            self.player = self._make_player()
            area.add_widget(self.player, index=len(area.children))
        area.bind(on_release=lambda *_: self.toggle())

    def _make_player(self):
        from kivy.uix.video import Video

        preview = str(self.poster.path) if self.poster is not None else None
        player = Video(source=str(self.media.path), state="stop", preview=preview,
                       pos_hint={"x": 0, "y": 0},
                       fit_mode="contain", options={"eos": "stop"})
        player.bind(state=self._on_player_state)
        return player

    def _on_player_state(self, player, state):
        self.state = state
        self.ids.area.playing = state == "play"

    def toggle(self):
        """Play when stopped or paused, pause when playing (nothing without a player)."""
        if self.player is None:
            return
        self.player.state = "pause" if self.player.state == "play" else "play"

    def stop(self):
        """Stop playback (the screen calls this when the visitor leaves it)."""
        if self.player is not None and self.player.state != "stop":
            self.player.state = "stop"

    def release(self):
        """Stop and free the player (before the block is thrown away)."""
        if self.player is not None:
            self.player.state = "stop"
            try:
                self.player.unload()
            except Exception:  # noqa: BLE001 - unloading must not break a rebuild
                pass


load_kv(__file__, "video.kv")
