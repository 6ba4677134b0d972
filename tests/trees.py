"""Content trees made at test time, for what a fixture folder cannot hold (hundreds of files)."""

from __future__ import annotations

from pathlib import Path


def one_long_section(tmp_path: Path, folder: str, layout: str, title: str, count: int,
                     page) -> Path:
    """A hall with one section of ``count`` exhibits ``item000.md``...; ``page(i)`` gives
    each file's text. Returns the content folder."""
    root = tmp_path / "content"
    (root / folder).mkdir(parents=True)
    (root / "site.yaml").write_text("title: {zh: 展厅, en: Hall}\nlanguages: [zh, en]\n",
                                    encoding="utf-8")
    (root / folder / "_section.yaml").write_text(f"title: {title}\nlayout: {layout}\n",
                                                 encoding="utf-8")
    for i in range(count):
        (root / folder / f"item{i:03d}.md").write_text(page(i), encoding="utf-8")
    return root


def exhibit_tree(root: Path, photo) -> Path:
    """A hall with one section ``a`` and one exhibit ``one`` whose picture is ``photo`` (a
    Pillow image, saved as PNG), with a body. Returns ``root``."""
    (root / "a" / "images").mkdir(parents=True)
    (root / "site.yaml").write_text("title: {zh: 展厅, en: Hall}\nlanguages: [zh, en]\n",
                                    encoding="utf-8")
    (root / "a" / "_section.yaml").write_text("title: 栏目\nlayout: grid\n", encoding="utf-8")
    photo.save(root / "a" / "images" / "photo.png")
    (root / "a" / "one.md").write_text(
        "---\ntitle: 展项\ncover: images/photo.png\n---\n正文第一段。\n\n正文第二段。\n",
        encoding="utf-8")
    return root
