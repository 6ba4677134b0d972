"""A guide leads a tour group: clicker keys, swipes and arrows, auto-advance, pause,
blanking, the talking points, Finish, and content edits while the tour runs."""

from __future__ import annotations

import shutil

from conftest import FIXTURES
from kivy.core.window import Window

WALK = FIXTURES / "tour-basic"
STEPS = ["section/intro", "exhibit/intro/first", "exhibit/figures/figures", "photo/photos/2",
         "exhibit/intro/second"]


def start_walk(kiosk, content=WALK, **config):
    app = kiosk.start(content, **config)
    assert app.start_tour("walk")
    kiosk.settle()
    return app


def press(kiosk, key: str):
    """A clicker or keyboard key, then the slide to the next step finishes."""
    kiosk.key(key)
    kiosk.settle()


def step_route(kiosk) -> str:
    return kiosk.status()["tour"]["route"]


def bar_texts(kiosk) -> list[str]:
    return kiosk.texts(kiosk.screen.ids.bar)


def test_a_clicker_drives_the_whole_tour_and_finish_returns_home(kiosk):
    app = start_walk(kiosk)
    status = kiosk.status()
    assert status["mode"] == "tour"
    assert status["tour"] == {"id": "walk", "step": 1, "of": 5, "route": "section/intro",
                              "paused": False, "blanked": False}
    assert kiosk.route == "tour/walk/1"
    assert app.root.ids.bar.opacity == 0 and app.root.ids.bar.disabled  # no Back / Home for visitors
    assert "1 / 5" in bar_texts(kiosk) and "开场" in bar_texts(kiosk)
    seen = [step_route(kiosk)]
    for key in ("pagedown", "right", "spacebar", "down"):
        press(kiosk, key)
        seen.append(step_route(kiosk))
        assert kiosk.status()["mode"] == "tour"
    assert seen == STEPS
    assert "5 / 5" in bar_texts(kiosk) and "结束" in bar_texts(kiosk)
    press(kiosk, "pagedown")  # nothing after the last step: it offers Finish
    assert step_route(kiosk) == STEPS[-1]
    press(kiosk, "pageup")
    assert kiosk.status()["tour"]["step"] == 4
    press(kiosk, "home")
    assert step_route(kiosk) == STEPS[0]
    press(kiosk, "end")
    assert step_route(kiosk) == STEPS[-1]
    kiosk.tap(kiosk.find_text("完成讲解"))
    assert kiosk.route == "home"
    status = kiosk.status()
    assert status["mode"] == "browse" and "tour" not in status
    assert app.root.ids.bar.opacity == 1
    press(kiosk, "pagedown")  # the clicker does nothing once the tour is over
    assert kiosk.route == "home"


def test_each_step_shows_its_own_screen_large(kiosk):
    from kiosk.ui.screens.exhibit import ExhibitScreen
    from kiosk.ui.screens.grid import GridScreen
    from kiosk.ui.screens.photo import PhotoScreen
    from kiosk.ui.screens.stats import StatsScreen

    start_walk(kiosk)
    kinds = []
    for _ in STEPS:
        inner = kiosk.screen.inner
        kinds.append(type(inner))
        assert inner.size == kiosk.screen.size  # the whole screen, bar space included
        press(kiosk, "pagedown")
    assert kinds == [GridScreen, ExhibitScreen, StatsScreen, PhotoScreen, ExhibitScreen]
    press(kiosk, "home")
    press(kiosk, "end")
    press(kiosk, "pageup")  # the photo step: the second photo, no photo arrows of its own
    photo = kiosk.screen.inner
    assert photo.number == 2 and not photo.has_next and not photo.has_previous
    kiosk.find_text("第二张照片")


