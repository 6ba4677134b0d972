"""The ``panel:`` and ``accessibility:`` sections of kiosk.yaml, and the numbers they are
held to.

The panel's size and mounting turn pixels into millimetres, so a touch target's size
and a control's height above the floor can be checked::

    panel = PanelConfig(diagonal_inches=55, mount_bottom_mm=700)
    panel.mm_per_px(1080, 1920)        # -> 0.634
    panel.height_above_floor(0, 1080, 1920)  # -> 700.0 (the panel's bottom edge)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.schema import setting

# WCAG 2.2 success criterion 2.2.1 (Timing adjustable): warn at least 20 s before a
# time limit and let the visitor extend it with a simple action, at least ten times.
WCAG_WARNING_SECONDS = 20.0
WCAG_EXTENSIONS = 10
# Touch targets on a public panel: about 9 mm (WCAG 2.5.5 asks 44 CSS px, 2.5.8 24 px;
# on a wall-mounted panel viewed from arm's length the usual rule is 9 mm).
MIN_TARGET_MM = 9.0
# Reach range for a person in a wheelchair (EN 301 549 §8.3.3, ADA / Section 508 §308).
REACH_LOW_MM = 380.0
REACH_HIGH_MM = 1220.0
# Contrast (WCAG 2.2 §1.4.3): 4.5:1 for text, 3:1 for large text (18 pt, or 14 pt bold).
CONTRAST_TEXT = 4.5
CONTRAST_LARGE = 3.0
# Labels (Smithsonian Guidelines for Accessible Exhibition Design).
MAX_SENTENCE_WORDS = 25
MAX_LABEL_WORDS = 100
MAX_LINE_CHARS = 55
# The measure: running text set in Latin letters is at most this many ems wide (about 50
# characters a line with the theme's fonts), so a full-width column on a large panel still
# reads at MAX_LINE_CHARS or fewer. Chinese (one character an em) fills its column.
LATIN_MEASURE_EM = 25.0

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PanelConfig:
    """The physical screen: its diagonal and the height of its bottom edge above the floor."""

    diagonal_inches: float = setting(55.0, above=0, en="the screen's diagonal, in inches",
                                     zh="屏幕对角线（英寸）")
    mount_bottom_mm: float = setting(
        700.0, minimum=0, en="height of the screen's bottom edge above the floor, in mm "
        f"(controls should be {REACH_LOW_MM:g}-{REACH_HIGH_MM:g} mm high, within reach from a wheelchair)",
        zh=f"屏幕下边缘离地高度（毫米；操作区域应在 {REACH_LOW_MM:g}-{REACH_HIGH_MM:g} 毫米之间，坐轮椅也够得着）")

    def mm_per_px(self, width_px: float, height_px: float) -> float:
        """Millimetres per pixel on a panel of this diagonal showing ``width x height`` pixels."""
        diagonal_px = math.hypot(width_px, height_px)
        return self.diagonal_inches * MM_PER_INCH / diagonal_px if diagonal_px else 0.0

    def px_for_mm(self, mm: float, width_px: float, height_px: float) -> float:
        per = self.mm_per_px(width_px, height_px)
        return mm / per if per else 0.0

    def height_above_floor(self, y_px: float, width_px: float, height_px: float) -> float:
        """Height in mm of a point ``y_px`` pixels above the screen's bottom edge."""
        return self.mount_bottom_mm + y_px * self.mm_per_px(width_px, height_px)

    def reach_band_px(self, width_px: float, height_px: float) -> tuple[float, float]:
        """The band of the screen (y from its bottom edge, pixels) that lies within reach."""
        per = self.mm_per_px(width_px, height_px)
        if not per:
            return (0.0, 0.0)
        low = (REACH_LOW_MM - self.mount_bottom_mm) / per
        high = (REACH_HIGH_MM - self.mount_bottom_mm) / per
        return (max(0.0, low), min(float(height_px), high))


@dataclass(frozen=True)
class AccessConfig:
    """What a visitor starts with; the accessibility menu changes it for one visit and
    the idle reset brings it back."""

    reduced_motion: bool = setting(False, en="no slides, count-ups or attract motion for anyone",
                                   zh="所有观众都不用滑动、数字滚动和循环动画")
    narration: bool = setting(True, en="recorded narration and read-aloud may play",
                              zh="可以播放录音讲解和朗读")
    volume: float = setting(0.8, minimum=0, maximum=1, en="the volume each visitor starts with",
                            zh="每位观众开始时的音量")
    read_aloud: bool = setting(True, en="offer \"read aloud\" when the speech engine is installed",
                               zh="安装了语音程序时提供“朗读”")
    speech_engine: str = setting(
        "espeak-ng", en="program that speaks (the espeak-ng command line; Debian package "
        "espeak-ng, Mandarin and English voices)", zh="朗读程序（espeak-ng 命令行；Debian 软件包 espeak-ng）")
    high_contrast_theme: str = setting("light", en="the theme the high-contrast switch shows",
                                       zh="“高对比度”开关显示的主题")
    keyboard: bool = setting(True, en="arrows, Enter and Back move a visible focus (tactile keypads)",
                             zh="方向键、回车和返回键移动可见的焦点（触觉键盘）")


def check_settings(f, config) -> None:
    """Warn (through the config's :class:`~kiosk.content.fields.Fields`) about settings
    below the accessibility rules: a countdown under 20 s (a volume out of range is an
    error of its declared range, :class:`AccessConfig`)."""
    idle = config.idle
    idle_lines = getattr(f.get("idle"), "lines", {})
    if idle.countdown < WCAG_WARNING_SECONDS and idle.reset_after > WCAG_WARNING_SECONDS:
        f.warning("idle.countdown",
                  f"'idle.countdown' is {idle.countdown:g} s: visitors must be warned at least "
                  f"{WCAG_WARNING_SECONDS:g} s before the screen resets (WCAG 2.2.1)",
                  f"'idle.countdown' 为 {idle.countdown:g} 秒：复位前应至少提前 "
                  f"{WCAG_WARNING_SECONDS:g} 秒提示观众（WCAG 2.2.1）", line=idle_lines.get("countdown"))


def reading_width(column_px: float, font_px: float, lang: str) -> float:
    """How wide running text in ``lang`` is set in a column ``column_px`` wide, with body
    text ``font_px`` high: the column, narrowed to the measure for Latin letters."""
    if lang.startswith(("zh", "ja", "ko")) or font_px <= 0:
        return column_px
    return min(column_px, LATIN_MEASURE_EM * font_px)
