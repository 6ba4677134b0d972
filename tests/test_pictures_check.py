"""Every picture is proven before it is shown: `kiosk check` and the loader open and
decode each one, and say at the line naming it what is wrong (real files, no window)."""

from __future__ import annotations

import json
import os

import pytest
from badpictures import (
    SITE,
    bomb,
    fifo,
    heic,
    huge_text_chunk,
    page,
    photo,
    section,
    strip,
    text_named_jpg,
    truncated,
)

from kiosk.cli import main
from kiosk.content.loader import ContentLoader
from kiosk.images.verify import PictureChecks


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """`kiosk check` remembers pictures in ~/.cache/kiosk: a home of the test's own."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # no kiosk.yaml here


def check(root, capsys) -> tuple[int, list[str]]:
    code = main(["check", str(root), "--lang", "en"])
    lines = capsys.readouterr().out.splitlines()
    return code, lines


def hall(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    return root, section(root, "01-photos", "gallery", "照片")


def test_broken_pictures_are_errors_at_the_line_naming_them(tmp_path, capsys):
    root, sec = hall(tmp_path)
    truncated(sec / "images" / "cut.jpg")
    truncated(sec / "images" / "cut.png")
    text_named_jpg(sec / "images" / "notes.jpg")
    bomb(sec / "images" / "bomb.png")
    strip(sec / "images" / "strip.png")
    huge_text_chunk(sec / "images" / "chunk.png")
    photo(sec / "images" / "good.jpg")
    page(sec / "a.md", "相册", "cover: images/cut.jpg\nimages:\n  - images/cut.png\n"
         "  - images/notes.jpg\n  - images/bomb.png\n  - images/strip.png\n"
         "  - images/chunk.png\n  - images/good.jpg\n",
         body="正文\n\n![说明](images/cut.jpg)\n")
    code, lines = check(root, capsys)
    where = f"{root}/01-photos/a.md"
    assert code == 1
    assert lines == [
        f"{where}:3: error: 'cover': 'images/cut.jpg': the picture is incomplete (the file was "
        f"cut off, perhaps while copying); copy it again",
        f"{where}:5: error: image 1: 'images/cut.png': the picture is incomplete (the file was "
        f"cut off, perhaps while copying); copy it again",
        f"{where}:6: error: image 2: 'images/notes.jpg': this file holds text, not a picture, "
        f"although its name ends in .jpg",
        f"{where}:7: error: image 3: 'images/bomb.png': the picture has too many pixels "
        f"(30000 x 30000, more than 120 million; the limit is images.max_pixels in kiosk.yaml); "
        f"make it smaller",
        f"{where}:8: error: image 4: 'images/strip.png': the picture is 1 x 100000 pixels, a "
        f"strip far longer than it is wide; it cannot be shown sensibly (at most 20 times "
        f"longer than wide)",
        f"{where}:9: error: image 5: 'images/chunk.png': the picture carries too much extra "
        f"data to be read safely (Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK)"
        f"; save it again with an image editor",
        f"{where}:14: error: 'images/cut.jpg': the picture is incomplete (the file was cut off, "
        f"perhaps while copying); copy it again",
        "7 errors, 0 warnings",
    ]
    exhibit = ContentLoader(root).load().exhibit("photos", "a")
    assert [m.src for m in exhibit.images] == ["01-photos/images/good.jpg"]  # no empty frames
    assert exhibit.cover is None


def test_the_pixel_limit_comes_from_kiosk_yaml(tmp_path, capsys):
    root, sec = hall(tmp_path)
    photo(sec / "p.jpg", (1000, 800))
    page(sec / "a.md", "A", "cover: p.jpg\n")
    (tmp_path / "kiosk.yaml").write_text("images:\n  max_pixels: 500000\n", encoding="utf-8")
    code = main(["check", str(root), "--lang", "en", "--config", str(tmp_path / "kiosk.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert "'cover': 'p.jpg': the picture has too many pixels (1000 x 800, more than 0.5 " \
           "million; the limit is images.max_pixels in kiosk.yaml)" in out
    from kiosk.images.decode import set_max_pixels

    set_max_pixels(120_000_000)


def test_phone_photos_heic_shown_renamed_ones_warned(tmp_path, capsys):
    root, sec = hall(tmp_path)
    heic(sec / "phone.heic")
    heic(sec / "IMG_0420.jpg")
    page(sec / "a.md", "A", "images:\n  - phone.heic\n  - IMG_0420.jpg\n")
    code, lines = check(root, capsys)
    assert code == 0
    assert lines == [
        f"{root}/01-photos/a.md:5: warning: image 2: 'IMG_0420.jpg': this is a HEIC photo from "
        f"a phone renamed .jpg; it is shown, but other programs may not open it: save it as "
        f"JPEG, or name it .heic",
        "content OK: 1 section, 1 exhibit, 0 tours (1 warning)"]
    exhibit = ContentLoader(root).load().exhibit("photos", "a")
    assert [m.src for m in exhibit.images] == ["01-photos/phone.heic", "01-photos/IMG_0420.jpg"]
    from kiosk.images import Pipeline

    decoded = Pipeline(tmp_path / "cache").load(str(sec / "phone.heic"), (160, 160))
    assert (decoded.width, decoded.height) == (160, 120)


def test_letter_case_and_oversized_photos(tmp_path, capsys):
    root, sec = hall(tmp_path)
    photo(sec / "images" / "IMG_0420.JPG")
    photo(sec / "images" / "wide.jpg", (3660, 600))
    page(sec / "a.md", "A", "cover: images/IMG_0420.jpg\nimages: images/wide.jpg\n")
    code, lines = check(root, capsys)
    assert code == 1
    assert lines[0] == (
        f"{root}/01-photos/a.md:3: error: 'cover': file not found: images/IMG_0420.jpg — did you "
        f"mean 'images/IMG_0420.JPG'? (capital and small letters must match)")
    assert lines[1].startswith(
        f"{root}/01-photos/a.md:4: warning: 'images/wide.jpg': the picture is larger than the "
        f"screen needs (3660 x 600 pixels, ")
    assert "at most 2000 pixels on the long side and 1 MB load faster" in lines[1]


def test_only_ordinary_files_inside_the_content_folder(tmp_path, capsys):
    root, sec = hall(tmp_path)
    fifo(sec / "pipe.jpg")
    fifo(sec / "notes.md")
    os.symlink("/dev/zero", sec / "zero.jpg")
    os.symlink(photo(tmp_path / "outside" / "p.jpg"), sec / "away.jpg")
    page(sec / "a.md", "A", "images:\n  - pipe.jpg\n  - zero.jpg\n  - away.jpg\n")
    code, lines = check(root, capsys)  # returns: nothing waits on the pipe
    assert code == 1
    where = f"{root}/01-photos"
    assert f"{where}/a.md:4: error: image 1: 'pipe.jpg' is not an ordinary file (a pipe, a " \
           f"device or a socket); put a picture or video file there" in lines
    assert f"{where}/a.md:5: error: image 2: 'zero.jpg' is a link to a place outside the " \
           f"content folder; it is not used" in lines
    assert f"{where}/a.md:6: error: image 3: 'away.jpg' is a link to a place outside the " \
           f"content folder; it is not used" in lines
    assert f"{where}/notes.md: error: this is not an ordinary file (a pipe, a device or a " \
           f"socket); it is not used" in lines


def test_a_device_file_named_like_a_picture_is_refused(tmp_path, capsys):
    import stat

    root, sec = hall(tmp_path)
    try:
        os.mknod(sec / "null.jpg", 0o644 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("only root can make a device file here")
    page(sec / "a.md", "A", "cover: null.jpg\n")
    code, lines = check(root, capsys)
    assert code == 1
    assert lines[0] == f"{root}/01-photos/a.md:3: error: 'cover': 'null.jpg' is not an ordinary " \
                       f"file (a pipe, a device or a socket); put a picture or video file there"


def test_section_covers_posters_honors_logo_and_web_pictures(tmp_path, capsys):
    root, sec = hall(tmp_path)
    truncated(root / "_shared" / "logo.png")
    (root / "site.yaml").write_text(SITE + "logo: _shared/logo.png\n", encoding="utf-8")
    truncated(sec / "cover.jpg")
    (sec / "_section.yaml").write_text("title: 照片\nlayout: gallery\ncover: cover.jpg\n",
                                       encoding="utf-8")
    text_named_jpg(sec / "poster.jpg")
    (sec / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    page(sec / "a.md", "A", "video:\n  src: clip.mp4\n  poster: poster.jpg\n",
         body="![网](http://example.com/a.jpg)\n\n![本地](file:///etc/a.jpg)\n")
    honors = section(root, "02-honors", "honors", "荣誉")
    strip(honors / "cert.png")
    (honors / "list.yaml").write_text(
        "type: honors\ntitle: 荣誉\nitems:\n  - title: 奖\n    image: cert.png\n",
        encoding="utf-8")
    code, lines = check(root, capsys)
    text = "\n".join(lines)
    assert code == 1
    assert f"{root}/site.yaml:3: error: 'logo': '_shared/logo.png': the picture is incomplete" \
        in text
    assert f"{root}/01-photos/_section.yaml:3: error: 'cover': 'cover.jpg': the picture is " \
           f"incomplete" in text
    assert f"{root}/01-photos/a.md:5: error: video: 'poster': 'poster.jpg': this file holds " \
           f"text" in text
    assert f"{root}/01-photos/a.md:7: error: web addresses are not supported " \
           f"(http://example.com/a.jpg)" in text
    assert f"{root}/01-photos/a.md:9: error: web addresses are not supported " \
           f"(file:///etc/a.jpg)" in text
    assert f"{root}/02-honors/list.yaml:5: error: item 1: 'image': 'cert.png': the picture is " \
           f"1 x 100000 pixels" in text


def test_a_second_check_reads_no_picture_again(tmp_path, capsys):
    root, sec = hall(tmp_path)
    for i in range(5):
        photo(sec / f"p{i}.jpg")
    truncated(sec / "cut.jpg")
    page(sec / "a.md", "A", "images: [p0.jpg, p1.jpg, p2.jpg, p3.jpg, p4.jpg, cut.jpg]\n")
    first = check(root, capsys)
    remembered = tmp_path / "home" / ".cache" / "kiosk" / "picture-checks.json"
    assert len(json.loads(remembered.read_text(encoding="utf-8"))["pictures"]) == 6
    pictures = PictureChecks()
    pictures.load(remembered)
    ContentLoader(root, pictures=pictures).load()
    assert pictures.checked == 0  # every answer came from the file
    assert check(root, capsys) == first
    truncated(sec / "p0.jpg")  # a changed file is proven again
    pictures.load(remembered)
    content = ContentLoader(root, pictures=pictures).load()
    assert pictures.checked == 1
    assert [p.message for p in content.errors if "p0.jpg" in p.message]


def test_folders_print_plainly(tmp_path, capsys):
    code, lines = check(tmp_path / "nope", capsys)
    assert code == 1
    assert lines[0] == f"{tmp_path}/nope: error: the content folder does not exist: " \
                       f"{tmp_path}/nope"
    code, lines = check(f"{tmp_path}/nope/", capsys)
    assert lines[0].startswith(f"{tmp_path}/nope: error:")


def test_a_folder_spelt_in_other_letter_case_gets_a_hint(tmp_path, capsys):
    root, sec = hall(tmp_path)
    photo(sec / "Images" / "a.jpg")
    photo(root / "_shared" / "Logo.PNG")
    page(sec / "a.md", "A", "cover: images/a.jpg\nimages: ../_shared/logo.png\n")
    code, lines = check(root, capsys)
    assert code == 1
    assert "did you mean 'Images/a.jpg'?" in lines[0]
    assert "did you mean '_shared/Logo.PNG'?" in lines[1]


def test_folders_print_plainly_in_json_too(tmp_path, capsys):
    assert main(["check", f"{tmp_path}/nope/", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"][0]["file"] == f"{tmp_path}/nope"


def test_a_broken_theme_background_is_named(tmp_path, capsys):
    import shutil

    from conftest import ROOT

    root, sec = hall(tmp_path)
    theme = shutil.copytree(ROOT / "themes" / "party-red", tmp_path / "theme")
    truncated(theme / "images" / "background.jpg", (1080, 1920))
    assert main(["check", str(root), "--theme", str(theme), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert f"{theme}/theme.yaml: error: 'background.image': the picture is incomplete" in out


def test_without_pillow_heif_a_heic_photo_is_refused_clearly(tmp_path, monkeypatch):
    from kiosk.images import verify

    path = heic(tmp_path / "phone.heic")
    monkeypatch.setattr(verify, "HEIF_AVAILABLE", False)
    assert verify.check_picture(str(path)) == (("error",
        "this is a HEIC photo from a phone, and this kiosk cannot read HEIC (the pillow-heif "
        "package is missing); save it as JPEG",
        "这是手机拍的 HEIC 格式照片，本机无法读取 HEIC（缺少 pillow-heif）；请另存为 JPEG"),)
