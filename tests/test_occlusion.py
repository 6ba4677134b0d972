"""The theme's background is left out where something opaque covers it, and nothing shows.

An exhibit page's photo, its text card and the navigation bar hide about two
thirds of the screen: there the background is not drawn at all (a screenful
of work less for a software renderer each frame). What a visitor sees must be
the same, pixel for pixel, as with the whole background drawn: on every theme,
in portrait and landscape, scrolled, and with a picture that has transparency.
"""

from __future__ import annotations

import pytest
from kivy.core.window import Window
from PIL import Image, ImageChops

from kiosk.ui.occlusion import card_areas, inward, uncovered

EXHIBIT = "exhibit/history/2015-first-center"


def covered_pixels(area, holes, pieces) -> tuple[int, int]:
    """(pixels of ``area`` drawn by more than one piece or by none outside the holes,
    pixels of the holes drawn)."""
    x0, y0, x1, y1 = area
    twice = missing = drawn_in_holes = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            n = sum(p[0] <= x < p[2] and p[1] <= y < p[3] for p in pieces)
            in_hole = any(h[0] <= x < h[2] and h[1] <= y < h[3] for h in holes)
            twice += n > 1
            missing += n == 0 and not in_hole
            drawn_in_holes += n > 0 and in_hole
    return twice + missing, drawn_in_holes


def test_the_pieces_cover_all_but_the_holes_once():
    area = (0, 0, 60, 100)
    holes = [(5, 10, 55, 50), (10, 60, 50, 90), (0, 92, 60, 100)]
    pieces = uncovered(area, holes, min_hole=0)
    assert covered_pixels(area, holes, pieces) == (0, 0)
    # bands cut in the same places are joined: the area's left and right of the two
    # stacked holes are not split at every edge
    assert len(pieces) <= 8


def test_overlapping_holes_and_holes_past_the_edge():
    area = (0, 0, 40, 40)
    holes = [(-10, -10, 20, 20), (10, 10, 30, 30), (35, 0, 80, 45)]
    pieces = uncovered(area, holes, min_hole=0)
    clipped = [(max(h[0], 0), max(h[1], 0), min(h[2], 40), min(h[3], 40)) for h in holes]
    assert covered_pixels(area, clipped, pieces) == (0, 0)


def test_a_hole_at_fractional_pixels_keeps_its_edge_pixels_drawn():
    """Only whole pixels inside what covers are left out: a pixel at its edge is drawn."""
    assert inward((10.4, 20.0, 30.6, 40.9)) == (11, 20, 30, 40)
    pieces = uncovered((0, 0, 50, 50), [(10.4, 10.4, 39.6, 39.6)], min_hole=0)
    assert covered_pixels((0, 0, 50, 50), [(11, 11, 39, 39)], pieces) == (0, 0)


def test_small_holes_are_drawn_over_and_the_pieces_stay_few():
    area = (0, 0, 1000, 1000)
    assert uncovered(area, [(10, 10, 20, 20)]) == [area]  # 0.01 % of the area: not worth it
    many = [(x, y, x + 80, y + 80) for x in range(0, 1000, 100) for y in range(0, 1000, 100)]
    pieces = uncovered(area, many, max_pieces=12, min_hole=0)
    assert 1 <= len(pieces) <= 12
    kept = [h for h in many if not any(p[0] < h[2] and h[0] < p[2] and p[1] < h[3] and h[1] < p[3]
                                       for p in pieces)]
    assert kept  # some holes are still left out, the rest drawn over


def test_a_card_hides_all_but_its_rounded_corners():
    assert card_areas((10, 20), (100, 50), 8) == [(10, 28, 110, 62), (18, 20, 102, 70)]
    assert card_areas((0, 0), (0, 10), 8) == []


def area_of(rects) -> int:
    return sum((r[2] - r[0]) * (r[3] - r[1]) for r in rects)


def whole_background(app):
    """Draw the whole background from now on, as before anything was left out."""
    app.root.backdrop.hidden = None
    app.root.backdrop.drawn = None


def same_pixels(a, b) -> bool:
    with Image.open(a) as pa, Image.open(b) as pb:
        return ImageChops.difference(pa.convert("RGB"), pb.convert("RGB")).getbbox() is None


