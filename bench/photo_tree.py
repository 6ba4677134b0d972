"""The benchmark exhibition: 2,000 exhibits and 500 photos of 24 megapixels.

Photos are made with Pillow (every one different, so the content-hash cache
cannot share work between them) and kept in the system's temporary folder
between runs, because making 500 of them takes minutes. ``quick`` makes 60.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
from pathlib import Path

PHOTO_SIZE = (6000, 4000)  # 24 megapixels
PHOTOS = 500
QUICK_PHOTOS = 60
SECTIONS = 20
PER_SECTION = 100  # 2,000 exhibits
GALLERIES = 5  # the first sections are galleries holding the photos, 100 each
STORE = Path(tempfile.gettempdir()) / "kiosk-bench-photos-24mp"

_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f"
    "15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")


def _make_photo(n: int) -> str:
    from PIL import Image, ImageDraw

    path = STORE / f"photo{n:03d}.jpg"
    if path.exists():
        return str(path)
    small = Image.merge("RGB", [Image.effect_noise((240, 160), 50 + (n * 7 + k * 13) % 40)
                                for k in range(3)])
    tint = Image.new("RGB", small.size, ((n * 37) % 255, (n * 91) % 255, (n * 53) % 255))
    small = Image.blend(small, tint, 0.45)
    ImageDraw.Draw(small).text((10, 10), f"No. {n}", fill=(255, 255, 255))
    big = small.resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    tmp = path.with_suffix(".tmp")
    big.save(tmp, "JPEG", quality=88)
    os.replace(tmp, path)
    return str(path)


def photos(count: int, out=sys.stderr) -> list[Path]:
    """``count`` distinct 24 MP JPEGs, made once and reused by later runs."""
    STORE.mkdir(parents=True, exist_ok=True)
    missing = [n for n in range(count) if not (STORE / f"photo{n:03d}.jpg").exists()]
    if missing:
        out.write(f"making {len(missing)} photos of 24 MP in {STORE} (kept for later runs)\n")
        with multiprocessing.Pool(os.cpu_count() or 1) as pool:
            for done, _ in enumerate(pool.imap_unordered(_make_photo, missing), start=1):
                out.write(f"\r  {done}/{len(missing)}")
                out.flush()
        out.write("\n")
    return [STORE / f"photo{n:03d}.jpg" for n in range(count)]


def make_tree(root: Path, count: int = PHOTOS) -> dict:
    """Write the exhibition under ``root``; photos are hard links (or copies) of the store."""
    files = photos(count)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        "title: {zh: 岐山县党群服务中心, en: Qishan Service Center}\nlanguages: [zh, en]\n",
        encoding="utf-8")
    layouts = ("timeline", "grid", "article", "timeline", "grid")
    per_gallery = -(-count // GALLERIES)
    galleries = []
    for s in range(SECTIONS):
        gallery = s < GALLERIES
        sid = f"g{s + 1}" if gallery else f"s{s + 1}"
        folder = root / f"{s + 1:02d}-{sid}"
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "a.png").write_bytes(_PNG)
        cover = files[(s * 7) % count]
        _link(cover, folder / "images" / "cover.jpg")
        layout = "gallery" if gallery else layouts[s % len(layouts)]
        (folder / "_section.yaml").write_text(
            f"title: {{zh: 栏目{s + 1}, en: Section {s + 1}}}\nlayout: {layout}\n"
            f"cover: images/cover.jpg\n", encoding="utf-8")
        mine = files[s * per_gallery:(s + 1) * per_gallery] if gallery else []
        if gallery:
            galleries.append((sid, len(mine)))
        for i in range(PER_SECTION):
            picture = "images/a.png"
            if i < len(mine):
                picture = f"images/p{i}.jpg"
                _link(mine[i], folder / picture)
            year = 2000 + i % 24
            (folder / f"{year}-item{i}.md").write_text(
                f"---\ntitle: {{zh: 展项{s + 1}-{i}, en: Exhibit {s + 1}-{i}}}\n"
                f"date: {year}-{i % 12 + 1:02d}-01\nsummary: 岐山县党群服务中心的一项工作。\n"
                f"cover: {picture}\nimages:\n  - src: {picture}\n"
                f"    caption: {{zh: 照片{i}, en: Photo {i}}}\n---\n"
                f"# 标题\n\n正文第一段，介绍这项工作的**来历**与成效。\n\n- 要点一\n- 要点二\n",
                encoding="utf-8")
    return {"exhibits": SECTIONS * PER_SECTION, "photos": count, "galleries": galleries,
            "photo_mb": round(sum(f.stat().st_size for f in files) / 1048576, 1)}


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
