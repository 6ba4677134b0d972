"""The running kiosk and broken pictures, vanishing folders and photos being written:
what visitors see never breaks, and staff read why in the status file."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from badpictures import page, photo, truncated
from conftest import FIXTURES

from kiosk.ui.reload import Reloader
from kiosk.ui.widgets.common import Picture

pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

SETTLE = 0.05


def start(kiosk, content, mode="native"):
    app = kiosk.start(content)
    reloader = Reloader(app, mode, settle=SETTLE, check_every=0.1, poll_interval=0.1)
    app.reloader = reloader.start()
    return app, reloader


def wait_until(kiosk, condition, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
        kiosk.frames(1)
    return bool(condition())


def threads() -> str:
    """Where every thread of the process is now (said when a wait for the watcher fails)."""
    import sys
    import threading
    import traceback

    names = {t.ident: t.name for t in threading.enumerate()}
    return "\n".join(f"--- {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
                     for ident, frame in sys._current_frames().items())


def pause(kiosk, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.02)
        kiosk.frames(1)


@pytest.fixture
def hall(tmp_path):
    return shutil.copytree(FIXTURES / "content-good", tmp_path / "content")


def test_a_broken_picture_is_in_the_status_file_as_soon_as_the_content_loads(kiosk, hall):
    app, reloader = start(kiosk, hall)
    status = kiosk.status()["content"]
    assert status["errors"] == [] and status["sections"] == ["history", "figures", "photos"]
    truncated(hall / "03-photos" / "new.jpg")
    photo(hall / "03-photos" / "big.jpg", (2400, 300))
    page(hall / "03-photos" / "more.md", "更多照片", "images: [big.jpg]\n",
         body="![新](new.jpg)\n")
    assert wait_until(kiosk, lambda: kiosk.status()["content"]["errors"])
    status = kiosk.status()["content"]
    assert [(e["path"], e["line"]) for e in status["errors"]] == [("03-photos/more.md", 5)]
    assert "'new.jpg': the picture is incomplete" in status["errors"][0]["message"]
    assert "图片不完整" in status["errors"][0]["message_zh"]
    assert [(w["path"], w["line"]) for w in status["warnings"]
            if "larger than the screen needs" in w["message"]] == [("03-photos/more.md", 3)]
    assert any(w["path"] == "03-photos/more.md" and "not shown until" in w["message"]
               for w in status["warnings"])
    assert app.content.exhibit("photos", "more") is None  # a new file with an error
    assert any(p.path == "03-photos/more.md" for p in app.content.errors)  # the admin panel
    assert kiosk.route == "home"  # nobody had to open it


def test_the_folder_removed_and_restored_again_and_again_never_shows_a_partial_hall(
        kiosk, hall, tmp_path):
    app, reloader = start(kiosk, hall)
    everything = [s.id for s in app.content.sections]
    backup = shutil.copytree(hall, tmp_path / "backup")
    applied = []
    original = app.apply_content

    def recording(content):
        applied.append([s.id for s in content.sections])
        original(content)

    app.apply_content = recording
    for round_ in range(6):
        shutil.rmtree(hall)
        assert wait_until(kiosk, lambda: any(
            e["path"] == "." for e in kiosk.status()["content"]["errors"])), \
            f"round {round_}: {kiosk.status()['content']['errors']}\n{threads()}"
        assert [s.id for s in app.content.sections] == everything
        if round_ % 2:  # restored in one go, or file by file as a slow copy does
            shutil.copytree(backup, hall)
        else:
            hall.mkdir()
            for path in sorted(backup.rglob("*")):
                target = hall / path.relative_to(backup)
                if path.is_dir():
                    target.mkdir()
                else:
                    shutil.copy2(path, target)
                    pause(kiosk, 0.03)
        assert wait_until(kiosk, lambda: not kiosk.status()["content"]["errors"]), \
            f"round {round_}: {kiosk.status()['content']['errors']}\n{threads()}"
    assert all(ids == everything for ids in applied), applied
    assert [s.id for s in app.content.sections] == everything


def test_a_photo_written_in_chunks_never_blanks_the_picture_shown(kiosk, hall, tmp_path):
    app, reloader = start(kiosk, hall)
    app.go("exhibit/history/2015-center-opens")
    kiosk.settle()
    target = hall / "01-history" / "images" / "opening.jpg"

    def shown():
        return [p for p in kiosk.widgets(Picture, kiosk.screen)
                if p.source == str(target) and p.texture is not None]

    assert wait_until(kiosk, shown)
    old = {bytes(p.texture.pixels[:3]) for p in shown()}
    new_file = photo(tmp_path / "new.jpg", (800, 600), color=(10, 200, 10))
    data = new_file.read_bytes()
    chunk = len(data) // 6 + 1
    with open(target, "wb"):
        pass  # truncated to nothing, as a copy over a share starts
    for i in range(0, len(data), chunk):
        with open(target, "ab") as fh:  # opened and closed for every chunk
            fh.write(data[i:i + chunk])
        pause(kiosk, SETTLE * 4)  # long enough for the watcher to settle in between
        assert shown(), f"the picture went blank after {i + chunk} of {len(data)} bytes"
        if i + chunk < len(data):
            assert {bytes(p.texture.pixels[:3]) for p in shown()} == old
    assert wait_until(kiosk, lambda: shown() and {bytes(p.texture.pixels[:3])
                                                  for p in shown()} != old)
    assert not kiosk.status()["content"]["errors"]


def test_a_picture_broken_on_disk_is_shown_from_its_last_good_version(kiosk, hall):
    app, reloader = start(kiosk, hall)
    app.go("exhibit/history/2015-center-opens")
    kiosk.settle()
    target = hall / "01-history" / "images" / "opening.jpg"
    assert wait_until(kiosk, lambda: any(p.source == str(target) and p.texture is not None
                                         for p in kiosk.widgets(Picture, kiosk.screen)))
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 3])
    assert wait_until(kiosk, lambda: kiosk.status()["content"]["errors"])
    app.go("home")
    kiosk.settle()
    app.go("exhibit/history/2015-center-opens")  # a new picture widget for the same file
    kiosk.settle()
    pictures = [p for p in kiosk.widgets(Picture, kiosk.screen) if p.source == str(target)]
    assert pictures and all(p.texture is not None for p in pictures)


def test_a_phone_photo_shows_and_pipes_and_device_links_are_reported(kiosk, hall):
    from badpictures import fifo, heic

    app, reloader = start(kiosk, hall)
    heic(hall / "03-photos" / "phone.heic", (640, 480))
    fifo(hall / "03-photos" / "pipe.jpg")
    fifo(hall / "03-photos" / "pipe.md")
    os.symlink("/dev/urandom", hall / "03-photos" / "random.jpg")
    page(hall / "03-photos" / "phone.md", "手机照片", "images: [phone.heic]\n")
    page(hall / "03-photos" / "odd.md", "奇怪的文件", "images: [pipe.jpg, random.jpg]\n")
    assert wait_until(kiosk, lambda: app.content.exhibit("photos", "phone") is not None)
    assert wait_until(kiosk, lambda: len(kiosk.status()["content"]["errors"]) >= 3)
    errors = {(e["path"], e["line"], e["message"].split(";")[0])
              for e in kiosk.status()["content"]["errors"]}
    assert ("03-photos/odd.md", 3, "image 1: 'pipe.jpg' is not an ordinary file (a pipe, a "
            "device or a socket)") in errors
    assert ("03-photos/odd.md", 3, "image 2: 'random.jpg' is a link to a place outside the "
            "content folder") in errors
    assert ("03-photos/pipe.md", None, "this is not an ordinary file (a pipe, a device or a "
            "socket)") in errors
    app.go("exhibit/photos/phone")
    kiosk.settle()
    target = str(hall / "03-photos" / "phone.heic")
    assert wait_until(kiosk, lambda: any(p.source == target and p.texture is not None
                                         for p in kiosk.widgets(Picture, kiosk.screen)))


def test_a_broken_theme_background_is_in_the_status_file(kiosk, hall, tmp_path):
    from conftest import ROOT

    theme = shutil.copytree(ROOT / "themes" / "party-red", tmp_path / "theme")
    truncated(theme / "images" / "background.jpg", (540, 960))
    app = kiosk.start(hall, theme=str(theme))
    app.reloader = Reloader(app, "off")
    errors = kiosk.status()["content"]["errors"]
    assert [(e["path"], e["message"][:60]) for e in errors] == [
        (f"{theme}/theme.yaml", "'background.image': the picture is incomplete (the file was ")]