def still_screenshot(kiosk, path):
    """A picture of the screen once nothing on it moves any more (the list's scroll and its
    scroll bar fading), so that a second picture is of the same moment."""
    kiosk.advance(3)
    shot = kiosk.screenshot(path)
    for _ in range(10):
        kiosk.advance(1)
        again = kiosk.screenshot(path.with_suffix(".again.png"))
        if same_pixels(shot, again):
            return shot
        shot = kiosk.screenshot(path)
    raise AssertionError(f"the screen keeps changing: {path}")


@pytest.mark.draws
@pytest.mark.parametrize("theme,size", [("party-red", (540, 960)), ("light", (960, 540))])
def test_an_exhibit_page_looks_the_same_without_the_background_under_its_photo_and_card(
        kiosk, demo_content, tmp_path, theme, size):
    app = kiosk.start(demo_content, size=size, theme=theme)
    app.go(EXHIBIT)
    kiosk.settle()
    assert kiosk.route == EXHIBIT
    screen = app.manager.current_screen
    hero = screen.ids.hero
    assert not hero.empty and hero.texture.colorfmt == "rgb"  # a photo: nothing shows through
    drawing = app.root.backdrop
    window = Window.width * Window.height
    # the photo, the card and the bar are not drawn over: a large share of the window
    assert area_of(drawing.drawn) < 0.75 * window
    hx, hy = hero.to_window(*hero.draw_pos)
    hw, hh = hero.draw_size
    inside = (hx + hw * 0.25, hy + hh * 0.25, hx + hw * 0.75, hy + hh * 0.75)
    assert not any(p[0] < inside[2] and inside[0] < p[2] and p[1] < inside[3] and inside[1] < p[3]
                   for p in drawing.drawn)
    shots = []
    for scrolled in (False, True):
        if scrolled:  # the page moved up: what is hidden moves with it, and its cut-off part
            w, h = Window.size
            kiosk.swipe((w * 0.5, h * 0.35), (w * 0.5, h * 0.6))
            assert screen.ids.scroll.scroll_y < 1
        holes = still_screenshot(kiosk, tmp_path / f"holes-{scrolled}.png")
        assert area_of(drawing.drawn) < window
        whole_background(app)
        whole = kiosk.screenshot(tmp_path / f"whole-{scrolled}.png")
        assert drawing.drawn == [(0, 0, *Window.size)]
        assert same_pixels(holes, whole), (holes, whole)
        app.root.backdrop.hidden = app.root.opaque_areas
        shots.append(holes)
    assert not same_pixels(*shots)  # the page did move


@pytest.mark.draws
def test_a_see_through_photo_leaves_the_background_drawn_under_it(kiosk, tmp_path):
    """A PNG with transparent parts shows the background through them."""
    from trees import exhibit_tree

    photo = Image.new("RGBA", (400, 300), (200, 40, 40, 255))
    photo.paste((0, 0, 0, 0), (0, 0, 200, 300))
    content = exhibit_tree(tmp_path / "content", photo)
    app = kiosk.start(content)
    app.go("exhibit/a/one")
    kiosk.settle()
    hero = app.manager.current_screen.ids.hero
    assert not hero.empty and hero.texture.colorfmt == "rgba"
    assert hero.opaque_areas() == []
    holes = kiosk.screenshot(tmp_path / "holes.png")
    whole_background(app)
    assert same_pixels(holes, kiosk.screenshot(tmp_path / "whole.png"))


def test_a_png_without_transparent_pixels_is_decoded_as_a_photo(tmp_path):
    """An RGBA file (a screenshot, an export) whose pixels are all opaque is an opaque
    picture: no alpha channel in memory (a quarter less) and nothing drawn under it."""
    from kiosk.images.decode import decode

    Image.new("RGBA", (64, 48), (10, 20, 30, 255)).save(tmp_path / "opaque.png")
    see_through = Image.new("RGBA", (64, 48), (10, 20, 30, 255))
    see_through.putpixel((3, 3), (10, 20, 30, 128))
    see_through.save(tmp_path / "see-through.png")
    assert decode(str(tmp_path / "opaque.png"), (64, 48)).mode == "RGB"
    assert decode(str(tmp_path / "see-through.png"), (64, 48)).mode == "RGBA"