def test_swipes_and_on_screen_arrows_move_the_guide(kiosk):
    app = start_walk(kiosk)
    w, h = Window.size
    kiosk.swipe((w * 0.8, h * 0.5), (w * 0.2, h * 0.5))
    assert step_route(kiosk) == STEPS[1]
    kiosk.swipe((w * 0.75, h * 0.45), (w * 0.15, h * 0.47))
    assert step_route(kiosk) == STEPS[2]
    kiosk.swipe((w * 0.2, h * 0.5), (w * 0.8, h * 0.5))
    assert step_route(kiosk) == STEPS[1]
    kiosk.swipe((2, h * 0.5), (w * 0.7, h * 0.5))  # the edge swipe that is "back" elsewhere
    assert kiosk.route.startswith("tour/") and step_route(kiosk) == STEPS[0]
    kiosk.swipe((w * 0.5, h * 0.8), (w * 0.5, h * 0.3))  # up and down is not a move
    assert step_route(kiosk) == STEPS[0]
    kiosk.tap(kiosk.screen.ids.next)
    assert step_route(kiosk) == STEPS[1]
    kiosk.tap(kiosk.screen.ids.previous)
    assert step_route(kiosk) == STEPS[0]
    kiosk.tap(kiosk.screen.ids.previous)  # no step before the first
    assert step_route(kiosk) == STEPS[0]
    # a tap on a card inside the step opens nothing: only the guide moves the tour
    from kiosk.ui.widgets import Card

    kiosk.tap(kiosk.widgets(Card, kiosk.screen)[0])
    assert kiosk.route == "tour/walk/1"
    assert app.back() is False or kiosk.route == "tour/walk/1"


def test_auto_advance_pause_and_idle_off(kiosk):
    app = start_walk(kiosk)
    assert "自动翻页 5秒" in bar_texts(kiosk)
    kiosk.advance(3, step=0.5)
    assert step_route(kiosk) == STEPS[0]
    assert "自动翻页 2秒" in bar_texts(kiosk)
    kiosk.advance(2.5, step=0.5)
    assert step_route(kiosk) == STEPS[1]  # moved on by itself
    kiosk.advance(30, step=2.0)
    assert step_route(kiosk) == STEPS[1]  # this step waits for the guide
    press(kiosk, "right")  # the figures: 4 s
    press(kiosk, "p")
    assert kiosk.status()["tour"]["paused"]
    assert "自动翻页：已暂停" in bar_texts(kiosk)
    kiosk.advance(20, step=2.0)
    assert step_route(kiosk) == STEPS[2]
    kiosk.tap(kiosk.screen.ids.pause)  # the on-screen button resumes too
    assert not kiosk.status()["tour"]["paused"]
    kiosk.advance(4.5, step=0.5)
    assert step_route(kiosk) == STEPS[3]
    idle = app.kiosk_config.idle
    kiosk.advance(idle.attract_after + idle.reset_after + 5, step=5.0)
    assert kiosk.route == "tour/walk/4"  # no countdown, no attract loop during a tour
    assert app.root.countdown == -1


def test_blanking_shows_only_the_background_and_comes_back(kiosk):
    start_walk(kiosk)
    screen = kiosk.screen
    assert screen.ids.blank.opacity == 0
    press(kiosk, "b")
    assert screen.ids.blank.opacity == 1 and kiosk.status()["tour"]["blanked"]
    kiosk.advance(10, step=1.0)
    assert step_route(kiosk) == STEPS[0]  # auto-advance waits while blank
    press(kiosk, "pagedown")  # brings the picture back, skips nothing
    assert screen.ids.blank.opacity == 0 and step_route(kiosk) == STEPS[0]
    press(kiosk, ".")
    assert screen.ids.blank.opacity == 1
    w, h = Window.size
    kiosk.tap((w / 2, h / 2))
    assert screen.ids.blank.opacity == 0 and step_route(kiosk) == STEPS[0]


