"""Staff change the content with real commands while the kiosk runs; the screen follows.

Each test starts the real app offscreen on a copy of a small exhibition, with the
real watcher and reloader, then changes the tree the way staff do: ``cp``, ``mv``,
``rsync -a``, ``unzip``, an editor's save by rename, a slow copy of a large photo,
200 files at once, a YAML mistake and its fix, a deleted folder. Real time passes
while the app draws frames, until the screen shows the change (bounded). Then, after
a quiet spell in which a second reload would show up:

* the status file reports the expected ``content.version`` (one step per burst)
  and errors;
* the widget tree shows the new state;
* the content on screen equals a fresh load of the final tree.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
import zipfile

import pytest
from conftest import FIXTURES
from PIL import Image as PILImage

from kiosk.content.loader import ContentLoader
from kiosk.ui.reload import Reloader
from kiosk.ui.screens.grid import ExhibitCard
from kiosk.ui.widgets.common import Picture

BASIC = FIXTURES / "ui-basic"
SETTLE = 0.15  # quiet time while a file is still open for writing (the kiosk uses 0.3)
QUIET = 0.6  # after the change shows: long enough for a second report to arrive
TIMEOUT = 10.0
RSYNC = shutil.which("rsync")
UNZIP = shutil.which("unzip")

pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")


@pytest.fixture
def hall(tmp_path):
    return shutil.copytree(BASIC, tmp_path / "content")


@pytest.fixture
def staging(tmp_path):
    folder = tmp_path / "staging"  # outside the content tree, like a USB stick
    folder.mkdir()
    return folder


def start(kiosk, content, route=None, settle=SETTLE):
    app = kiosk.start(content)
    reloader = Reloader(app, "native", settle=settle, check_every=0.2)
    app.reloader = reloader.start()  # the app stops it when it stops
    assert reloader.watcher.active_mode == "native"
    if route:
        assert app.go(route)
        kiosk.settle()
    assert app.content_version == 1
    return app, reloader


def run(*command, **kw):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          timeout=60, **kw)
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr}"
    return done


def pump(kiosk, seconds: float):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kiosk.frames(1)
        time.sleep(0.01)


def pump_until(kiosk, condition, timeout: float = TIMEOUT) -> bool:
    """Let real time pass (the watcher thread works) while the app draws frames."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        kiosk.frames(1)
        time.sleep(0.01)
    return bool(condition())


def settled(kiosk, app, version: int) -> dict:
    """Wait until ``content.version`` reached ``version``, then that it stays there."""
    assert pump_until(kiosk, lambda: app.content_version >= version), (
        f"content.version is {app.content_version}, expected {version}")
    pump(kiosk, QUIET)
    kiosk.settle()
    status = kiosk.status()
    assert status["content"]["version"] == version  # one step per burst, no more
    assert status["screen"] == kiosk.route
    return status


def shows_fresh_load(app, content) -> bool:
    return app.content == ContentLoader(content).load()


def page(title: str, extra: str = "", body: str = "正文。") -> str:
    return f"---\ntitle: {title}\n{extra}---\n{body}\n"


def on_screen(kiosk) -> list[str]:
    return kiosk.texts(kiosk.screen)


# ----------------------------------------------------------------- commands


def test_cp_of_a_page_and_its_photo_adds_a_card(kiosk, hall, staging):
    app, reloader = start(kiosk, hall, "section/more")
    PILImage.new("RGB", (64, 48), (200, 30, 30)).save(staging / "two.jpg")
    (staging / "two.md").write_text(page("第二项", "cover: two.jpg\n"), encoding="utf-8")
    run("cp", staging / "two.md", staging / "two.jpg", hall / "02-more")
    status = settled(kiosk, app, 2)
    assert status["content"]["errors"] == []
    assert kiosk.route == "section/more"
    assert sorted(c.title for c in kiosk.widgets(ExhibitCard, kiosk.screen)) == ["第一项", "第二项"]
    assert shows_fresh_load(app, hall)


def test_mv_of_an_exhibit_to_another_section(kiosk, hall):
    app, reloader = start(kiosk, hall, "exhibit/notes/markup")
    run("mv", hall / "01-notes" / "markup.md", hall / "02-more" / "markup.md")
    settled(kiosk, app, 2)
    assert kiosk.route == "section/notes"  # the page left its section: back to the section
    assert [c.title for c in kiosk.widgets(ExhibitCard, kiosk.screen)] == ["普通展项"]
    assert app.content.exhibit("more", "markup") is not None
    assert app.content.exhibit("notes", "markup") is None
    assert shows_fresh_load(app, hall)


