"""Bad input, part 2: odd files and folders on disk.

Each case: the exact problem (file, line, words) and that everything else
still loads. Big and odd files are made in ``tmp_path`` while the test runs.

Covered elsewhere (not repeated here):

- GBK files, UTF-16 with a byte-order mark, binary files named .md, BOM and CRLF:
  tests/test_encoding.py
- symlinks leading out of the content root (files, media folders, section folders):
  tests/test_paths.py::test_symlinked_file_pointing_outside_is_refused,
  ::test_symlinked_folder_pointing_outside_is_refused,
  ::test_section_folder_linking_outside_is_not_used
- the content root missing, for the loader: tests/test_loader.py::test_missing_content_folder
"""

from __future__ import annotations

import builtins
import logging
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest

from kiosk.content import ContentLoader, load_content
from kiosk.content.source import MAX_TEXT_BYTES
from kiosk.ui.navigation import route_exists

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a"
       b"\xa0\x1f\x00\x00\x00\x00IEND\xaeB`\x82")

BASE = {
    "site.yaml": "title: 展厅\n",
    "01-a/_section.yaml": "title: 栏目\nlayout: grid\n",
    "01-a/good.md": "---\ntitle: 好的展项\n---\n正文\n",
}


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def messages(content) -> list[str]:
    return [p.format(lang="en") for p in content.problems]


def assert_rest_loads(content):
    assert content.site.title.get() == "展厅"
    assert content.exhibit("a", "good").title.get() == "好的展项"


# ------------------------------------------------------------------ empty files


def test_empty_files_of_every_kind(tmp_path):
    write(tmp_path, {"01-a/x.md": "", "01-a/s.yaml": "", "01-a/fm.md": "---\n---\n",
                     "02-b/_section.yaml": "", "tours/t.yaml": ""})
    assert messages(load_content(tmp_path)) == [
        "01-a/fm.md:1: error: no front matter with a title: start the file with a '---' line, "
        "then 'title: ...', then another '---' line",
        "01-a/s.yaml:1: error: missing required field 'type'",
        "01-a/s.yaml:1: error: missing required field 'title'",
        "01-a/s.yaml:1: error: missing required field 'items'",
        "01-a/x.md:1: error: no front matter with a title: start the file with a '---' line, "
        "then 'title: ...', then another '---' line",
        "02-b/_section.yaml:1: error: missing required field 'title'",
        "02-b/_section.yaml:1: error: missing required field 'layout'",
        "tours/t.yaml:1: error: missing required field 'title'",
        "tours/t.yaml:1: error: missing required field 'steps'",
    ]
    assert_rest_loads(load_content(tmp_path))


def test_empty_site_yaml_keeps_the_sections(tmp_path):
    content = load_content(write(tmp_path, {"site.yaml": ""}))
    assert messages(content) == ["site.yaml:1: error: missing required field 'title'"]
    assert content.exhibit("a", "good") is not None


def test_zero_byte_pictures_are_reported_and_left_out(tmp_path):
    write(tmp_path, {"01-a/images/ok.png": PNG, "01-a/images/empty.jpg": b"",
                     "01-a/images/unused.jpg": b"",
                     "01-a/x.md": "---\ntitle: X\ncover: images/empty.jpg\n"
                                  "images: [images/ok.png, images/empty.jpg]\n---\n"})
    loader = ContentLoader(tmp_path)
    content = loader.load()
    assert messages(content) == [
        "01-a/x.md:3: error: 'cover': the file 'images/empty.jpg' is empty (0 bytes); "
        "copy it again",
        "01-a/x.md:4: error: image 2: the file 'images/empty.jpg' is empty (0 bytes); "
        "copy it again"]
    assert content.problems[0].message_zh == (
        "'cover'：文件 'images/empty.jpg' 是空的（0 字节）；请重新复制")
    ex = content.exhibit("a", "x")
    assert ex.cover is None and [m.src for m in ex.images] == ["01-a/images/ok.png"]
    # the copy finishes: the next load uses the picture, without touching x.md
    (tmp_path / "01-a/images/empty.jpg").write_bytes(PNG)
    content = loader.load()
    assert messages(content) == [] and loader.last_parsed == []
    assert content.exhibit("a", "x").cover.src == "01-a/images/empty.jpg"


# ------------------------------------------------------------------ big files