def test_talking_points_only_on_request_in_large_type(kiosk):
    app = start_walk(kiosk)
    screen = kiosk.screen
    assert screen.ids.drawer.opacity == 0 and not screen.ids.notes_holder.children
    assert not any("序厅" in t for t in kiosk.texts(screen.ids.drawer))
    kiosk.tap(screen.ids.notes)
    assert screen.ids.drawer.opacity == 1
    labels = [w for w in kiosk.widgets(where=screen.ids.notes_holder) if "序厅" in getattr(w, "text", "")]
    assert labels and labels[0].font_size >= app.font["heading"] - 0.5
    assert screen.ids.drawer.top <= screen.ids.bar.top + screen.height  # above the bar
    assert screen.ids.drawer.y >= screen.ids.bar.top - 1
    press(kiosk, "pagedown")  # the next step starts with the drawer closed
    assert kiosk.screen.ids.drawer.opacity == 0
    assert kiosk.screen.ids.notes.opacity == 0  # and this step has no talking points
    press(kiosk, "end")
    press(kiosk, "pageup")
    press(kiosk, "n")
    assert kiosk.screen.ids.drawer.opacity == 1
    assert any("第二张照片" in t for t in kiosk.texts(kiosk.screen.ids.notes_holder))


def test_switching_language_before_the_tour_shows_it_in_english(kiosk):
    app = kiosk.start(WALK)
    app.set_language("en")
    app.start_tour("walk")
    kiosk.settle()
    assert "Opening" in bar_texts(kiosk)
    assert "Next ›" in bar_texts(kiosk)


