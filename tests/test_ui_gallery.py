"""The gallery and the fullscreen photo viewer, driven like a visitor."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from PIL import Image

SHOTS = os.environ.get("KIOSK_SHOTS")  # a folder: save screenshots there to look at


@pytest.fixture(autouse=True)
def _collect_previous_app():
    """Free the previous test's app first: a stopped app still alive in a reference
    cycle would react to the window resize that starts the next one."""
    gc.collect()


def _shot(kiosk, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        kiosk.screenshot(Path(SHOTS) / f"{name}.png")


def _open_gallery(kiosk, content_dir, size=(1080, 1920)):
    """Start on Home and tap the gallery's card, scrolling Home up first if it is below the fold."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.scrollview import ScrollView

    app = kiosk.start(content_dir, size=size)
    section = app.content.section("gallery")
    card = kiosk.find_text(app.t(section.title))
    while not isinstance(card, ButtonBehavior):
        card = card.parent
    scroll = card.parent
    while not isinstance(scroll, ScrollView):
        scroll = scroll.parent
    view_bottom = scroll.to_window(*scroll.pos)[1]
    x, y = card.to_window(card.center_x, card.y + card.height * 0.6)
    if y < view_bottom + app.space["touch"]:
        scroll.scroll_to(card, padding=0, animate=False)  # as a finger scrolling to it
        kiosk.frames(3)
        x, y = card.to_window(card.center_x, card.y + card.height * 0.6)
    kiosk.tap((x, y))
    assert kiosk.route == "section/gallery"
    return app, section


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_gallery_shows_every_photo(kiosk, demo_content, size):
    from kiosk.ui.screens.gallery import PhotoThumb

    app, section = _open_gallery(kiosk, demo_content, size)
    screen = kiosk.screen
    assert [item["number"] for item in screen.items()] == list(range(1, 11))
    assert len(section.photos()) == 10
    thumbs = sorted(kiosk.widgets(PhotoThumb), key=lambda t: t.number)
    assert [t.number for t in thumbs] == list(range(1, len(thumbs) + 1))  # from the top
    scroll = screen.ids.scroll
    scroll.scroll_y = 0  # scrolled to the end, the last photos get their thumbnails
    kiosk.settle()
    numbers = [t.number for t in kiosk.widgets(PhotoThumb)]
    assert 10 in numbers
    last = next(t for t in kiosk.widgets(PhotoThumb) if t.number == 10)
    assert last.caption == screen.items()[9]["caption"]
    scroll.scroll_y = 1
    kiosk.settle()
    _shot(kiosk, f"gallery-{'portrait' if size[1] > size[0] else 'landscape'}")


def _zoom(kiosk):
    return kiosk.screen.ids.zoom


def _open_photo(kiosk, content_dir, n=2, size=(1080, 1920)):
    from kiosk.ui.screens.gallery import PhotoThumb

    app, section = _open_gallery(kiosk, content_dir, size)
    thumbs = sorted(kiosk.widgets(PhotoThumb), key=lambda t: t.number)
    kiosk.tap(thumbs[n - 1])
    return app, section


def test_tap_thumbnail_opens_photo_with_caption_and_counter(kiosk, demo_content):
    app, section = _open_photo(kiosk, demo_content, 2)
    assert kiosk.route == "photo/gallery/2"
    photos = section.photos()
    _, media = photos[1]
    screen = kiosk.screen
    assert screen.ids.caption.text == app.t(media.caption) == "8个部门“一厅式”办公窗口（示意图）"
    assert kiosk.find_text(f"2 / {len(photos)}")
    assert screen.ids.zoom.picture.source == str(media.path)
    _shot(kiosk, "photo-portrait")


def test_swipe_moves_between_photos_and_back_returns_to_gallery(kiosk, demo_content):
    app, section = _open_photo(kiosk, demo_content, 2)
    w, h = app.root.size
    kiosk.swipe((w * 0.8, h * 0.55), (w * 0.2, h * 0.55))
    assert kiosk.route == "photo/gallery/3"
    _, third = section.photos()[2]
    assert kiosk.screen.ids.caption.text == app.t(third.caption)
    assert kiosk.find_text("3 / 10")
    kiosk.swipe((w * 0.2, h * 0.55), (w * 0.8, h * 0.55))
    assert kiosk.route == "photo/gallery/2"
    kiosk.swipe((w * 0.8, h * 0.55), (w * 0.2, h * 0.55))
    kiosk.swipe((w * 0.8, h * 0.55), (w * 0.2, h * 0.55))
    assert kiosk.route == "photo/gallery/4"
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/gallery"


