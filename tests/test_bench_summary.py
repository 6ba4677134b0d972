"""``python -m bench`` ends with the goals in one table, from the results the benchmarks wrote."""

from __future__ import annotations

import json
import sys
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the bench package beside kiosk/

from bench.summary import print_summary  # noqa: E402

IMAGES = {
    "date": "2026-11-29",
    "goals": {"start_warm_s": 2.0, "touch_ms": 100, "swipe_p95_ms": 33, "rss_mb": 400},
    "tree": {"exhibits": 2000, "photos": 500},
    "start_cold_cache": {"home_s": 1.1},
    "start_warm_cache": {"home_s": 0.7},
    "touch": {"exhibit_ms_median": 53, "exhibit_ms_worst": 62, "photo_cached_ms_median": 28,
              "photo_cached_ms_worst": 129},
    "swipe": {"p95_ms": 26.0, "photos": 100},
    "memory": {"peak_rss_mb": 393.0, "rss_mb_at": [[10, 358.0], [500, 349.0]]},
}


def _write(folder: Path, name: str, data: dict) -> None:
    (folder / name).write_text(json.dumps(data), encoding="utf-8")


def test_each_goal_is_judged_from_the_results_and_a_missing_run_says_so(tmp_path):
    _write(tmp_path, "images.json", IMAGES)
    out = StringIO()
    table = {r["goal"].split(" (")[0].split(" <")[0]: r for r in print_summary(tmp_path, out)}
    assert table["Home drawn"]["verdict"] == "met"
    assert table["touch to drawn"]["verdict"] == "MISSED"  # one photo tap took 129 ms
    assert table["gallery swipe: frame time p95"]["verdict"] == "met"
    assert table["peak RSS"]["verdict"] == "met"
    assert table["hot reload: write to screen p95"]["verdict"] == "not measured"
    assert table["peak RSS"]["measured"] == "peak 393 MB; 358 MB after 10, 349 MB after 500 photos"
    assert "MISSED" in out.getvalue() and "not measured" in out.getvalue()
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8")) == list(table.values())


def test_memory_that_grows_with_the_photos_misses_the_goal_even_under_the_limit(tmp_path):
    _write(tmp_path, "images.json", dict(IMAGES, memory={"peak_rss_mb": 380.0,
                                                          "rss_mb_at": [[10, 300.0], [500, 370.0]]}))
    _write(tmp_path, "reload.json", {"date": "2026-11-29", "goal_p95_s": 0.25, "window": [1080, 1920],
                                     "trees": [{"exhibits": 20, "p95_s": 0.149, "missed": 0},
                                               {"exhibits": 2000, "p95_s": 0.31, "missed": 0}]})
    rows = print_summary(tmp_path, StringIO())
    verdicts = {r["goal"]: r["verdict"] for r in rows}
    (memory,) = [v for goal, v in verdicts.items() if goal.startswith("peak RSS <=")
                 and "no higher after 500 photos than after 10" in goal]
    assert memory == "MISSED"
    assert verdicts["hot reload: write to screen p95 < 250 ms (1080x1920, 20 exhibits)"] == "met"
    assert verdicts["hot reload: write to screen p95 < 250 ms (1080x1920, 2,000 exhibits)"] == "MISSED"


def test_start_up_is_judged_by_its_ratios_to_bare_kivy_and_chromium_in_the_same_run(tmp_path):
    _write(tmp_path, "startup.json", {
        "date": "2026-12-05", "goals": {"to_bare_kivy": 1.1, "to_chromium": 0.6, "pictures_s": 1.0},
        "median_s": {"kiosk": 0.64, "bare_kivy": 0.60, "chromium": 0.98},
        "ratio": {"bare_kivy": 0.64 / 0.60, "chromium": 0.64 / 0.98}, "kiosk_pictures_s": 1.2})
    rows = {r["goal"]: r for r in print_summary(tmp_path, StringIO())}
    bare = rows["start: launch to Home drawn <= 1.1x a bare Kivy page (same run)"]
    assert bare["verdict"] == "met" and bare["measured"] == "0.64 s vs 0.60 s (1.07x)"
    assert rows["start: launch to Home drawn <= 0.6x Chromium (same run)"]["verdict"] == "MISSED"
    assert rows["start: Home's cover pictures drawn <= 1 s (warm image cache)"]["verdict"] == "MISSED"


def test_exhibit_taps_are_judged_by_their_p95(tmp_path):
    taps = {"date": "2026-12-05", "goal_p95_ms": 50, "taps": 50, "load_average": 1.0,
            "tap_ms": {"median": 38.0, "p95": 61.0, "worst": 90.0}}
    _write(tmp_path, "taps.json", taps)
    goal = "exhibit taps across sections: touch to drawn p95 <= 50 ms"
    row = {r["goal"]: r for r in print_summary(tmp_path, StringIO())}[goal]
    assert row["verdict"] == "MISSED" and row["measured"].startswith("p95 61 ms, median 38")
    _write(tmp_path, "taps.json", dict(taps, tap_ms={"median": 38.0, "p95": 50.0, "worst": 90.0}))
    assert {r["goal"]: r for r in print_summary(tmp_path, StringIO())}[goal]["verdict"] == "met"