def window_pixels_over(colour) -> bytes:
    """The window's next frame drawn over buffers filled with ``colour`` first: what the
    frame leaves unpainted keeps that colour. (The offscreen driver's surface keeps its first
    size, 800x600, whatever size the window is given: outside it nothing is drawn or kept,
    and the pixels read there are no colour a frame was drawn over.)"""
    from kivy.graphics.opengl import (
        GL_COLOR_BUFFER_BIT,
        GL_RGB,
        GL_UNSIGNED_BYTE,
        glClear,
        glClearColor,
        glReadPixels,
    )

    glClearColor(*colour)
    glClear(GL_COLOR_BUFFER_BIT)
    Window.dispatch("on_draw")
    w, h = Window.size
    return glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE)


@pytest.mark.draws
@pytest.mark.parametrize("theme,size,route", [
    ("party-red", (540, 960), EXHIBIT), ("party-red", (540, 960), "section/history"),
    ("light", (960, 540), EXHIBIT), ("light", (960, 540), "home")])
def test_a_frame_the_background_covers_is_not_cleared_and_leaves_no_pixel_unpainted(
        kiosk, demo_content, tmp_path, theme, size, route):
    """Clearing the window costs a software renderer about a third of a frame; a frame that
    paints every pixel opaque anyway is not cleared, and not one pixel of it is left."""
    from kiosk.ui import frameclear

    app = kiosk.start(demo_content, size=size, theme=theme)
    app.go(route)
    kiosk.settle()
    assert kiosk.route == route
    assert app.root.backdrop.paints(Window.size)
    magenta = window_pixels_over((1, 0, 1, 1))
    assert frameclear.last["cleared"] == "nothing"
    green = window_pixels_over((0, 1, 0, 1))
    left = unpainted(magenta, (255, 0, 255), green, (0, 255, 0))
    if left is not None:  # (the two frames, to look at)
        for name, data in (("magenta", magenta), ("green", green)):
            Image.frombytes("RGB", Window.size, data).transpose(
                Image.Transpose.FLIP_TOP_BOTTOM).save(tmp_path / f"{name}.png")
    assert left is None, (left, tmp_path, app.root.backdrop.drawn, app.root.opaque_areas())
    # and no more of it than of a frame drawn on a window cleared first
    kivy_clear = Window.clear
    Window.clear = lambda: frameclear.clear_all(Window)
    try:
        cleared = window_pixels_over((0, 0, 1, 1))
    finally:
        Window.clear = kivy_clear
    assert unpainted(magenta, (255, 0, 255), cleared, (0, 0, 255)) is None


def unpainted(first: bytes, first_colour, second: bytes, second_colour):
    """The box (window pixels, top down) of the pixels that kept the colour each frame was
    drawn over: ``first_colour`` in ``first`` and ``second_colour`` in ``second``; None."""
    masks = []
    for data, colour in ((first, first_colour), (second, second_colour)):
        frame = Image.frombytes("RGB", Window.size, data)
        solid = Image.new("RGB", Window.size, colour)
        r, g, b = ImageChops.difference(frame, solid).split()
        kept = ImageChops.lighter(ImageChops.lighter(r, g), b).point(lambda v: 255 if v == 0 else 0)
        masks.append(kept)
    return ImageChops.multiply(*masks).transpose(Image.Transpose.FLIP_TOP_BOTTOM).getbbox()


@pytest.mark.draws
def test_a_see_through_background_has_the_window_cleared_first(kiosk, demo_content):
    from kiosk.ui import frameclear

    app = kiosk.start(demo_content)
    app.go("section/history")
    kiosk.settle()
    app.root.backdrop.colour.a = 0.5  # as a theme whose background colour is see-through
    app.root.backdrop.prepared = None
    assert not app.root.backdrop.paints(Window.size)
    first = window_pixels_over((1, 0, 1, 1))
    assert frameclear.last["cleared"] == "colour"
    assert window_pixels_over((0, 1, 0, 1)) == first
