"""The guided-tour state machine on its own: moves, keys, auto-advance, pause, blanking, edits."""

from __future__ import annotations

import sys

import pytest

from kiosk.content.model import Text, Tour, TourStep
from kiosk.tour import TourRun, parse_tour_route, relocate, tour_route


def make_tour(*steps: TourStep, tour_id="t") -> Tour:
    return Tour(id=tour_id, title=Text.of("导览"), steps=tuple(steps))


def step(section="s", exhibit=None, photo=None, seconds=None, title="") -> TourStep:
    return TourStep(section=section, exhibit=exhibit, photo=photo, seconds=seconds,
                    title=Text.of(title or None))


FOUR = make_tour(step("a"), step("a", "x", seconds=10), step("g", photo=2), step("b", "y"))


def test_the_state_machine_needs_no_kivy():
    import subprocess

    code = ("import sys, kiosk.tour; "
            "sys.exit(1 if any(m.split('.')[0] == 'kivy' for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_routes_of_tour_steps():
    assert tour_route("delegation", 3) == "tour/delegation/3"
    assert parse_tour_route("tour/delegation/3") == ("delegation", 3)
    assert parse_tour_route("tour/delegation") is None
    assert parse_tour_route("exhibit/a/b") is None
    run = TourRun(FOUR)
    assert [s.route for s in FOUR.steps] == ["section/a", "exhibit/a/x", "photo/g/3", "exhibit/b/y"]
    assert run.route == "tour/t/1" and run.step_route == "section/a"
    assert run.status() == {"id": "t", "step": 1, "of": 4, "route": "section/a",
                            "paused": False, "blanked": False}


def test_moving_through_the_steps_stays_inside_the_tour():
    run = TourRun(FOUR)
    assert run.is_first and not run.previous()
    assert run.next() and run.number == 2
    assert run.last() and run.is_last and run.step_route == "exhibit/b/y"
    assert not run.next()  # the last step offers Finish instead
    assert run.first() and run.number == 1
    assert run.go_to(99) and run.number == 4
    assert run.go_to(-5) and run.number == 1


def test_clicker_and_keyboard_keys():
    run = TourRun(FOUR)
    for name, number in [("pagedown", 2), ("right", 3), ("spacebar", 4), ("pageup", 3),
                         ("left", 2), ("home", 1), ("end", 4), ("PageUp", 3)]:
        assert run.key(name)
        assert run.number == number, name
    assert not run.key("f1")  # not a tour key: nothing happens
    assert not run.key("q")
    assert run.key("p") and run.paused
    assert run.key("p") and not run.paused


def test_blanking_and_a_move_while_blank_only_brings_the_picture_back():
    run = TourRun(FOUR)
    assert run.key("b") and run.blanked
    assert run.key("pagedown") and not run.blanked
    assert run.number == 1  # nothing skipped unseen
    assert run.key(".") and run.blanked
    assert run.key(".") and not run.blanked


def test_talking_points_show_only_on_request_and_close_on_the_next_step():
    run = TourRun(FOUR)
    assert not run.notes_open
    run.handle("notes")
    assert run.notes_open
    run.next()
    assert not run.notes_open


def test_auto_advance_counts_only_while_running():
    run = TourRun(FOUR, index=1)  # this step advances after 10 s
    assert run.remaining == 10
    assert not run.tick(4)
    assert run.remaining == pytest.approx(6)
    run.toggle_pause()
    assert not run.tick(100) and run.number == 2  # paused: time does not count
    run.toggle_pause()
    run.toggle_blank()
    assert not run.tick(100) and run.number == 2  # blanked: neither
    run.toggle_blank()
    assert run.tick(6) and run.number == 3
    assert run.elapsed == 0 and run.remaining is None  # step 3 has no seconds
    assert not run.tick(1000) and run.number == 3


def test_the_last_step_never_advances_by_itself():
    run = TourRun(make_tour(step("a"), step("b", seconds=5)), index=1)
    assert run.remaining is None
    assert not run.tick(60) and run.number == 2 and not run.finished


def test_finish_ends_the_run_and_nothing_moves_after():
    run = TourRun(FOUR)
    run.handle("notes")
    assert run.handle("finish") and run.finished and not run.notes_open
    assert not run.handle("next") and not run.key("b")
    assert not run.finish()


def test_unknown_commands_and_empty_tours_are_refused():
    with pytest.raises(ValueError):
        TourRun(FOUR).handle("jump")
    with pytest.raises(ValueError):
        TourRun(make_tour())


def test_an_edit_keeps_the_guide_at_the_same_step():
    run = TourRun(FOUR, index=2)
    inserted = make_tour(step("new"), *FOUR.steps)
    assert not run.update(inserted)
    assert run.number == 4 and run.step_route == "photo/g/3"


def test_an_edit_that_removes_the_current_step_goes_to_the_nearest():
    run = TourRun(FOUR, index=2)
    run.elapsed = 3
    without = make_tour(FOUR.steps[0], FOUR.steps[1], FOUR.steps[3])
    assert run.update(without)
    assert run.step_route == "exhibit/b/y"  # the step after the last one still there
    assert run.elapsed == 0
    shorter = make_tour(step("q"), step("r"))
    assert run.update(shorter)
    assert run.number == 2  # nothing familiar left: the same place, clamped


def test_relocate_prefers_the_copy_nearest_to_where_the_guide_was():
    a, b = step("a"), step("b")
    assert relocate((a, b, a), 2, (a, b, a)) == 2
    assert relocate((a, b, a), 0, (b, a, b, a)) == 1
    with pytest.raises(ValueError):
        relocate((a,), 0, ())