def test_arrow_buttons_step_and_stop_at_the_ends(kiosk, demo_content):
    app, section = _open_photo(kiosk, demo_content, 1)
    screen = kiosk.screen
    assert not screen.ids.previous.shown and screen.ids.previous.opacity == 0
    assert min(screen.ids.next.size) >= app.space["touch"]
    kiosk.tap(screen.ids.next)
    assert kiosk.route == "photo/gallery/2"
    kiosk.tap(kiosk.screen.ids.previous)
    assert kiosk.route == "photo/gallery/1"
    # a swipe towards "previous" on the first photo goes nowhere
    w, h = app.root.size
    kiosk.swipe((w * 0.2, h * 0.55), (w * 0.8, h * 0.55))
    assert kiosk.route == "photo/gallery/1"
    assert _zoom(kiosk).drag_x == 0


def test_last_photo_has_no_next(kiosk, demo_content):
    app, section = _open_gallery(kiosk, demo_content)
    total = len(section.photos())
    app.go(f"photo/gallery/{total}")
    kiosk.settle()
    screen = kiosk.screen
    assert not screen.ids.next.shown
    w, h = app.root.size
    kiosk.swipe((w * 0.8, h * 0.55), (w * 0.2, h * 0.55))
    assert kiosk.route == f"photo/gallery/{total}"
    assert kiosk.find_text(f"{total} / {total}")


def test_pinch_zooms_and_drag_pans_while_zoomed(kiosk, demo_content):
    from kiosk.ui.widgets.zoom import MAX_SCALE

    app, section = _open_photo(kiosk, demo_content, 2)
    zoom = _zoom(kiosk)
    center = zoom.to_window(*zoom.center)
    kiosk.pinch(center, 200, 500)
    assert zoom.scale == pytest.approx(2.5, rel=0.05)
    assert not kiosk.screen.ids.next.shown  # arrows step aside while zoomed
    # a swipe while zoomed pans the picture instead of changing photo
    w, h = app.root.size
    pan_before = zoom.pan_x
    kiosk.swipe((w * 0.7, h * 0.55), (w * 0.4, h * 0.55))
    assert kiosk.route == "photo/gallery/2"
    assert zoom.pan_x < pan_before
    # panning stops at the picture's edge
    for _ in range(4):
        kiosk.swipe((w * 0.9, h * 0.55), (w * 0.1, h * 0.55))
    limit_x, _ = zoom.pan_limits()
    assert zoom.pan_x == pytest.approx(-limit_x)
    pic = zoom.picture
    fitted_w, _ = zoom.fitted_size()
    right_edge = pic.center_x + fitted_w * zoom.scale / 2
    assert right_edge == pytest.approx(zoom.right, abs=1)
    assert kiosk.route == "photo/gallery/2"
    # zoom is bounded
    kiosk.pinch(center, 100, 900)
    kiosk.pinch(center, 100, 900)
    assert zoom.scale == pytest.approx(MAX_SCALE)
    kiosk.pinch(center, 900, 60)
    kiosk.pinch(center, 900, 60)
    kiosk.settle()
    assert zoom.scale == 1.0 and zoom.pan_x == 0 and zoom.pan_y == 0
    kiosk.swipe((w * 0.8, h * 0.55), (w * 0.2, h * 0.55))
    assert kiosk.route == "photo/gallery/3"


def test_double_tap_toggles_zoom_at_the_tapped_point(kiosk, demo_content):
    from kiosk.ui.widgets.zoom import DOUBLE_TAP_SCALE

    app, section = _open_photo(kiosk, demo_content, 2)
    zoom = _zoom(kiosk)
    x, y = zoom.to_window(zoom.center_x + zoom.width * 0.2, zoom.center_y + 50)
    kiosk.tap((x, y), settle=False)
    assert zoom.scale == 1.0  # one tap does nothing
    kiosk.tap((x, y))
    assert zoom.scale == pytest.approx(DOUBLE_TAP_SCALE)
    # the tapped point stays under the finger
    local_x, _ = zoom.to_widget(x, y)
    expected_pan = -(local_x - zoom.center_x) * (DOUBLE_TAP_SCALE - 1)
    assert zoom.pan_x == pytest.approx(expected_pan, abs=1)
    _shot(kiosk, "photo-zoomed")
    kiosk.tap((x, y), settle=False)
    kiosk.tap((x, y))
    assert zoom.scale == 1.0 and zoom.pan_x == 0
    # two taps too far apart in time are two single taps
    kiosk.tap((x, y))
    kiosk.tap((x, y))
    assert zoom.scale == 1.0
    assert kiosk.route == "photo/gallery/2"