@pytest.mark.skipif(RSYNC is None, reason="rsync is not installed (Debian: apt-get install rsync)")
def test_rsync_of_a_new_section_is_one_reload(kiosk, hall, staging):
    app, reloader = start(kiosk, hall, "home")
    new = staging / "03-rsync"
    new.mkdir()
    (new / "_section.yaml").write_text("title: {zh: 同步栏目, en: Synced}\nlayout: grid\n",
                                       encoding="utf-8")
    for i in range(5):
        (new / f"e{i}.md").write_text(page(f"同步{i}"), encoding="utf-8")
    run(RSYNC, "-a", f"{staging}/", f"{hall}/")  # temporaries, then a rename each
    status = settled(kiosk, app, 2)
    assert status["content"]["errors"] == []
    kiosk.find_text("同步栏目")  # its card is on the home screen
    assert [e.id for e in app.content.section("rsync").exhibits] == [f"e{i}" for i in range(5)]
    assert shows_fresh_load(app, hall)


@pytest.mark.skipif(UNZIP is None, reason="unzip is not installed (Debian: apt-get install unzip)")
def test_unzip_of_a_whole_section_is_one_reload(kiosk, hall, staging):
    app, reloader = start(kiosk, hall, "home")
    photo = staging / "p.jpg"
    PILImage.new("RGB", (120, 90), (30, 30, 200)).save(photo)
    pack = staging / "section.zip"
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("04-zip/_section.yaml", "title: {zh: 压缩包栏目, en: Unzipped}\nlayout: grid\n")
        for i in range(3):
            zf.writestr(f"04-zip/z{i}.md", page(f"解压{i}", "cover: images/p.jpg\n"))
        zf.write(photo, "04-zip/images/p.jpg")
    run(UNZIP, "-q", pack, "-d", hall)
    status = settled(kiosk, app, 2)
    assert status["content"]["errors"] == []
    kiosk.find_text("压缩包栏目")
    assert [app.t(e.title) for e in app.content.section("zip").exhibits] == [
        "解压0", "解压1", "解压2"]
    assert shows_fresh_load(app, hall)


def test_an_editor_save_by_rename_shows_the_new_text(kiosk, hall):
    app, reloader = start(kiosk, hall, "exhibit/notes/plain")
    kiosk.find_text("普通展项")
    temp = hall / "01-notes" / ".goutputstream-K2Q8XZ"  # gedit's temporary name
    temp.write_text(page("编辑器保存的标题", "featured: true\n"), encoding="utf-8")
    run("mv", temp, hall / "01-notes" / "plain.md")
    settled(kiosk, app, 2)
    assert kiosk.route == "exhibit/notes/plain"  # the visitor stays on the page
    kiosk.find_text("编辑器保存的标题")
    assert "普通展项" not in on_screen(kiosk)
    assert shows_fresh_load(app, hall)


# ------------------------------------------------------------ slow and many


def noise_jpeg(path, size, seed=0):
    """A photo that does not compress: megabytes, so the copy takes a while."""
    w, h = size
    rnd = random.Random(seed)
    PILImage.frombytes("RGB", size, rnd.randbytes(w * h * 3)).save(path, "JPEG", quality=92)


# A slow writer: the file stays open between chunks, with pauses longer than the
# watcher's quick wait for finished files (but shorter than its settle time).
WRITER = """
import sys, time
src, dst, chunk, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
data = open(src, "rb").read()
with open(dst, "wb") as out:
    for i in range(0, len(data), chunk):
        out.write(data[i:i + chunk])
        out.flush()
        time.sleep(pause)
"""