def test_an_edit_during_the_tour_keeps_the_guide_at_the_same_step(kiosk, tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(WALK, tree)
    app = start_walk(kiosk, tree)
    press(kiosk, "pagedown")
    press(kiosk, "pagedown")
    assert step_route(kiosk) == "exhibit/figures/figures"
    tour_file = tree / "tours" / "walk.yaml"
    text = tour_file.read_text("utf-8")
    tour_file.write_text(text.replace("steps:\n", "steps:\n  - section: figures\n    title: 新的第一站\n"),
                         "utf-8")
    figures = tree / "02-figures" / "figures.yaml"
    figures.write_text(figures.read_text("utf-8").replace("value: 36", "value: 37"), "utf-8")
    app.apply_content(app.loader.load())
    kiosk.settle()
    status = kiosk.status()
    assert status["mode"] == "tour"
    assert status["tour"]["route"] == "exhibit/figures/figures"
    assert status["tour"]["step"] == 4 and status["tour"]["of"] == 6
    assert "4 / 6" in bar_texts(kiosk)
    kiosk.screen.settle()  # the figures count up again: jump to the end
    kiosk.frames(2)
    assert "37" in kiosk.texts(kiosk.screen.inner)
    # the exhibit of the step being shown disappears: the nearest step still there
    (tree / "02-figures" / "figures.yaml").unlink()
    app.apply_content(app.loader.load())
    kiosk.settle()
    assert kiosk.status()["mode"] == "tour"
    assert step_route(kiosk) == "photo/photos/2"
    press(kiosk, "pagedown")
    assert step_route(kiosk) == "exhibit/intro/second"


def test_a_tour_deleted_while_running_ends_with_a_message(kiosk, tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(WALK, tree)
    app = start_walk(kiosk, tree)
    press(kiosk, "pagedown")
    (tree / "tours" / "walk.yaml").unlink()
    app.apply_content(app.loader.load())
    kiosk.settle()
    assert kiosk.route == "home"
    assert kiosk.status()["mode"] == "browse" and "tour" not in kiosk.status()
    assert "测试讲解路线" in app.root.message and "deleted" in app.root.message
    kiosk.advance(8, step=1.0)
    assert app.root.message == ""
    press(kiosk, "pagedown")
    assert kiosk.route == "home"


def test_a_restart_mid_tour_comes_back_browsing(kiosk):
    start_walk(kiosk)
    press(kiosk, "pagedown")
    assert kiosk.status()["mode"] == "tour"
    kiosk.stop()
    app = kiosk.start(WALK)
    assert kiosk.route == "home"
    status = kiosk.status()
    assert status["mode"] == "browse" and "tour" not in status
    assert app.tour_control.run is None


def test_in_english_and_large_type_the_bar_shows_the_beginning_of_the_step_title(
        kiosk, demo_content):
    app = kiosk.start(demo_content, size=(1080, 1920))
    app.set_language("en")
    app.large_text = True
    assert app.start_tour("provincial-delegation")
    kiosk.settle()
    title = kiosk.screen.ids.step_title
    assert title.text == "Opening: the history"
    shown = "".join(w.text for line in title._label._cached_lines for w in line.words)
    # too long for the bar next to the guide's buttons: its beginning, then an ellipsis
    # (it used to keep both ends, "Ope...ory")
    assert shown.startswith("Opening") and shown.endswith("...")
    assert title.texture_size[0] <= title.width + 1


def test_the_tour_deleted_notice_fits_the_screen_in_english_large_text(kiosk, tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(WALK, tree)
    app = start_walk(kiosk, tree, language="en")
    app.toggle_large_text()  # 大字
    kiosk.settle()
    app.tour_control.end("导览“一段很长的导览名称”已被删除，讲解结束。\n"
                         "The tour “A very long tour name for the delegation” was deleted; "
                         "the tour has ended.")
    kiosk.frames(2)
    label = app.root.ids.message
    assert label.opacity == 1 and "was deleted" in label.text
    assert 0 <= label.x and label.right <= Window.width  # the box, inside the screen
    assert label.texture_size[0] <= label.width  # the lines, inside the box
    assert label.texture_size[1] >= 3 * label.font_size  # wrapped onto more lines, not cut


def test_a_stop_whose_folder_was_taken_away_is_passed_over_on_screen_and_in_the_status(
        kiosk, tmp_path):
    from kiosk.content.lastgood import keep_last_good

    tree = tmp_path / "content"
    shutil.copytree(WALK, tree)
    app = start_walk(kiosk, tree)
    shutil.rmtree(tree / "03-photos")  # the tour file still names it: its last version stays
    app.apply_content(keep_last_good(app.content, app.loader.load(),
                                     tours=app.loader.last_tours))
    kiosk.settle()
    assert len(app.content.tour("walk").steps) == 5
    assert app.tour_control.go_to(4)  # the photo stop, gone with its folder
    kiosk.settle()
    assert step_route(kiosk) == "exhibit/intro/second"  # the next stop still there
    assert kiosk.status()["tour"]["step"] == 5 and kiosk.route == "tour/walk/5"
    press(kiosk, "pageup")  # and back over it the other way
    assert step_route(kiosk) == "exhibit/figures/figures"
    assert kiosk.status()["tour"]["step"] == 3


def test_a_tour_on_the_demo_lays_out_each_screen_before_drawing_it(kiosk, caplog):
    """Kivy draws a half-laid-out frame (and logs 'too much iteration') when a screen's
    layout takes more rounds than Clock.max_iteration allows."""
    from conftest import ROOT

    app = kiosk.start(ROOT / "content")
    assert app.start_tour(app.content.tours[0].id)
    kiosk.settle()
    for key in ("pagedown", "pagedown", "pagedown", "end"):
        press(kiosk, key)
    app.reloader.reload_now()
    kiosk.frames(5)
    app.end_tour()
    kiosk.settle()
    assert kiosk.route == "home"
    assert [r.getMessage() for r in caplog.records if "iteration" in r.getMessage()] == []


def test_while_the_guide_talks_the_stops_either_side_are_made_ready(kiosk):
    """A stop's neighbours are built and laid out unseen half a second after it shows (the
    one in the direction the guide went first), so both "next" and "back" only draw, also
    on the way back through stops the app no longer keeps."""
    from conftest import ROOT

    app = kiosk.start(ROOT / "content")
    tour = app.content.tours[0]
    assert app.start_tour(tour.id)
    kiosk.settle()
    manager = app.manager

    def ready(number):
        route = f"tour/{tour.id}/{number}"
        return manager.has_screen(route) and tuple(manager.get_screen(route).size) == \
            tuple(manager.size)

    for _ in range(6):
        press(kiosk, "pagedown")
    kiosk.advance(1.0)
    assert kiosk.route == f"tour/{tour.id}/7"
    assert ready(6) and ready(8)
    for number in (6, 5, 4):
        press(kiosk, "pageup")
        assert kiosk.route == f"tour/{tour.id}/{number}"
        kiosk.advance(1.0)
        assert ready(number - 1), f"at stop {number}, stop {number - 1} is not ready"
        assert ready(number + 1)