def test_a_1_gb_file_is_refused_without_reading_it(tmp_path):
    write(tmp_path, {"01-a/x.md": "", "01-a/s.yaml": ""})
    for name in ("x.md", "s.yaml"):
        with open(tmp_path / "01-a" / name, "wb") as fh:
            fh.truncate(1 << 30)  # sparse: takes no disk space
    started = time.perf_counter()
    content = load_content(tmp_path)
    assert time.perf_counter() - started < 1.0
    too_big = ("error: the file is too big (1 GB); a text file may be at most 2 MB. "
               "Is it really a text file?")
    assert messages(content) == [f"01-a/s.yaml: {too_big}", f"01-a/x.md: {too_big}"]
    assert content.problems[0].message_zh == "文件太大（1 GB）；文字文件最多 2 MB。请确认它确实是文字文件"
    assert_rest_loads(content)


def test_text_just_over_the_limit_is_refused_and_just_under_is_read(tmp_path):
    body = "党建引领发展。" * (MAX_TEXT_BYTES // 21)  # 21 bytes each in UTF-8
    head = "---\ntitle: 长文\n---\n"
    under = head + body[: (MAX_TEXT_BYTES - 100) // 3]
    write(tmp_path, {"01-a/under.md": under, "01-a/over.md": head + body + body})
    assert len((tmp_path / "01-a/under.md").read_bytes()) < MAX_TEXT_BYTES
    content = load_content(tmp_path)
    assert messages(content) == [
        "01-a/over.md: error: the file is too big (4 MB); a text file may be at most 2 MB. "
        "Is it really a text file?"]
    assert content.exhibit("a", "under").body.get().startswith("党建引领发展。")
    assert content.exhibit("a", "over") is None


def test_a_huge_file_named_jpg_is_refused_without_reading_it(tmp_path):
    write(tmp_path, {"01-a/huge.jpg": b"",
                     "01-a/x.md": "---\ntitle: X\ncover: huge.jpg\n---\n"})
    with open(tmp_path / "01-a/huge.jpg", "wb") as fh:
        fh.truncate(1 << 30)
    started = time.perf_counter()
    content = load_content(tmp_path)
    assert time.perf_counter() - started < 1.0  # only its first bytes are read
    assert messages(content) == [
        "01-a/x.md:3: error: 'cover': 'huge.jpg': this file is not a picture that can be read "
        "(is it really a JPEG or PNG? it may be damaged)"]
    assert content.exhibit("a", "x").cover is None


def _many_files(folder: Path, count: int) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        for i in range(count):
            os.close(os.open(f"IMG_{i:06d}.jpg", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd))
        for i in range(count // 100):  # sync-tool and editor leftovers, ignored
            os.close(os.open(f".~lock.{i}#", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd))
            os.close(os.open(f"part{i}.tmp", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd))
    finally:
        os.close(fd)


def _timed_load(root: Path) -> tuple[float, object]:
    loader = ContentLoader(root)
    started = time.perf_counter()
    content = loader.load()
    return time.perf_counter() - started, content


@pytest.fixture
def roomy_dir(tmp_path):
    """A folder in memory (/dev/shm) when there is one: creating 100,000 files on a
    journalled disk takes ~20 s, in memory ~1 s."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="kiosk-many-", dir=shm))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path


def test_100000_files_in_one_folder_load_in_linear_time(roomy_dir):
    page = "---\ntitle: X\ncover: IMG_000007.jpg\n---\n"
    small = write(roomy_dir / "small", {"01-a/x.md": page})
    big = write(roomy_dir / "big", {"01-a/x.md": page})
    _many_files(small / "01-a", 10_000)
    _many_files(big / "01-a", 100_000)
    (small / "01-a/IMG_000007.jpg").write_bytes(PNG)
    (big / "01-a/IMG_000007.jpg").write_bytes(PNG)
    t_small, _ = _timed_load(small)
    t_big, content = _timed_load(big)
    assert messages(content) == []  # unused pictures and leftovers say nothing
    assert content.exhibit("a", "x").cover.src == "01-a/IMG_000007.jpg"
    assert_rest_loads(content)
    assert t_big < 8.0, t_big
    assert t_big < 25 * max(t_small, 0.02), (t_small, t_big)  # 10x the files, not 100x the time


# ------------------------------------------------------------------ names


def test_names_with_spaces_chinese_and_emoji(tmp_path):
    content = load_content(write(tmp_path, {
        "02-历史 展厅 🎉/_section.yaml": "title: 历史\nlayout: gallery\n",
        "02-历史 展厅 🎉/第一 展项 😀.md":
            "---\ntitle: 第一\ncover: 图片 目录/照片 1 🌸.png\nimages:\n  - 图片 目录/照片 1 🌸.png\n---\n",
        "02-历史 展厅 🎉/图片 目录/照片 1 🌸.png": PNG,
        "tours/参观 路线 🚩.yaml": "title: 路线\nsteps:\n  - 历史 展厅 🎉/第一 展项 😀\n",
    }))
    assert messages(content) == []
    section = content.section("历史 展厅 🎉")
    exhibit = section.exhibit("第一 展项 😀")
    assert exhibit.cover.src == "02-历史 展厅 🎉/图片 目录/照片 1 🌸.png"
    assert exhibit.cover.path.is_file()
    assert content.tour("参观 路线 🚩").steps[0].route == "exhibit/历史 展厅 🎉/第一 展项 😀"
    for route in ("section/历史 展厅 🎉", "exhibit/历史 展厅 🎉/第一 展项 😀",
                  "photo/历史 展厅 🎉/1"):
        assert route_exists(content, route), route


@pytest.mark.parametrize(("value", "message"), [
    ("2016-13-45", "'date' has an invalid month: 2016-13-45"),
    ("2016-02-30", "'date' has an invalid day: 2016-02-30"),
    ("2016-00-10", "'date' has an invalid month: 2016-00-10"),
    ("2016-04-31", "'date' has an invalid day: 2016-04-31"),
    ("2015-02-29", "'date' has an invalid day: 2015-02-29"),
    ("99999", "'date' should be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-07-01), not '99999'"),
    ("16-7-1", "'date' should be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-07-01), not '16-7-1'"),
    ("'2016/07/01'",
     "'date' should be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-07-01), not '2016/07/01'"),
])
def test_impossible_dates(tmp_path, value, message):
    content = load_content(write(tmp_path, {"01-a/x.md": f"---\ntitle: X\ndate: {value}\n---\n"}))
    assert messages(content) == [f"01-a/x.md:3: error: {message}"]
    assert content.exhibit("a", "x").date is None  # shown, without a date
    assert_rest_loads(content)


def test_a_real_leap_day_is_a_date(tmp_path):
    content = load_content(write(tmp_path, {"01-a/x.md": "---\ntitle: X\ndate: 2016-02-29\n---\n"}))
    assert messages(content) == []
    date = content.exhibit("a", "x").date
    assert (date.year, date.month, date.day) == (2016, 2, 29)


# ------------------------------------------------------------------ encodings


def test_gb18030_with_four_byte_characters_is_read_with_a_warning(tmp_path):
    text = "---\ntitle: 㐀䶮𠀀😀 展项\n---\n镕喆堃\n"
    content = load_content(write(tmp_path, {"01-a/x.md": text.encode("gb18030")}))
    assert messages(content) == [
        "01-a/x.md: warning: the file is not saved as UTF-8; it was read as GBK (Chinese "
        "Windows encoding). Please re-save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"]
    ex = content.exhibit("a", "x")
    assert ex.title.get() == "㐀䶮𠀀😀 展项" and ex.body.get().strip() == "镕喆堃"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_without_a_byte_order_mark_are_errors(tmp_path, codec):
    text = "---\ntitle: 展项 X\n---\n正文\n"
    content = load_content(write(tmp_path, {"01-a/x.md": text.encode(codec)}))
    (problem,) = content.problems
    assert problem.path == "01-a/x.md" and problem.is_error
    assert "re-save it as UTF-8" in problem.message
    assert content.exhibit("a", "x") is None
    assert_rest_loads(content)


# ------------------------------------------------------------------ links


def test_symlink_loops_are_reported_and_never_followed(tmp_path):
    write(tmp_path, {"01-a/images/ok.png": PNG,
                     "01-a/x.md": "---\ntitle: X\nimages:\n  - images/self.png\n"
                                  "  - images/loop/loop/loop/ok.png\n  - images/a/b.png\n---\n"})
    os.symlink("self.md", tmp_path / "01-a/self.md")  # a file linking to itself
    os.symlink("self.png", tmp_path / "01-a/images/self.png")
    os.symlink(".", tmp_path / "01-a/images/loop")  # a folder containing itself
    os.symlink("b", tmp_path / "01-a/images/a")  # a -> b -> a
    os.symlink("a", tmp_path / "01-a/images/b")
    os.symlink("03-loop", tmp_path / "03-loop")  # a section folder linking to itself
    os.symlink("gone.md", tmp_path / "01-a/dangling.md")  # target missing
    started = time.perf_counter()
    content = load_content(tmp_path)
    assert time.perf_counter() - started < 1.0
    nowhere = ("error: this link leads nowhere (its target is missing, or it points to "
               "itself); it is not used")
    assert messages(content) == [
        f"01-a/dangling.md: {nowhere}",
        f"01-a/self.md: {nowhere}",
        "01-a/x.md:4: error: image 1: 'images/self.png' is a link that leads nowhere "
        "(its target is missing, or it points to itself)",
        "01-a/x.md:6: error: image 3: file not found: images/a/b.png",
        f"03-loop: {nowhere}",
    ]
    # a link to its own folder that ends at a real file inside the root is just a path
    assert [m.src for m in content.exhibit("a", "x").images] == [
        "01-a/images/loop/loop/loop/ok.png"]
    assert_rest_loads(content)


def test_content_files_linking_outside_are_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: 机密\n---\n", encoding="utf-8")
    (outside / "site.yaml").write_text("title: 别处\n", encoding="utf-8")
    root = write(tmp_path / "c", {})
    (root / "site.yaml").unlink()
    os.symlink(outside / "site.yaml", root / "site.yaml")
    os.symlink(outside / "secret.md", root / "01-a/secret.md")
    os.symlink("/etc/passwd", root / "01-a/passwd.md")
    content = load_content(root)
    outside_link = "error: this is a link to a place outside the content folder; it is not used"
    assert messages(content)[:3] == [f"01-a/passwd.md: {outside_link}",
                                     f"01-a/secret.md: {outside_link}",
                                     f"site.yaml: {outside_link}"]
    assert content.site.title.get() != "别处"
    assert content.exhibit("a", "secret") is None and content.exhibit("a", "passwd") is None
    assert content.exhibit("a", "good") is not None


# ------------------------------------------------------------------ permissions


def _deny(monkeypatch, denied: set[str]):
    """Make ``open``, ``os.scandir`` and ``os.access`` fail for ``denied`` paths, as for a
    user without rights (the tests run as root, who can read anything)."""
    real_open, real_scandir, real_access = builtins.open, os.scandir, os.access

    def refused(path) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.path.abspath(path) in denied

    def fake_open(path, *args, **kwargs):
        if refused(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def fake_scandir(path="."):
        if refused(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def fake_access(path, mode, **kwargs):
        return False if refused(path) else real_access(path, mode, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    monkeypatch.setattr(os, "access", fake_access)


def test_permission_denied_file_folder_and_picture(tmp_path, monkeypatch):
    """Simulated: open/scandir/access raise or refuse for three paths (see ``_deny``)."""
    root = write(tmp_path, {"01-a/locked.md": "---\ntitle: L\n---\n",
                            "01-a/p.png": PNG,
                            "01-a/x.md": "---\ntitle: X\ncover: p.png\n---\n",
                            "02-b/_section.yaml": "title: B\nlayout: grid\n",
                            "02-b/y.md": "---\ntitle: Y\n---\n"})
    os.chmod(root / "01-a/p.png", 0o600)  # not readable by others: the resolver asks access()
    _deny(monkeypatch, {str(root / "01-a/locked.md"), str(root / "02-b"),
                        str(root / "01-a/p.png")})
    content = load_content(root)
    assert messages(content) == [
        "01-a/locked.md: error: the file cannot be opened: Permission denied",
        "01-a/x.md:3: error: 'cover': the file 'p.png' cannot be read",
        "02-b: error: the folder cannot be read: Permission denied",
        "02-b: error: the folder '02-b' has no _section.yaml: add one to make it a section, "
        "or start the folder name with '_' if it only holds shared files",
    ]
    assert content.problems[0].message_zh == "文件无法打开：Permission denied"
    assert content.exhibit("a", "x").cover is None
    assert content.section("b") is None
    assert_rest_loads(content)


def test_permission_denied_for_real(tmp_path):
    """The same with real file modes, where the user running the tests is not root."""
    root = write(tmp_path, {"01-a/locked.md": "---\ntitle: L\n---\n"})
    locked = root / "01-a/locked.md"
    os.chmod(locked, 0)
    try:
        try:
            with open(locked, "rb"):
                pytest.skip("this user (root) can read a file with mode 000")
        except PermissionError:
            pass
        content = load_content(root)
        assert messages(content) == [
            "01-a/locked.md: error: the file cannot be opened: Permission denied"]
        assert_rest_loads(content)
    finally:
        os.chmod(locked, stat.S_IRUSR | stat.S_IWUSR)


# ------------------------------------------------------------------ missing root


def test_content_root_missing_at_start_stops_with_a_clear_message(tmp_path, caplog):
    """``kiosk run`` with no content folder exits with code 2 and says why; under
    systemd (Restart=always) it starts again until the folder is there (a late mount)."""
    from kiosk.ui.boot import run_kiosk

    missing = tmp_path / "not-mounted"
    with caplog.at_level(logging.WARNING):
        code = run_kiosk(content=str(missing), windowed=True)
    assert code == 2
    logged = [r.getMessage() for r in caplog.records]
    assert f"content folder {missing} does not exist" in logged
    assert any(m.endswith(f"{missing}: error: 内容文件夹不存在：{missing} / the content folder does not "
                          f"exist: {missing}") for m in logged)

