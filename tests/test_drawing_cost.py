"""What a frame costs a software renderer: no instruction that makes it clear a whole screen.

A thick line (``Line`` wider than 1) in a translucent colour is drawn through a
stencil, and each stencil clears the whole window's stencil buffer: on Mesa
llvmpipe at 1080x1920 a few milliseconds per line, every frame. Every button's
border (transparent on most buttons), the photo viewer's arrows and the
honor frames were such lines; a frame of the photo viewer took 45 ms instead of
13. Thick lines are drawn as ``SmoothLine`` (antialiased, no stencil).
"""

from __future__ import annotations

import pytest
from kivy.core.window import Window
from kivy.graphics import Line, Rectangle, SmoothLine, StencilPush
from kivy.graphics.instructions import InstructionGroup

pytestmark = pytest.mark.draws  # the window is drawn: how it was drawn is what is looked at

ROUTES = ("home", "section/history", "section/achievements", "section/honors",
          "section/gallery", "photo/gallery/2", "exhibit/history/2015-first-center")


def instructions(group):
    for ins in group.children:
        yield ins
        if isinstance(ins, InstructionGroup):
            yield from instructions(ins)


def test_no_screen_draws_a_thick_line_through_a_stencil(kiosk, demo_content):
    app = kiosk.start(demo_content)
    seen = 0
    for route in ROUTES:
        app.go(route)
        kiosk.settle()
        assert kiosk.route == route
        drawn = list(instructions(Window.canvas))
        thick = [i for i in drawn if type(i) is Line and i.width > 1]
        assert thick == [], route
        seen += sum(isinstance(i, SmoothLine) for i in drawn)
    assert seen > 10  # the borders are there, drawn the cheap way


def test_the_photo_viewer_uses_no_stencil_while_a_visitor_swipes(kiosk, demo_content):
    app = kiosk.start(demo_content)
    app.go("photo/gallery/2")
    kiosk.settle()
    w, h = Window.size
    kiosk.swipe((w * 0.8, h * 0.55), (w * 0.3, h * 0.55), settle=False)
    assert not any(isinstance(i, StencilPush) for i in instructions(Window.canvas))
    kiosk.settle()
    assert kiosk.route == "photo/gallery/3"


def test_lists_clip_without_a_stencil(kiosk, demo_content):
    """Scrolling lists clip with the scissor test: a stencil clip cost a clear of the whole
    window and two layers of the list's area every frame (15 of 97 ms of an exhibit page's
    frame on one core of the software renderer)."""
    from kivy.uix.scrollview import ScrollView

    app = kiosk.start(demo_content)
    lists = 0
    for route in (*ROUTES, "section/lessons", "section/centers"):
        app.go(route)
        kiosk.settle()
        assert kiosk.route == route
        assert not any(isinstance(i, StencilPush) for i in instructions(Window.canvas)), route
        shown = [w for w in app.root.walk() if isinstance(w, ScrollView)]
        assert all(w.clipped_by == "scissor" for w in shown), route
        lists += len(shown)
    app.start_tour(app.content.tours[0].id)
    kiosk.settle()
    assert not any(isinstance(i, StencilPush) for i in instructions(Window.canvas))
    assert lists >= 6


def full_window_layers() -> int:
    """Rectangles as large as the window: each a screenful of work for a software renderer,
    drawn whether it can be seen or not (Kivy draws see-through layers all the same)."""
    w, h = Window.size
    return sum(1 for i in instructions(Window.canvas)
               if isinstance(i, Rectangle) and i.size[0] >= w and i.size[1] >= h)


def test_a_tour_step_costs_no_more_layers_than_the_screen_it_shows(kiosk, demo_content):
    app = kiosk.start(demo_content)
    tour = app.content.tours[0]
    step = next(n for n, s in enumerate(tour.steps, 1) if s.route.startswith("exhibit/"))
    app.go(tour.steps[step - 1].route)
    kiosk.settle()
    alone = full_window_layers()
    app.start_tour(tour.id)
    app.tour_control.go_to(step)
    kiosk.settle()
    assert kiosk.route == f"tour/{tour.id}/{step}"
    assert full_window_layers() <= alone
    app.tour_control.command("blank")  # blanked: the theme's background over everything
    kiosk.settle()
    assert full_window_layers() > alone


