"""Hot reload in the running app: staff change files, the screen follows, nothing breaks."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from conftest import FIXTURES, ROOT

from kiosk.ui.reload import Reloader
from kiosk.ui.widgets.common import Picture

BASIC = FIXTURES / "ui-basic"
SETTLE = 0.05

pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")


@pytest.fixture
def hall(tmp_path):
    return shutil.copytree(BASIC, tmp_path / "content")


def start(kiosk, content, mode="native", **config):
    app = kiosk.start(content, **config)
    reloader = Reloader(app, mode, settle=SETTLE, check_every=0.1, poll_interval=0.1)
    app.reloader = reloader.start()
    return app, reloader


def wait_applied(kiosk, reloader, n: int, timeout: float = 5.0):
    """Let real time pass for the watcher thread while the app draws frames."""
    deadline = time.monotonic() + timeout
    while reloader.applied < n and time.monotonic() < deadline:
        time.sleep(0.02)
        kiosk.frames(1)
    kiosk.frames(3)
    kiosk.settle()
    assert reloader.applied >= n, f"no reload after {timeout} s"


def wait_until(kiosk, condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
        kiosk.frames(1)
    return bool(condition())


def stays_quiet(kiosk, reloader, seconds: float = 0.6) -> int:
    before = reloader.applied
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.02)
        kiosk.frames(1)
    return reloader.applied - before


def page(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\n正文。\n"


def visible_texts(kiosk) -> list[str]:
    return kiosk.texts(kiosk.screen)


def test_an_edited_title_shows_on_screen_and_the_version_goes_up(kiosk, hall):
    app, reloader = start(kiosk, hall)
    app.go("exhibit/notes/plain")
    kiosk.settle()
    kiosk.find_text("普通展项")
    version = kiosk.status()["content"]["version"]
    (hall / "01-notes" / "plain.md").write_text(page("新的标题", "featured: true\n"),
                                                encoding="utf-8")
    wait_applied(kiosk, reloader, 1)
    kiosk.find_text("新的标题")
    assert "普通展项" not in visible_texts(kiosk)
    assert kiosk.route == "exhibit/notes/plain"
    assert kiosk.status()["content"]["version"] == version + 1
    assert reloader.loader.last_parsed == ["01-notes/plain.md"]  # only that file read again
    # the watcher's changed paths reached the loader: only the root and that folder listed
    assert not reloader.loader.last_full_walk
    assert reloader.loader.last_listed == [".", "01-notes"]
    assert stays_quiet(kiosk, reloader) == 0


def test_a_broken_file_keeps_its_last_good_version_until_fixed(kiosk, hall):
    app, reloader = start(kiosk, hall)
    app.go("exhibit/notes/plain")
    kiosk.settle()
    target = hall / "01-notes" / "plain.md"
    target.write_text("---\ntitle: [没有闭合\nfeatured: true\n---\n正文。\n", encoding="utf-8")
    wait_applied(kiosk, reloader, 1)
    kiosk.find_text("普通展项")  # the last good title stays
    assert kiosk.route == "exhibit/notes/plain"
    errors = kiosk.status()["content"]["errors"]
    mine = [e for e in errors if e["path"] == "01-notes/plain.md"]
    assert mine and isinstance(mine[0]["line"], int) and mine[0]["message"]
    assert [p.path for p in app.content_errors] == ["01-notes/plain.md"]
    assert app.content.exhibit("notes", "plain") is not None
    # the section screen keeps its card too
    app.go("section/notes")
    kiosk.settle()
    assert "普通展项" in visible_texts(kiosk)

    target.write_text(page("修好了"), encoding="utf-8")
    wait_applied(kiosk, reloader, 2)
    assert kiosk.status()["content"]["errors"] == []
    assert app.content_errors == []
    assert "修好了" in visible_texts(kiosk)


def test_deleting_the_exhibit_being_viewed_goes_to_its_section(kiosk, hall):
    app, reloader = start(kiosk, hall)
    app.go("section/notes")
    app.go("exhibit/notes/plain")
    kiosk.settle()
    (hall / "01-notes" / "plain.md").unlink()
    (hall / "01-notes" / "plain.en.md").unlink()
    wait_applied(kiosk, reloader, 1)
    assert kiosk.route == "section/notes"
    assert "普通展项" not in visible_texts(kiosk)
    assert kiosk.status()["content"]["errors"] == []


def test_deleting_the_section_being_viewed_goes_home(kiosk, hall):
    app, reloader = start(kiosk, hall)
    app.go("section/notes")
    app.go("exhibit/notes/plain")
    kiosk.settle()
    shutil.rmtree(hall / "01-notes")
    wait_applied(kiosk, reloader, 1)
    assert kiosk.route == "home"
    assert app.content.section("notes") is None
    assert [s.id for s in app.content.sections] == ["more"]


def test_a_burst_of_twenty_writes_is_one_reload(kiosk, hall):
    app, reloader = start(kiosk, hall)
    version = app.content_version
    for i in range(20):
        (hall / "02-more" / f"n{i:02d}.md").write_text(page(f"新展项{i}"), encoding="utf-8")
    wait_applied(kiosk, reloader, 1)
    assert stays_quiet(kiosk, reloader) == 0
    assert reloader.applied == 1 and app.content_version == version + 1
    assert len(app.content.section("more").exhibits) == 21


@pytest.mark.parametrize("name", ["plain.md.swp", ".syncthing.plain.md.tmp", "~$plain.md"])
def test_temporary_files_do_not_reload(kiosk, hall, name):
    app, reloader = start(kiosk, hall)
    (hall / "01-notes" / name).write_text("半截", encoding="utf-8")
    assert stays_quiet(kiosk, reloader) == 0
    assert app.content_version == 1


def test_a_save_by_rename_is_one_reload(kiosk, hall):
    app, reloader = start(kiosk, hall)
    app.go("exhibit/notes/plain")
    kiosk.settle()
    temp = hall / "01-notes" / ".syncthing.plain.md.tmp"
    temp.write_text(page("同步来的标题"), encoding="utf-8")
    os.replace(temp, hall / "01-notes" / "plain.md")
    wait_applied(kiosk, reloader, 1)
    assert stays_quiet(kiosk, reloader) == 0
    assert reloader.applied == 1
    kiosk.find_text("同步来的标题")


def test_polling_mode_reloads(kiosk, hall):
    app, reloader = start(kiosk, hall, mode="polling")
    assert reloader.watcher.active_mode == "polling"
    (hall / "02-more" / "one.md").write_text(page("轮询发现"), encoding="utf-8")
    wait_applied(kiosk, reloader, 1)
    assert app.t(app.content.exhibit("more", "one").title) == "轮询发现"


def test_a_dead_observer_is_restarted_and_reloading_goes_on(kiosk, hall):
    app, reloader = start(kiosk, hall)
    observer = reloader.watcher._observer
    observer.stop()
    observer.join(2)
    wait_applied(kiosk, reloader, 1)  # the full rescan after the restart
    assert reloader.watcher.restarts == 1
    (hall / "02-more" / "one.md").write_text(page("重启之后"), encoding="utf-8")
    wait_applied(kiosk, reloader, 2)
    assert app.t(app.content.exhibit("more", "one").title) == "重启之后"


def test_the_content_folder_deleted_keeps_the_last_content(kiosk, hall, tmp_path):
    app, reloader = start(kiosk, hall)
    backup = shutil.copytree(hall, tmp_path / "backup")
    shutil.rmtree(hall)
    wait_applied(kiosk, reloader, 1)
    assert kiosk.route == "home"
    kiosk.find_text("测试展厅")
    assert [s.id for s in app.content.sections] == ["notes", "more"]
    errors = kiosk.status()["content"]["errors"]
    assert len(errors) == 1 and "does not exist" in errors[0]["message"]
    assert errors[0]["message_zh"]
    shutil.copytree(backup, hall)
    # the watcher may still report the deletion once more (its restart) before the copy
    assert wait_until(kiosk, lambda: not app.content.errors)
    assert kiosk.status()["content"]["errors"] == []
    assert [s.id for s in app.content.sections] == ["notes", "more"]


def with_photo(hall):
    from PIL import Image as PILImage

    photo = hall / "01-notes" / "images" / "p.png"
    photo.parent.mkdir()
    PILImage.new("RGB", (16, 16), (255, 0, 0)).save(photo)
    (hall / "01-notes" / "plain.md").write_text(
        page("普通展项", "featured: true\ncover: images/p.png\nimages: [images/p.png]\n"),
        encoding="utf-8")
    return photo


def paint(photo, rgb):
    from PIL import Image as PILImage

    PILImage.new("RGB", (16, 16), rgb).save(photo)


def shown_photos(kiosk, photo):
    found = [p for p in kiosk.widgets(Picture, kiosk.screen)
             if p.texture is not None and p.source == str(photo)]
    assert found, "the photo is not on screen"
    return found


def colours(kiosk, photo):
    return {bytes(p.texture.pixels[:3]) for p in shown_photos(kiosk, photo)}


def shows_colour(kiosk, photo, rgb: bytes) -> bool:
    """Pictures may be decoded off the main thread: wait (bounded) until they show ``rgb``."""

    def ok():
        try:
            return colours(kiosk, photo) == {rgb}
        except AssertionError:
            return False

    return wait_until(kiosk, ok)


def test_a_photo_replaced_at_the_same_path_shows_the_new_picture(kiosk, hall):
    photo = with_photo(hall)
    app, reloader = start(kiosk, hall)
    app.go("exhibit/notes/plain")
    kiosk.settle()
    assert shows_colour(kiosk, photo, b"\xff\x00\x00")
    paint(photo, (0, 0, 255))
    wait_applied(kiosk, reloader, 1)
    assert shows_colour(kiosk, photo, b"\x00\x00\xff")


def test_a_full_rescan_reloads_only_pictures_written_since_the_last_look(kiosk, hall):
    photo = with_photo(hall)
    app, reloader = start(kiosk, hall, mode="off")
    app.go("exhibit/notes/plain")
    kiosk.settle()
    assert shows_colour(kiosk, photo, b"\xff\x00\x00")
    textures = [p.texture for p in shown_photos(kiosk, photo)]
    reloader.reload_now(None)  # the periodic rescan: nothing changed
    kiosk.frames(3)
    assert [p.texture for p in shown_photos(kiosk, photo)] == textures
    paint(photo, (0, 255, 0))  # a change no event told about
    reloader.reload_now(None)
    assert shows_colour(kiosk, photo, b"\x00\xff\x00")


def test_a_theme_change_recolours_the_app(kiosk, hall, tmp_path):
    theme = shutil.copytree(ROOT / "themes" / "party-red", tmp_path / "theme")
    app, reloader = start(kiosk, hall, theme=str(theme))
    assert reloader.theme_dir == str(theme)
    before = app.colors["background"]
    text = (theme / "theme.yaml").read_text(encoding="utf-8")
    (theme / "theme.yaml").write_text(text.replace('background: "#7a0c12"', 'background: "#123456"'),
                                      encoding="utf-8")
    wait_applied(kiosk, reloader, 1)
    after = app.colors["background"]
    assert after != before
    assert [round(c * 255) for c in after[:3]] == [0x12, 0x34, 0x56]
    assert app.content_version == 1  # the content itself did not change


def test_a_theme_change_of_transition_applies_to_the_next_screen_change(kiosk, hall, tmp_path):
    from kivy.uix.screenmanager import FadeTransition, SlideTransition

    theme = shutil.copytree(ROOT / "themes" / "party-red", tmp_path / "theme")
    app, reloader = start(kiosk, hall, mode="off", theme=str(theme), transitions="theme")
    assert isinstance(app.manager.transition, SlideTransition)
    text = (theme / "theme.yaml").read_text(encoding="utf-8")
    (theme / "theme.yaml").write_text(text.replace("type: slide", "type: fade")
                                      .replace("duration: 0.3", "duration: 0.5"), encoding="utf-8")
    reloader.reload_now()  # as when the watcher sees theme.yaml change
    kiosk.settle()
    transition = app.manager.transition
    assert isinstance(transition, FadeTransition) and transition.duration == 0.5
    kiosk.tap(kiosk.find_text("笔记"))
    assert kiosk.route == "section/notes"  # the next screen comes with the new transition


def test_reload_now_without_a_watcher(kiosk, hall):
    app, reloader = start(kiosk, hall, mode="off")
    assert reloader.watcher is None
    assert reloader.reload_now() is False  # nothing changed on disk
    assert app.content_version == 1
    (hall / "01-notes" / "plain.md").write_text(page("手动刷新"), encoding="utf-8")
    assert reloader.reload_now() is True
    assert app.content_version == 2
    assert app.t(app.content.exhibit("notes", "plain").title) == "手动刷新"


def test_a_result_still_queued_when_the_reloader_stops_is_dropped(kiosk, hall):
    app, reloader = start(kiosk, hall, mode="off")
    (hall / "01-notes" / "plain.md").write_text(page("太晚了"), encoding="utf-8")
    reloader._changed(None)  # what the watcher thread does: load, then queue for the main thread
    reloader.stop()
    kiosk.frames(3)
    assert app.content_version == 1 and reloader.applied == 0
    assert app.t(app.content.exhibit("notes", "plain").title) == "普通展项"


def test_an_app_without_a_loader_gets_one(kiosk, hall):
    app = kiosk.start(hall)
    app.loader = None
    reloader = Reloader(app, "off")
    assert reloader.loader is not None and reloader.content_root == str(hall)
    (hall / "02-more" / "one.md").write_text(page("有了加载器"), encoding="utf-8")
    assert reloader.reload_now() is True
    assert app.t(app.content.exhibit("more", "one").title) == "有了加载器"
