"""`kiosk render` shows every step of every tour; the demo's delegation tour is complete."""

from __future__ import annotations

import json

from conftest import FIXTURES, ROOT
from PIL import Image, ImageStat

from kiosk.config import Config
from kiosk.content.loader import load_content
from kiosk.theme import load_theme
from kiosk.ui.navigation import all_routes, route_exists, tour_routes
from kiosk.ui.render import render_all, routes_to_render, source_of

WALK = FIXTURES / "tour-basic"


def test_render_lists_every_step_of_every_tour_after_the_screens():
    content = load_content(WALK)
    routes = routes_to_render(content)
    steps = ["tour/short/1", "tour/short/2"] + [f"tour/walk/{n}" for n in range(1, 6)]  # file order
    assert routes == all_routes(content) + steps
    assert tour_routes(content) == steps
    assert all(route_exists(content, r) for r in steps)
    assert not route_exists(content, "tour/walk/6") and not route_exists(content, "tour/nope/1")
    assert source_of(content, "tour/walk/2") == "tours/walk.yaml"


def test_every_tour_step_renders_without_missing_glyphs_or_overflow(tmp_path):
    config = Config(base_dir=ROOT)
    theme, _ = load_theme(config.theme_dir)
    content = load_content(WALK)
    out = tmp_path / "shots"
    steps = tour_routes(content)
    assert render_all(config, theme, content, out=out, size=(540, 960), lang="zh", routes=steps) == 0
    # (0: no picture has an error finding)
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert index["routes"] == sorted(steps)
    for entry in index["pictures"]:
        assert entry["missing_glyphs"] == "" and entry["overflow"] == [], entry
        assert entry["errors"] == 0, entry["findings"]
        assert entry["source"] == f"tours/{entry['route'].split('/')[1]}.yaml"
        with Image.open(out / entry["file"]) as im:
            assert im.size == (540, 960)
            assert max(ImageStat.Stat(im.convert("L")).stddev) > 8, entry["route"]


def test_the_demo_has_a_delegation_tour_through_the_whole_story():
    content = load_content(ROOT / "content")
    assert [p for p in content.problems if p.path.startswith("tours/")] == []
    tour = content.tour("provincial-delegation")
    assert tour is not None
    assert 10 <= len(tour.steps) <= 14
    assert "1+5+N" in tour.title.get("zh")
    visited = {step.section for step in tour.steps}
    # every part of the story; the party-history board holds sample entries until staff fill it
    assert visited == {s.id for s in content.home_sections()} - {"party-history"}
    assert all(route_exists(content, step.route) for step in tour.steps)
    assert all(step.notes.get("zh") and step.notes.get("en") for step in tour.steps)
    assert any(step.photo is not None for step in tour.steps)
    assert any(step.seconds for step in tour.steps)