def test_the_background_picture_is_drawn_one_to_one_without_smoothing(kiosk, demo_content):
    """The theme's picture, prepared at the window's size, is copied pixel for pixel: a
    smoothed, blended screenful cost 18 of 44 ms of an exhibit page's frame on one core."""
    from kivy.graphics import Rectangle

    app = kiosk.start(demo_content)
    app.go("section/history")
    kiosk.settle()
    prepared = app.background
    assert prepared is not None and prepared.opaque
    assert prepared.size == tuple(Window.size)
    assert (prepared.texture.min_filter, prepared.texture.mag_filter) == ("nearest", "nearest")
    drawing = app.root.backdrop
    assert drawing.covers
    # the list's cards are see-through to it: all the window above the (opaque) navigation
    # bar is one piece of the picture, the same part of it the window shows there
    w, h = Window.size
    bar = int(app.root.ids.bar.top)  # a hole is whole pixels inside what hides
    assert 0 < bar < h / 8
    assert drawing.drawn == [(0, bar, w, h)]
    piece = drawing.pieces[0]
    assert piece.texture is prepared.texture
    assert (tuple(piece.pos), tuple(piece.size)) == ((0, bar), (w, h - bar))
    assert list(piece.tex_coords) == pytest.approx([0, bar / h, 1, bar / h, 1, 1, 0, 1])
    assert all(tuple(p.size) == (0, 0) for p in drawing.pieces[1:])
    # plain fills sample Kivy's white texture unsmoothed (the same pixels)
    assert Rectangle().texture.min_filter == "nearest"


def test_the_cover_geometry_is_the_screens():
    from kiosk.ui.backdrop import cover_box

    assert cover_box((1080, 1920), (1080, 1920)) == (0, 0, 1080, 1920)
    assert cover_box((1080, 1920), (540, 960)) == (0, 0, 1080, 1920)
    # landscape window: the portrait picture fills the width, its middle band shows
    left, top, right, bottom = cover_box((1080, 1920), (1920, 1080))
    assert (left, right) == (0, 1080)
    assert abs((bottom - top) - 1080 * 1080 / 1920) < 1e-9
    assert abs(top - (1920 - (bottom - top)) / 2) < 1e-9


def test_a_picture_the_size_of_the_window_is_copied_exactly(tmp_path):
    from PIL import Image

    from kiosk.ui.backdrop import cover_image

    im = Image.effect_noise((64, 48), 40).convert("RGB")
    assert cover_image(im, (64, 48)) is im
    wide = Image.effect_noise((96, 48), 40).convert("RGB")
    cropped = cover_image(wide, (64, 48))
    assert cropped.size == (64, 48)
    assert cropped.tobytes() == wide.crop((16, 0, 80, 48)).tobytes()


def test_the_idle_countdown_is_out_of_the_window_until_it_counts(kiosk, demo_content):
    """Hidden, its card lay see-through across the window's corner, drawn on every frame."""
    app = kiosk.start(demo_content)
    app.go("section/honors")
    kiosk.settle()
    card = app.root.ids.countdown_card
    w, h = Window.size
    assert card.right < 0 and card.top < 0
    idle = app.kiosk_config.idle
    kiosk.advance(idle.reset_after - idle.countdown + 2, step=1.0)
    assert app.root.countdown > 0
    assert 0 <= card.x and card.right <= w and 0 <= card.y and card.top <= h
    kiosk.tap(app.root.ids.countdown_stay)
    assert app.root.countdown == -1
    kiosk.settle()
    assert card.right < 0 and card.top < 0


def test_the_background_decoded_ahead_is_the_same_picture(kiosk, tmp_path, caplog):
    """At start the theme's picture is decoded on another thread while the screen is built;
    what is drawn is the same as decoding it then, and a broken file is still only logged."""
    from PIL import Image

    from kiosk.ui import backdrop

    kiosk.start(None)
    photo = tmp_path / "bg.jpg"
    Image.effect_noise((90, 160), 60).convert("RGB").save(photo, quality=90)
    backdrop._cache.clear()
    direct = backdrop.prepare(photo, (45, 80))
    backdrop._cache.clear()
    backdrop.decode_ahead(photo, (45, 80))
    assert backdrop._ahead  # begun
    ahead = backdrop.prepare(photo, (45, 80))
    assert not backdrop._ahead
    assert ahead is not direct and ahead.opaque and ahead.size == (45, 80)
    assert ahead.texture.pixels == direct.texture.pixels
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    backdrop.decode_ahead(broken, (45, 80))
    with caplog.at_level("ERROR", logger="kiosk"):
        assert backdrop.prepare(broken, (45, 80)) is None
    assert "theme background" in caplog.text and "broken.jpg" in caplog.text
