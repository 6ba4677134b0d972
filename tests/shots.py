"""Looking at screenshots: what a part of the screen shows, read from the picture itself.

Screenshots go to the test's own folder; set ``KIOSK_SHOTS`` to a folder to keep them
for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageStat


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KIOSK_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def area(png: Path, widget) -> Image.Image:
    """The part of the screenshot ``png`` where ``widget`` is (within the window)."""
    image = Image.open(png).convert("RGB")
    x, y = widget.to_window(widget.x, widget.y)
    w, h = image.size
    left, right = max(0, int(x)), min(w, int(x + widget.width))
    top, bottom = max(0, int(h - y - widget.height)), min(h, int(h - y))
    assert right - left > 4 and bottom - top > 4, f"{widget} is not on the screen"
    return image.crop((left, top, right, bottom))


def _near(pixel, rgba, tolerance=40) -> bool:
    return all(abs(p - round(c * 255)) <= tolerance for p, c in zip(pixel, rgba[:3], strict=False))


def shows_text(png: Path, label) -> bool:
    """True when the label's area holds pixels of its text colour and of something else
    (letters on a background, not an empty or solid box)."""
    part = area(png, label)
    colours = part.getcolors(part.width * part.height)
    inked = sum(n for n, c in colours if _near(c, label.color))
    return 0.005 < inked / (part.width * part.height) < 0.9


def shows_picture(png: Path, widget) -> bool:
    """True when the widget's area holds a picture: many colours with real contrast."""
    part = area(png, widget)
    return len(part.getcolors(part.width * part.height) or ()) > 50 \
        and max(ImageStat.Stat(part.convert("L")).stddev) > 8
