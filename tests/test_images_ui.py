"""Pictures in the running app: placeholder first, never a blocked frame, bounded textures."""

from __future__ import annotations

import threading

import pytest
from kivy.base import EventLoop
from PIL import Image
from pilot import FAKE_TIME, IMAGE_CACHE

from kiosk.config import CacheConfig
from kiosk.ui.images import get_loader
from kiosk.ui.widgets import Picture


def photo_hall(root, n=6, size=(900, 600), bad=()):
    """A content tree with one gallery section of ``n`` photos (``bad`` numbers are not pictures)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: {zh: 图片馆, en: Photos}\nlanguages: [zh, en]\n",
                                    encoding="utf-8")
    sec = root / "01-photos"
    (sec / "images").mkdir(parents=True)
    (sec / "_section.yaml").write_text("title: {zh: 图片, en: Photos}\nlayout: gallery\n",
                                       encoding="utf-8")
    for i in range(1, n + 1):
        img = sec / "images" / f"p{i}.jpg"
        if i in bad:
            img.write_text("not a picture", encoding="utf-8")
        else:
            Image.new("RGB", size, (20 * i, 100, 255 - 20 * i)).save(img, "JPEG", quality=85)
        (sec / f"item{i}.md").write_text(
            f"---\ntitle: 照片{i}\nimages: [images/p{i}.jpg]\n---\n正文。\n", encoding="utf-8")
    return root


def pictures_of(kiosk, where=None):
    return [p for p in kiosk.widgets(Picture, where or kiosk.screen) if p.source]


def test_a_picture_shows_the_placeholder_then_the_texture_without_blocking(kiosk, tmp_path):
    hall = photo_hall(tmp_path / "content", n=1, size=(1600, 1200))
    app = kiosk.start(hall)
    loader = get_loader()
    gate = threading.Event()
    real_load = loader.pipeline.load

    def slow_load(*args, **kwargs):
        gate.wait(10)
        return real_load(*args, **kwargs)

    loader.pipeline.load = slow_load
    try:
        assert app.go("photo/photos/1")
        for _ in range(4):  # frames go on while the decode waits
            FAKE_TIME.now += 1 / 60
            EventLoop.idle()
        picture = kiosk.screen.ids.zoom.picture
        assert picture.empty and picture.texture is None and loader.pending() >= 1
        assert list(picture.draw_size) == [0, 0]  # nothing but the placeholder is drawn
    finally:
        gate.set()
        loader.pipeline.load = real_load
    kiosk.frames(2)
    assert not picture.empty and picture.texture is not None
    w, h = picture.texture.size
    assert (w, h) == (640, 480)  # the 540-wide screen rounded up to 640, not 1600 x 1200
    dw, dh = picture.draw_size  # drawn whole, fitted inside the view
    assert dw > 0 and dh > 0 and abs(dw / dh - 4 / 3) < 0.01
    assert dw <= picture.width + 0.5 and dh <= picture.height + 0.5


def test_a_replaced_photo_at_the_same_path_shows_the_new_picture(kiosk, tmp_path):
    hall = photo_hall(tmp_path / "content", n=1, size=(64, 48))
    app = kiosk.start(hall)
    app.go("photo/photos/1")
    kiosk.frames(3)
    picture = kiosk.screen.ids.zoom.picture
    assert bytes(picture.texture.pixels[:3])[2] > 200  # blue-ish
    Image.new("RGB", (64, 48), (250, 200, 0)).save(picture.source, "JPEG", quality=95)
    picture.reload()  # what hot reload does for a changed file
    kiosk.frames(3)
    r, g, b = bytes(picture.texture.pixels[:3])
    assert r > 230 and b < 40


def test_textures_stay_within_the_budget_and_far_ones_are_dropped(kiosk, tmp_path):
    hall = photo_hall(tmp_path / "content", n=8, size=(1200, 900))
    budget_mb = 2
    app = kiosk.start(hall, cache=CacheConfig(dir=IMAGE_CACHE, texture_mb=budget_mb))
    loader = get_loader()
    assert loader.textures.budget == budget_mb * 1024 * 1024
    app.go("photo/photos/1")
    kiosk.frames(3)
    first = kiosk.screen.ids.zoom.picture
    assert first.texture is not None
    first_file = first.source
    for n in range(2, 9):  # each fullscreen photo is ~0.9 MB as a texture
        app.go(f"photo/photos/{n}", push=False)
        kiosk.frames(3)
        assert kiosk.screen.ids.zoom.picture.texture is not None
        assert loader.textures.used <= loader.textures.budget
    assert loader.textures.evicted > 0
    # far away now: the first photo's texture is gone (its screen shows another photo)
    assert not any(e.path == first_file for e in loader.textures.entries.values())
    photo_screens = [n for n in app.manager.screen_names if n.startswith("photo/")]
    assert len(photo_screens) <= 2  # swiping on refills two photo screens, turn about


def test_the_pictures_of_a_screen_left_let_go_and_come_back_with_it(kiosk, tmp_path):
    hall = photo_hall(tmp_path / "content", n=8)
    app = kiosk.start(hall)
    app.go("section/photos")
    kiosk.settle()
    cards = pictures_of(kiosk)
    assert len(cards) == 8 and all(p.image_active for p in cards)
    app.go("photo/photos/3")  # the gallery stays behind, kept but not shown
    kiosk.settle()
    assert kiosk.screen.ids.zoom.picture.image_active
    assert not any(p.image_active for p in cards)  # free to be dropped
    app.back()
    kiosk.settle()
    assert all(p.image_active and p.texture is not None for p in cards)


def test_a_file_that_is_not_a_picture_is_a_content_error_not_an_empty_frame(kiosk, tmp_path):
    hall = photo_hall(tmp_path / "content", n=3, bad=(2,))
    app = kiosk.start(hall)
    app.go("section/photos")
    kiosk.frames(3)
    shown = pictures_of(kiosk)
    assert [p.media.src for p in shown] == ["01-photos/images/p1.jpg", "01-photos/images/p3.jpg"]
    assert all(p.texture is not None and p.problem is None for p in shown)
    errors = [e for e in app.content.errors if e.path == "01-photos/item2.md"]  # admin panel
    assert errors and errors[0].line == 3
    assert "this file holds text, not a picture" in errors[0].message
    assert "图片" in errors[0].message_zh


def test_fitted_pictures_crop_through_texture_coordinates():
    from kivy.graphics.texture import Texture

    from kiosk.ui.widgets.common import fitted

    texture = Texture.create(size=(400, 200))
    texture.flip_vertical()  # as pictures from the pipeline are
    pos, size, uv = fitted((10, 20), (100, 100), texture, "cover")
    assert pos == [10, 20] and size == [100, 100]
    # a 2:1 picture in a square box: the middle half of its width shows, all of its height
    assert uv == pytest.approx([0.25, 1, 0.75, 1, 0.75, 0, 0.25, 0])
    pos, size, uv = fitted((10, 20), (100, 100), texture, "contain")
    assert pos == [10, 45] and size == [100, 50] and uv == pytest.approx([0, 1, 1, 1, 1, 0, 0, 0])
    assert fitted((0, 0), (100, 100), None, "cover")[1] == [0, 0]  # nothing to draw


def test_pictures_decode_at_a_lower_priority_than_the_frames(tmp_path):
    import os
    import sys

    from kiosk.ui.images import WORKER_NICENESS, ImageLoader

    if not sys.platform.startswith("linux"):
        pytest.skip("thread priorities are Linux's")
    loader = ImageLoader(CacheConfig(dir=str(tmp_path / "cache")), workers=2)
    try:
        def niceness():
            return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

        mine = niceness()
        assert loader.executor.submit(niceness).result(timeout=10) == min(19, mine + WORKER_NICENESS)
        assert niceness() == mine  # the main thread (the frames) keeps its priority
    finally:
        loader.shutdown()


def test_one_core_is_left_to_the_frames_when_pictures_decode(tmp_path, monkeypatch):
    import os

    from kiosk.ui.images import ImageLoader

    for cpus, decoding in ((1, 1), (2, 1), (4, 3), (16, 4), (None, 1)):
        monkeypatch.setattr(os, "cpu_count", lambda cpus=cpus: cpus)
        loader = ImageLoader(CacheConfig(dir=str(tmp_path / "cache")))
        try:
            assert loader.executor._max_workers == decoding, cpus
        finally:
            loader.shutdown()