def test_a_slow_copy_of_a_large_photo_is_loaded_once_complete(kiosk, hall, staging):
    photo = hall / "01-notes" / "images" / "big.jpg"
    photo.parent.mkdir()
    PILImage.new("RGB", (300, 300), (250, 0, 0)).save(photo)
    (hall / "01-notes" / "plain.md").write_text(
        page("普通展项", "featured: true\ncover: images/big.jpg\nimages: [images/big.jpg]\n"),
        encoding="utf-8")
    app, reloader = start(kiosk, hall, "exhibit/notes/plain", settle=0.3)
    sizes_at_load = []
    load = reloader.loader.load

    def watched_load(changed=None):
        sizes_at_load.append(photo.stat().st_size)
        return load(changed=changed)

    reloader.loader.load = watched_load
    big = staging / "big.jpg"
    noise_jpeg(big, (2400, 1200))
    final_size = big.stat().st_size
    assert final_size > 2_000_000
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(big), str(photo),
                               str(final_size // 8 + 1), "0.12"])
    try:
        assert pump_until(kiosk, lambda: writer.poll() is not None, 30)
    finally:
        writer.kill()
    assert writer.returncode == 0
    assert pump_until(kiosk, lambda: reloader.applied >= 1)
    pump(kiosk, QUIET)
    kiosk.settle()
    assert sizes_at_load == [final_size]  # read once, and only when the copy was complete
    assert reloader.applied == 1
    assert kiosk.status()["content"]["errors"] == []

    def wide_picture_shown():
        shown = [p for p in kiosk.widgets(Picture, kiosk.screen)
                 if p.source == str(photo) and p.texture is not None]
        return bool(shown) and all(
            abs(p.texture.width / p.texture.height - 2.0) < 0.05 for p in shown)

    assert pump_until(kiosk, wide_picture_shown)  # the new 2:1 photo, not the old square one
    assert kiosk.route == "exhibit/notes/plain"


def test_a_burst_of_200_files_is_one_step(kiosk, hall, staging):
    app, reloader = start(kiosk, hall, "section/more")
    burst = staging / "burst"
    burst.mkdir()
    for i in range(200):
        (burst / f"n{i:03d}.md").write_text(page(f"新展项{i:03d}"), encoding="utf-8")
    run("cp", "-r", f"{burst}/.", hall / "02-more")
    status = settled(kiosk, app, 2)
    assert reloader.reloads == 1
    assert status["content"]["errors"] == []
    titles = [item["title"] for item in kiosk.screen.items()]  # the whole list
    assert len(titles) == 201
    assert set(titles) == {"第一项"} | {f"新展项{i:03d}" for i in range(200)}
    shown = [c.title for c in kiosk.widgets(ExhibitCard, kiosk.screen)]  # the cards in view
    assert 2 <= len(shown) < 201 and set(shown) <= set(titles)
    assert shows_fresh_load(app, hall)


# ------------------------------------------------------------ mistakes


def test_invalid_yaml_keeps_the_last_good_version_until_it_is_fixed(kiosk, hall, staging):
    app, reloader = start(kiosk, hall, "exhibit/notes/plain")
    kiosk.find_text("普通展项")
    (staging / "broken.md").write_text("---\ntitle: [没有闭合\nfeatured: true\n---\n正文。\n",
                                       encoding="utf-8")
    run("cp", staging / "broken.md", hall / "01-notes" / "plain.md")
    status = settled(kiosk, app, 2)  # the errors changed: a new snapshot, same exhibit
    assert kiosk.route == "exhibit/notes/plain"
    kiosk.find_text("普通展项")  # the last good title is still shown
    errors = [e for e in status["content"]["errors"] if e["path"] == "01-notes/plain.md"]
    assert errors and isinstance(errors[0]["line"], int)
    assert errors[0]["message"] and errors[0]["message_zh"]
    assert [p.path for p in app.content_errors] == ["01-notes/plain.md"]

    (staging / "fixed.md").write_text(page("改正后的标题", "featured: true\n"), encoding="utf-8")
    run("cp", staging / "fixed.md", hall / "01-notes" / "plain.md")
    status = settled(kiosk, app, 3)
    assert status["content"]["errors"] == []  # the error is gone by itself
    assert app.content_errors == []
    kiosk.find_text("改正后的标题")
    assert "普通展项" not in on_screen(kiosk)
    assert shows_fresh_load(app, hall)


def test_a_deleted_folder_takes_its_section_away(kiosk, hall):
    app, reloader = start(kiosk, hall, "section/notes")
    assert app.go("exhibit/notes/plain")
    kiosk.settle()
    run("rm", "-r", hall / "01-notes")
    status = settled(kiosk, app, 2)
    assert status["content"]["errors"] == []
    assert kiosk.route == "home"  # the page and its section are gone
    assert [s.id for s in app.content.sections] == ["more"]
    assert "笔记" not in on_screen(kiosk)
    kiosk.find_text("更多")
    assert shows_fresh_load(app, hall)
