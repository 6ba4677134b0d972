"""File names to ignore, ids from names, and media paths confined to the content root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.content import load_content
from kiosk.content.paths import MediaResolver, id_from_name, is_ignored, media_kind

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f"
    "15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")


@pytest.mark.parametrize("name", [
    ".hidden", ".DS_Store", "Thumbs.db", "thumbs.db", "desktop.ini", "Desktop.ini",
    "a.md.swp", "a.md.swo", "a.md~", ".~lock.a.docx#", "~$report.docx", ".syncthing.a.md.tmp",
    ".a.md.Ab12Cd", "upload.tmp", "video.mp4.part", "photo.jpg.crdownload",
])
def test_ignored_names(name):
    assert is_ignored(name)


@pytest.mark.parametrize("name", ["a.md", "_section.yaml", "notes.txt", "2015.md", "tmp.md"])
def test_names_not_ignored(name):
    assert not is_ignored(name)


@pytest.mark.parametrize("name,expected", [
    ("01-history", "history"), ("1_intro", "intro"), ("123-x", "x"),
    ("2015-center-opens", "2015-center-opens"), ("history", "history"), ("01-02-x", "02-x"),
])
def test_id_from_name(name, expected):
    assert id_from_name(name) == expected


def test_media_kind():
    assert media_kind("a/B.JPG") == "image"
    assert media_kind("x.webm") == "video"
    assert media_kind("x.pdf") is None


def tree(tmp_path: Path, cover: str, extra=None) -> Path:
    root = tmp_path / "content"
    (root / "01-a" / "images").mkdir(parents=True)
    (root / "site.yaml").write_text("title: T\n", encoding="utf-8")
    (root / "01-a" / "_section.yaml").write_text("title: A\nlayout: grid\n", encoding="utf-8")
    (root / "01-a" / "images" / "in.png").write_bytes(PNG)
    (root / "01-a" / "x.md").write_text(f"---\ntitle: X\ncover: {cover}\n---\n", encoding="utf-8")
    (tmp_path / "outside.png").write_bytes(PNG)
    if extra:
        extra(root, tmp_path)
    return root


def cover_problem(root: Path) -> list[str]:
    return [p.format(lang="en") for p in load_content(root).problems]


def test_relative_media_resolves_inside(tmp_path):
    content = load_content(tree(tmp_path, "images/in.png"))
    cover = content.exhibit("a", "x").cover
    assert content.problems == ()
    assert cover.src == "01-a/images/in.png"
    assert cover.path == tmp_path / "content" / "01-a" / "images" / "in.png"


def test_dotdot_inside_the_root_is_fine(tmp_path):
    content = load_content(tree(tmp_path, "../01-a/./images/in.png"))
    assert content.exhibit("a", "x").cover.src == "01-a/images/in.png"


def test_windows_backslashes_are_accepted(tmp_path):
    content = load_content(tree(tmp_path, "images\\in.png"))
    assert content.exhibit("a", "x").cover.src == "01-a/images/in.png"


def test_dotdot_escaping_the_root(tmp_path):
    assert cover_problem(tree(tmp_path, "../../outside.png")) == [
        "01-a/x.md:3: error: 'cover': the path '../../outside.png' points outside the content folder"]


def test_absolute_path(tmp_path):
    path = str(tmp_path / "outside.png")
    assert cover_problem(tree(tmp_path, path)) == [
        f"01-a/x.md:3: error: 'cover': the path '{path}' is absolute; "
        f"write it relative to this file"]


def test_windows_drive_path(tmp_path):
    assert cover_problem(tree(tmp_path, "'C:\\Users\\a.png'")) == [
        "01-a/x.md:3: error: 'cover': the path 'C:\\Users\\a.png' is absolute; "
        "write it relative to this file"]


def test_web_address(tmp_path):
    assert cover_problem(tree(tmp_path, "https://example.org/a.png")) == [
        "01-a/x.md:3: error: 'cover': web addresses are not supported "
        "(https://example.org/a.png); put the file in the content folder"]


def test_symlinked_file_pointing_outside_is_refused(tmp_path):
    def link(root, tmp):
        os.symlink(tmp / "outside.png", root / "01-a" / "images" / "link.png")

    root = tree(tmp_path, "images/link.png", link)
    content = load_content(root)
    assert [p.format(lang="en") for p in content.problems] == [
        "01-a/x.md:3: error: 'cover': 'images/link.png' is a link to a place outside "
        "the content folder; it is not used"]
    assert content.exhibit("a", "x").cover is None


def test_symlinked_folder_pointing_outside_is_refused(tmp_path):
    def link(root, tmp):
        os.symlink(tmp, root / "01-a" / "elsewhere")

    assert cover_problem(tree(tmp_path, "elsewhere/outside.png", link)) == [
        "01-a/elsewhere: error: this is a link to a place outside the content folder; "
        "it is not used",
        "01-a/x.md:3: error: 'cover': 'elsewhere/outside.png' is a link to a place outside "
        "the content folder; it is not used"]


def test_symlink_staying_inside_is_fine(tmp_path):
    def link(root, tmp):
        os.symlink(root / "01-a" / "images" / "in.png", root / "01-a" / "alias.png")

    content = load_content(tree(tmp_path, "alias.png", link))
    assert content.problems == ()
    assert content.exhibit("a", "x").cover.src == "01-a/alias.png"


def test_section_folder_linking_outside_is_not_used(tmp_path):
    def link(root, tmp):
        (tmp / "foreign").mkdir()
        (tmp / "foreign" / "_section.yaml").write_text("title: F\nlayout: grid\n")
        os.symlink(tmp / "foreign", root / "02-foreign")

    content = load_content(tree(tmp_path, "images/in.png", link))
    assert [p.format(lang="en") for p in content.problems] == [
        "02-foreign: error: this is a link to a place outside the content folder; it is not used"]
    assert [s.id for s in content.sections] == ["a"]


def test_missing_file_and_folder_given_as_file(tmp_path):
    def folder(root, tmp):
        (root / "01-a" / "dir.png").mkdir()

    assert cover_problem(tree(tmp_path, "dir.png", folder)) == [
        "01-a/x.md:3: error: 'cover': file not found: dir.png"]


def test_resolver_records_what_it_checked(tmp_path):
    root = tree(tmp_path, "images/in.png")
    resolver = MediaResolver(str(root))
    problems = []
    media = resolver.resolve("01-a/x.md", "images/in.png", 3, "cover", "image", problems)
    missing = resolver.resolve("01-a/x.md", "images/no.png", 4, "cover", "image", problems)
    assert media is not None and missing is None
    folder = root / "01-a" / "images"
    assert resolver.checked == {str(folder / "in.png"): True,
                                # where a picture for one language would be (none here)
                                str(folder / "in.zh.png"): False,
                                str(folder / "in.en.png"): False,
                                str(folder / "no.png"): False}
    assert [p.message for p in problems] == ["file not found: images/no.png"]
