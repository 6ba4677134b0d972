"""Faults around the app: an unwritable or full picture cache, an unwritable status
folder, a missing or broken theme, no video player. The kiosk keeps running,
says what is wrong once in the log, and shows the best it can.

The case "no video player installed" (Kivy's null provider) is in
tests/test_ui_exhibit.py::test_video_without_a_player_is_a_still_with_no_technical_text;
here the player library is broken so badly that importing it fails.
"""

from __future__ import annotations

import errno
import logging
import shutil
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT
from PIL import Image

from kiosk.config import CacheConfig
from kiosk.images import pipeline as pipeline_module
from kiosk.images.pipeline import Pipeline
from kiosk.theme import load_theme, load_theme_or_builtin, parse_colour

BASIC = FIXTURES / "ui-basic"


def photo(path: Path, size=(1200, 800)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (180, 30, 40)).save(path, "JPEG", quality=85)
    return path


def blocked_folder(tmp_path: Path) -> Path:
    """A folder that cannot be created, even by root: its parent is a plain file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    return blocker / "cache"


# ------------------------------------------------------------ picture cache


def test_unwritable_picture_cache_still_gives_pictures(tmp_path, caplog):
    src = photo(tmp_path / "p.jpg")
    pipe = Pipeline(blocked_folder(tmp_path))
    with caplog.at_level(logging.ERROR, logger="kiosk.images"):
        first = pipe.load(str(src), (256, 256), "contain")
        second = pipe.load(str(src), (512, 512), "cover")
    normal = Pipeline(tmp_path / "ok")  # the same pixels as with a working cache
    assert first == normal.load(str(src), (256, 256), "contain")
    assert second == normal.load(str(src), (512, 512), "cover")
    assert (first.width, first.height) == (256, 171)
    # one failed write; then the cache is left alone a while: one decode per picture
    assert pipe.cache_errors == 1 and pipe.decodes == 3
    (record,) = [r for r in caplog.records if r.name == "kiosk.images"]
    assert record.getMessage().startswith(f"the picture cache {pipe.disk.folder} cannot be "
                                          "written (Not a directory); pictures are still shown")


def test_full_disk_leaves_no_half_written_files(tmp_path, monkeypatch, caplog):
    src = photo(tmp_path / "p.jpg")
    cache = tmp_path / "cache"

    def disk_full(im, lossless, path):
        with open(f"{path}.1.2.tmp", "wb") as fh:  # what a write cut short leaves behind
            fh.write(b"\xff\xd8 half a picture")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline_module, "save_image", disk_full)
    pipe = Pipeline(cache)
    with caplog.at_level(logging.ERROR, logger="kiosk.images"):
        out = pipe.load(str(src), (128, 128), "cover")
    assert (out.width, out.height) == (192, 128)  # cover: fills the box, cut when drawn
    assert list(cache.rglob("*.tmp")) == []
    assert list(cache.rglob("*.img")) == []
    assert "No space left on device" in caplog.text
    # space again: after the pause the cache fills as usual
    monkeypatch.undo()
    pipe._no_cache_until = 0.0
    pipe.load(str(src), (128, 128), "cover")
    assert len(list(cache.rglob("*.img"))) == 2  # master and the 128 px version


def test_the_app_shows_pictures_with_an_unwritable_cache(kiosk, tmp_path):
    from kiosk.ui import images
    from kiosk.ui.images import wait_idle
    from kiosk.ui.widgets import Picture

    root = tmp_path / "c"
    photo(root / "01-p/images/a.jpg")
    (root / "site.yaml").write_text("title: 图片\n", encoding="utf-8")
    (root / "01-p/_section.yaml").write_text("title: 图片\nlayout: gallery\n", encoding="utf-8")
    (root / "01-p/a.md").write_text("---\ntitle: 甲\nimages: [images/a.jpg]\n---\n",
                                    encoding="utf-8")
    app = kiosk.start(root, cache=CacheConfig(dir=str(blocked_folder(tmp_path))))
    assert app.go("photo/p/1")
    for _ in range(5):
        kiosk.settle()
        assert wait_idle(20)
    pictures = [p for p in kiosk.widgets(Picture, kiosk.screen) if p.source]
    assert pictures and all(p.texture is not None and not p.empty for p in pictures)
    assert kiosk.status()["content"]["errors"] == []  # the picture is not blamed
    kiosk.stop()
    images.current_loader().shutdown()  # the next test starts with the usual cache
    images._loader = None


# ------------------------------------------------------------ status file


def test_unwritable_status_folder_is_logged_once_and_the_app_runs_on(kiosk, tmp_path, caplog):
    status = blocked_folder(tmp_path) / "status.json"
    with caplog.at_level(logging.INFO, logger="kiosk.app"):
        app = kiosk.start(BASIC, status_file=str(status))
        for route in ("section/notes", "exhibit/notes/plain", "home"):
            assert app.go(route)
            kiosk.settle()
        kiosk.advance(30, step=0.5)  # six more periodic writes
    assert kiosk.route == "home"
    errors = [r.getMessage() for r in caplog.records
              if r.name == "kiosk.app" and r.levelno == logging.ERROR]
    assert errors == [f"cannot write the status file {status}: [Errno 20] Not a directory: "
                      f"'{status.parent}'"]
    # the folder can be made again: the next write works and says so
    (tmp_path / "blocker").unlink()
    with caplog.at_level(logging.INFO, logger="kiosk.app"):
        kiosk.advance(6, step=0.5)
    assert status.is_file()
    assert f"the status file {status} is written again" in caplog.text


# ------------------------------------------------------------ theme


def broken_theme(tmp_path: Path, text: str, name: str = "mine") -> Path:
    folder = tmp_path / "themes" / name
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(text, encoding="utf-8")
    return folder


def test_missing_theme_falls_back_to_the_built_in_one(tmp_path):
    theme, problems = load_theme_or_builtin(tmp_path / "themes" / "gone")
    assert theme.id == "party-red"
    assert not theme.fonts.is_fallback  # its Chinese font, not Roboto
    assert [(p.severity, p.message) for p in problems] == [
        ("error", f"theme file not found: {(tmp_path / 'themes/gone/theme.yaml')}; using the "
                  "built-in colours and Roboto"),
        ("warning", f"the theme 'gone' cannot be used; the built-in theme '{theme.name}' is "
                    "shown instead")]
    assert problems[1].message_zh == f"主题 'gone' 无法使用，改用内置主题 '{theme.name}'"


def test_theme_with_broken_yaml_falls_back_to_the_built_in_one(tmp_path):
    folder = broken_theme(tmp_path, "colours:\n  text: [unclosed\nfonts: {regular: x.otf\n")
    theme, problems = load_theme_or_builtin(folder)
    assert theme.id == "party-red" and not theme.fonts.is_fallback
    assert problems[0].is_error and problems[0].path == "themes/mine/theme.yaml"
    assert problems[-1].message.startswith("the theme 'mine' cannot be used")


def test_a_theme_with_code_in_it_is_refused_and_replaced(tmp_path):
    marker = tmp_path / "executed"
    folder = broken_theme(tmp_path, f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    theme, problems = load_theme_or_builtin(folder)
    assert not marker.exists()
    assert theme.id == "party-red"
    assert "tags starting with '!'" in problems[0].message


def test_a_theme_with_a_small_mistake_is_kept(tmp_path):
    fonts = ROOT / "themes" / "party-red" / "fonts"
    regular = fonts / "NotoSansSC-Regular.otf"
    folder = broken_theme(tmp_path, f'name: Mine\ncolours:\n  primary: "#a01010"\n  text: red\n'
                                    f'fonts:\n  regular: {regular}\n')
    theme, problems = load_theme_or_builtin(folder)
    assert theme.id == "mine" and theme.name == "Mine"
    assert [p.message for p in problems] == [
        "colour 'text' must look like #rrggbb or #rrggbbaa, not 'red'"]
    assert theme.colours.primary == parse_colour("#a01010")


def test_a_theme_without_a_chinese_font_borrows_the_built_in_font(tmp_path):
    folder = broken_theme(tmp_path, 'name: Mine\ncolours:\n  primary: "#a01010"\n')
    theme, problems = load_theme_or_builtin(folder)
    builtin, _ = load_theme(ROOT / "themes" / "party-red")
    assert theme.id == "mine" and theme.colours.primary == parse_colour("#a01010")
    assert theme.fonts == builtin.fonts and not theme.fonts.is_fallback
    assert [(p.severity, p.message) for p in problems] == [
        ("error", "no regular font is given; using the default font Roboto, Chinese will not show"),
        ("warning", f"the font of the built-in theme '{builtin.name}' is used instead, "
                    "so Chinese shows")]


def test_the_built_in_theme_itself_missing_gives_colours_and_roboto(tmp_path):
    theme, problems = load_theme_or_builtin(tmp_path / "gone", builtin_dir=tmp_path / "none")
    assert theme.id == "gone" and theme.fonts.is_fallback
    assert len(problems) == 1 and problems[0].message.startswith("theme file not found")


def test_start_up_with_a_broken_theme_reports_it_and_uses_the_built_in_one(tmp_path, caplog):
    from kiosk.ui.boot import prepare

    folder = broken_theme(tmp_path, "colours: [\n")
    with caplog.at_level(logging.WARNING, logger="kiosk"):
        _config, theme, _loader, content = prepare(content=str(BASIC), theme=str(folder))
    assert theme.id == "party-red"
    assert content.sections
    logged = caplog.text
    assert "themes/mine/theme.yaml:2: error: YAML 格式错误" in logged
    assert "the built-in theme" in logged


def test_the_app_runs_with_the_fallback_theme(kiosk, tmp_path):
    shipped = shutil.copytree(ROOT / "themes" / "party-red", tmp_path / "themes" / "party-red")
    theme, _ = load_theme_or_builtin(tmp_path / "themes" / "nope", builtin_dir=shipped)
    app = kiosk.start(BASIC)
    app.theme = theme  # what run_kiosk hands over after the fallback
    kiosk.settle()
    assert Path(app.theme.fonts.regular).is_file()
    assert app.colors["background"] == load_theme(shipped)[0].colours.background
    assert app.go("section/notes")


# ------------------------------------------------------------ video


def test_a_video_player_that_cannot_even_be_imported(kiosk, monkeypatch, demo_content):
    from kiosk.ui.widgets.video import VideoBlock, video_provider

    monkeypatch.setitem(sys.modules, "kivy.core.video", None)  # import raises ImportError
    assert video_provider() is None
    app = kiosk.start(demo_content)
    assert app.go("exhibit/history/2015-first-center")
    kiosk.settle()
    (block,) = kiosk.widgets(VideoBlock, kiosk.screen)
    assert not block.available and block.player is None
    assert block.ids.poster.opacity == 1  # the poster stands in as a still
    kiosk.tap(block.ids.area)
    assert kiosk.route == "exhibit/history/2015-first-center"
