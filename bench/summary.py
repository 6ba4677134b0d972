"""The performance goals in one table, from the results the benchmarks wrote.

``python -m bench`` prints it after running the benchmarks (``python -m
bench.summary`` prints it from the results already there) and writes
``bench/results/summary.json``. Each row names the goal, what was measured,
whether the goal is met, and the date of the run it comes from; a benchmark
that has not been run shows as "not measured".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _read(folder: Path, name: str) -> dict | None:
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _row(goal: str, measured: str, met: bool | None, date: str | None,
         verdict: str | None = None) -> dict:
    verdict = verdict or ("not measured" if met is None else ("met" if met else "MISSED"))
    return {"goal": goal, "measured": measured, "verdict": verdict, "date": date or ""}


def rows(folder: Path = RESULTS) -> list[dict]:
    out = []
    images = _read(folder, "images.json")
    if images is None:
        for goal in ("Home drawn < 2 s from start (warm image cache, 2,000 exhibits)",
                     "touch to drawn < 100 ms (exhibit, photo seen before)",
                     "gallery swipe: frame time p95 < 33 ms",
                     "peak RSS <= 350 MB over every photo, no higher after 500 photos than "
                     "after 10"):
            out.append(_row(goal, "-", None, None))
    else:
        date, g = images.get("date"), images["goals"]
        home = images["start_warm_cache"]["home_s"]
        out.append(_row(f"Home drawn < {g['start_warm_s']:g} s from start (warm image cache, "
                        f"{images['tree']['exhibits']:,} exhibits)",
                        f"{home:.2f} s", home < g["start_warm_s"], date))
        t = images["touch"]
        worst = max(t["exhibit_ms_worst"], t["photo_cached_ms_worst"])
        out.append(_row(f"touch to drawn < {g['touch_ms']} ms (exhibit, photo seen before)",
                        f"exhibit {t['exhibit_ms_median']:.0f} (worst {t['exhibit_ms_worst']:.0f}), "
                        f"photo {t['photo_cached_ms_median']:.0f} "
                        f"(worst {t['photo_cached_ms_worst']:.0f}) ms",
                        worst < g["touch_ms"], date))
        p95 = images["swipe"]["p95_ms"]
        out.append(_row(f"gallery swipe: frame time p95 < {g['swipe_p95_ms']} ms",
                        f"{p95:.0f} ms over {images['swipe']['photos']} photos",
                        p95 < g["swipe_p95_ms"], date))
        memory = images["memory"]
        at = memory["rss_mb_at"]
        growth = (at[-1][1] - at[0][1]) / at[0][1] if at and at[0][1] else 0.0
        out.append(_row(f"peak RSS <= {g['rss_mb']} MB over every photo, no higher after "
                        f"{at[-1][0]} photos than after {at[0][0]} (within 1 %)",
                        f"peak {memory['peak_rss_mb']:.0f} MB; {at[0][1]:.0f} MB after {at[0][0]}, "
                        f"{at[-1][1]:.0f} MB after {at[-1][0]} photos",
                        memory["peak_rss_mb"] <= g["rss_mb"] and growth <= 0.01, date))
    for name in ("reload.json", "reload-540x960.json"):
        reload = _read(folder, name)
        if reload is None:
            if name == "reload.json":
                out.append(_row("hot reload: write to screen p95 < 150 ms", "-", None, None))
            continue
        goal_ms = reload["goal_p95_s"] * 1000
        size = "x".join(str(v) for v in reload.get("window", ()))
        for tree in reload["trees"]:
            p95 = tree["p95_s"] * 1000
            out.append(_row(f"hot reload: write to screen p95 < {goal_ms:.0f} ms "
                            f"({size}, {tree['exhibits']:,} exhibits)", f"{p95:.0f} ms",
                            p95 < goal_ms and not tree.get("missed"), reload.get("date")))
        for tree in reload.get("polling", ()):
            goal = reload["polling_goal_p95_s"] * 1000
            p95 = tree["p95_s"] * 1000
            out.append(_row(f"hot reload, polling every {tree['poll_interval_s']:g} s: p95 < "
                            f"{goal:.0f} ms ({tree['exhibits']:,} exhibits)", f"{p95:.0f} ms",
                            p95 < goal and not tree.get("missed"),
                            reload.get("polling_date") or reload.get("date")))
    render = _read(folder, "render.json")  # kiosk render with camera photos (bench_render.py)
    if render is None:
        out.append(_row("kiosk render of every route with camera photos: peak RSS <= 400 MB",
                        "-", None, None))
    else:
        out.append(_row(f"kiosk render of every route with camera photos: peak RSS <= "
                        f"{render['goal_mb']} MB",
                        f"{render['peak_rss_mb']:.0f} MB ({render['screens']} screens, "
                        f"{len(render['photos'])} photos of 24 MP)",
                        render["peak_rss_mb"] <= render["goal_mb"], render.get("date")))
    taps = _read(folder, "taps.json")  # exhibit taps across sections (bench/bench_taps.py)
    if taps is None:
        out.append(_row("exhibit taps across sections: touch to drawn p95 <= 50 ms", "-", None,
                        None))
    else:
        t = taps["tap_ms"]
        out.append(_row(f"exhibit taps across sections: touch to drawn p95 <= "
                        f"{taps['goal_p95_ms']} ms",
                        f"p95 {t['p95']:.0f} ms, median {t['median']:.0f} over {taps['taps']} taps "
                        f"(load {taps['load_average']:.1f})",
                        t["p95"] <= taps["goal_p95_ms"], taps.get("date")))
    out.extend(_startup_rows(_read(folder, "startup.json")))
    remote = _read(folder, "remote.json")  # the guide's phone (bench/bench_remote.py)
    if remote is None:
        out.append(_row("guide's phone: command to stop drawn p95 < 100 ms", "-", None, None))
    else:
        d, k = remote["drawn_ms"], remote["clicker_ms"]
        out.append(_row(f"guide's phone: command to stop drawn p95 < {remote['goal_p95_ms']} ms",
                        f"p95 {d['p95']:.0f} ms, median {d['median']:.0f} (clicker key: p95 "
                        f"{k['p95']:.0f}; request to main thread: p95 "
                        f"{remote['reach_ms']['p95']:.0f}; load {remote['load_average']:.1f})",
                        d["p95"] < remote["goal_p95_ms"], remote.get("date")))
    chromium = _read(folder, "chromium.json")
    if chromium is not None and images is not None:
        first = images["start_cold_cache"]["home_s"]
        page = chromium["home"]["screenshot_s"]
        out.append(_row("against Chromium: start to home page (kiosk first start)",
                        f"{first:.2f} s vs {page:.2f} s ({page / first:.1f}x)", None,
                        chromium.get("date"), verdict="compared"))
        out.append(_row("against Chromium: memory (kiosk's peak over every screen, "
                        "Chromium's PSS for the 100-photo page)",
                        f"{images['memory']['peak_rss_mb']:.0f} MB vs "
                        f"{chromium['gallery']['peak_pss_mb']:.0f} MB", None, chromium.get("date"),
                        verdict="compared"))
    return out


def _startup_rows(startup: dict | None) -> list[dict]:
    """Launch to Home drawn against the bare Kivy page and Chromium, from the same run."""
    if startup is None:
        return [_row("start: launch to Home drawn <= 1.1x a bare Kivy page, <= 0.6x Chromium",
                     "-", None, None)]
    date, goals, median = startup.get("date"), startup["goals"], startup["median_s"]
    out = []
    for other, label in (("bare_kivy", "a bare Kivy page"), ("chromium", "Chromium")):
        if other not in startup["ratio"]:
            continue
        ratio, goal = startup["ratio"][other], goals[f"to_{other}"]
        out.append(_row(f"start: launch to Home drawn <= {goal:g}x {label} (same run)",
                        f"{median['kiosk']:.2f} s vs {median[other]:.2f} s ({ratio:.2f}x)",
                        ratio <= goal, date))
    pictures = startup["kiosk_pictures_s"]
    out.append(_row(f"start: Home's cover pictures drawn <= {goals['pictures_s']:g} s "
                    "(warm image cache)", f"{pictures:.2f} s", pictures <= goals["pictures_s"],
                    date))
    return out


def print_summary(folder: Path = RESULTS, out=sys.stdout) -> list[dict]:
    table = rows(folder)
    width = max(len(r["goal"]) for r in table)
    measured = max(len(r["measured"]) for r in table)
    out.write("== the goals\n")
    for r in table:
        out.write(f"{r['goal']:<{width}}  {r['measured']:<{measured}}  {r['verdict']:<12}  "
                  f"{r['date']}\n")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    return table


if __name__ == "__main__":
    print_summary()