def test_zoom_is_reset_when_coming_back_to_a_photo(kiosk, demo_content):
    app, section = _open_photo(kiosk, demo_content, 2)
    zoom = _zoom(kiosk)
    kiosk.pinch(zoom.to_window(*zoom.center), 200, 400)
    assert zoom.scale > 1
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/gallery"
    from kiosk.ui.screens.gallery import PhotoThumb

    thumb = sorted(kiosk.widgets(PhotoThumb), key=lambda t: t.number)[1]
    kiosk.tap(thumb)
    assert kiosk.route == "photo/gallery/2"
    assert _zoom(kiosk).scale == 1.0


def test_english_caption_and_exhibit_title_fallback(kiosk, tmp_path):
    content = tmp_path / "content"
    (content / "01-pics" / "images").mkdir(parents=True)
    (content / "site.yaml").write_text("title: 展厅\nlanguages: [zh, en]\n", encoding="utf-8")
    (content / "01-pics" / "_section.yaml").write_text(
        "title: {zh: 图片, en: Pictures}\nlayout: gallery\n", encoding="utf-8")
    src = demo_content_dir() / "05-gallery" / "images"
    for name in ("hall-overview.jpg", "training-room.jpg"):
        (content / "01-pics" / "images" / name).write_bytes((src / name).read_bytes())
    (content / "01-pics" / "a.md").write_text(
        "---\ntitle: {zh: 大厅, en: The hall}\nimages:\n"
        "  - {src: images/hall-overview.jpg, caption: {zh: 大厅全景, en: The whole hall}}\n"
        "  - images/training-room.jpg\n---\n", encoding="utf-8")
    app = kiosk.start(content)
    app.go("section/pics")
    kiosk.settle()
    kiosk.tap(kiosk.find_text(app.ui("language")))
    from kiosk.ui.screens.gallery import PhotoThumb

    thumbs = sorted(kiosk.widgets(PhotoThumb), key=lambda t: t.number)
    assert [t.caption for t in thumbs] == ["The whole hall", "The hall"]
    assert kiosk.find_text("2 photos")
    kiosk.tap(thumbs[1])
    assert kiosk.route == "photo/pics/2"
    assert kiosk.screen.ids.caption.text == "The hall"
    assert kiosk.find_text("2 / 2")
    _shot(kiosk, "photo-english")


def demo_content_dir():
    return Path(__file__).resolve().parent.parent / "content"


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_photo_landscape_and_large_text(kiosk, demo_content, size):
    app, section = _open_photo(kiosk, demo_content, 5, size=size)
    assert kiosk.route == "photo/gallery/5"
    zoom = _zoom(kiosk)
    fitted_w, fitted_h = zoom.fitted_size()
    assert fitted_h == pytest.approx(zoom.height) and fitted_w < zoom.width  # contain
    _shot(kiosk, "photo-landscape")
    kiosk.tap(app.root.ids.large_text)
    assert app.large_text
    assert kiosk.route == "photo/gallery/5"
    assert kiosk.find_text("5 / 10")
    _shot(kiosk, "photo-landscape-large")
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/gallery"
    _shot(kiosk, "gallery-landscape-large")


def test_swipe_from_left_edge_goes_back_to_gallery(kiosk, demo_content):
    app, section = _open_photo(kiosk, demo_content, 3)
    w, h = app.root.size
    kiosk.swipe((w * 0.2, h * 0.55), (w * 0.8, h * 0.55))
    assert kiosk.route == "photo/gallery/2"  # an ordinary right swipe: previous photo
    kiosk.swipe((w * 0.01, h * 0.55), (w * 0.7, h * 0.55))
    assert kiosk.route == "section/gallery"  # from the screen's edge: back


def test_the_viewer_draws_only_what_shows(kiosk, demo_content, tmp_path):
    """Behind the dark viewer the theme background is not drawn, and the photo is clipped
    to its view only while zoomed past it (both cost a software renderer whole layers)."""
    app, section = _open_photo(kiosk, demo_content, 2)
    zoom = _zoom(kiosk)
    kiosk.settle()
    assert app.root.covered
    assert not zoom.clipped()
    shot = kiosk.screenshot(tmp_path / "viewer.png")
    with Image.open(shot) as im:
        top = im.convert("RGB").getpixel((im.width // 2, 3))  # above the letterboxed photo
    assert max(top) < 30 and top != (0, 0, 0)  # the viewer's near-black backdrop
    kiosk.pinch(zoom.to_window(*zoom.center), 200, 500)
    assert zoom.scale > 2 and zoom.clipped()
    kiosk.tap(app.root.ids.back)
    assert kiosk.route == "section/gallery"
    kiosk.settle()
    assert not app.root.covered  # the background shows again behind the gallery
