"""Real picture files, good and bad, made with Pillow and pillow-heif at test time."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, PngImagePlugin

SITE = "title: {zh: 展厅, en: Hall}\nlanguages: [zh, en]\n"


def photo(path: Path, size=(640, 480), color=(180, 40, 40)) -> Path:
    """A real JPEG (noise, so it is not tiny); PNG when the name ends in .png."""
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.merge("RGB", [Image.effect_noise(size, 40).point(lambda v, c=c: (v + c) % 256)
                             for c in color])
    im.save(path, "PNG" if path.suffix.lower() == ".png" else "JPEG", quality=85)
    return path


def truncated(path: Path, size=(640, 480)) -> Path:
    """A picture cut off halfway, as a copy interrupted leaves it."""
    photo(path, size)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def heic(path: Path, size=(320, 240)) -> Path:
    """A HEIC photo as a phone writes it (under whatever name it is given)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (20, 90, 200)).save(path, "HEIF")
    return path


def text_named_jpg(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("这不是图片 / not a picture\n", encoding="utf-8")
    return path


def bomb(path: Path) -> Path:
    """30,000 x 30,000 pixels in a few kilobytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("1", (30_000, 30_000)).save(path)
    return path


def strip(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("L", (1, 100_000), 128).save(path)
    return path


def huge_text_chunk(path: Path) -> Path:
    """A PNG carrying a compressed text chunk larger than Pillow reads safely."""
    path.parent.mkdir(parents=True, exist_ok=True)
    info = PngImagePlugin.PngInfo()
    info.add_itxt("comment", "x" * (2 * 1024 * 1024), zip=True)
    Image.new("RGB", (10, 10)).save(path, pnginfo=info)
    return path


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def section(root: Path, folder: str, layout: str = "grid", title: str = "栏目") -> Path:
    (root / folder).mkdir(parents=True, exist_ok=True)
    (root / folder / "_section.yaml").write_text(f"title: {title}\nlayout: {layout}\n",
                                                 encoding="utf-8")
    return root / folder


def page(path: Path, title: str, extra: str = "", body: str = "正文。\n") -> Path:
    path.write_text(f"---\ntitle: {title}\n{extra}---\n{body}", encoding="utf-8")
    return path
