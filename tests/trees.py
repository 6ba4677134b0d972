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
