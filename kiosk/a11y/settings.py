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

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PanelConfig:
    """The physical screen: its diagonal and the height of its bottom edge above the floor."""

    diagonal_inches: float = 55.0
    mount_bottom_mm: float = 700.0

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

    reduced_motion: bool = False  # no slides, count-ups or attract motion
    narration: bool = True  # recorded narration and read-aloud may play
    volume: float = 0.8  # 0 (silent) .. 1
    read_aloud: bool = True  # offer "read aloud" when a speech engine is installed
    speech_engine: str = "espeak-ng"  # program that speaks (espeak-ng command line)
    high_contrast_theme: str = "light"  # theme the high-contrast switch shows
    keyboard: bool = True  # arrows, Enter and Back move a visible focus


PANEL_KEYS = ("diagonal_inches", "mount_bottom_mm")
ACCESS_KEYS = ("reduced_motion", "narration", "volume", "read_aloud", "speech_engine",
               "high_contrast_theme", "keyboard")


def check_settings(f, config) -> None:
    """Warn (through the config's :class:`~kiosk.content.fields.Fields`) about settings
    below the accessibility rules: a countdown under 20 s, a volume out of range."""
    idle = config.idle
    idle_lines = getattr(f.get("idle"), "lines", {})
    if idle.countdown < WCAG_WARNING_SECONDS and idle.reset_after > WCAG_WARNING_SECONDS:
        f.warning("idle.countdown",
                  f"'idle.countdown' is {idle.countdown:g} s: visitors must be warned at least "
                  f"{WCAG_WARNING_SECONDS:g} s before the screen resets (WCAG 2.2.1)",
                  f"'idle.countdown' 为 {idle.countdown:g} 秒：复位前应至少提前 "
                  f"{WCAG_WARNING_SECONDS:g} 秒提示观众（WCAG 2.2.1）", line=idle_lines.get("countdown"))
    if not 0 <= config.accessibility.volume <= 1:
        f.warning("accessibility.volume", "'accessibility.volume' must be between 0 and 1",
                  "'accessibility.volume' 应在 0 到 1 之间",
                  line=getattr(f.get("accessibility"), "lines", {}).get("volume"))
