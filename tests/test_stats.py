"""``kiosk stats``: the figures of a known recording, CSV, chart, and merging kiosks."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3

import pytest
from PIL import Image

from kiosk.analytics import Analytics
from kiosk.cli import main
from kiosk.stats import merge, summarize


class Clock:
    def __init__(self):
        self.now = dt.datetime(2024, 7, 1, 9, 0)

    def __call__(self):
        return self.now


def visit(rec, clock, at, screens, lang_switch=None, tour=None):
    """One session at ``at``: (route, title, seconds) screens, then 90 s without a touch."""
    clock.now = at
    rec.touch("home")
    for i, (route, title, seconds) in enumerate(screens):
        if tour and i == 0:
            rec.tour_started(tour)
        rec.view(route, title)
        clock.now += dt.timedelta(seconds=seconds)
        if lang_switch and i == 0:
            rec.language(lang_switch)
    if tour:
        rec.tour_ended(completed=True)
    clock.now += dt.timedelta(seconds=90)
    rec.end_session("idle", idle_seconds=90)  # the visit ended at the last touch
    rec.language("zh")


HISTORY = ("exhibit/history/2015", "党群服务中心成立", 40)
CENTERS = ("exhibit/centers/hub", "五大中心", 20)
SECTION = ("section/history", "历程", 10)


def record_hall(path, kiosk="hall-1"):
    """Known visits: 1 July 09:00 and 09:30 and 14:00, 3 July 10:00 (none on 2 July),
    of 50, 40, 60 and 20 seconds."""
    clock = Clock()
    rec = Analytics(path, kiosk=kiosk, clock=clock)
    rec.language("zh")
    visit(rec, clock, dt.datetime(2024, 7, 1, 9, 0), [SECTION, HISTORY])
    visit(rec, clock, dt.datetime(2024, 7, 1, 9, 30), [HISTORY], lang_switch="en")
    visit(rec, clock, dt.datetime(2024, 7, 1, 14, 0), [CENTERS, HISTORY], tour="overview")
    visit(rec, clock, dt.datetime(2024, 7, 3, 10, 0), [CENTERS])
    rec.close()
    return path


def test_summary_figures_of_a_known_recording(tmp_path):
    s = summarize(record_hall(tmp_path / "a.sqlite"))
    assert s.sessions == 4
    assert s.average_seconds == pytest.approx((50 + 40 + 60 + 20) / 4, abs=0.1)
    assert s.per_day == [("2024-07-01", 3), ("2024-07-02", 0), ("2024-07-03", 1)]
    assert s.per_hour[9] == 2 and s.per_hour[14] == 1 and s.per_hour[10] == 1
    assert sum(s.per_hour) == 4
    # the language switch does not count as a second viewing of the exhibit
    assert s.exhibits[0] == ("exhibit/history/2015", "党群服务中心成立", 3, 120.0)
    assert s.exhibits[1] == ("exhibit/centers/hub", "五大中心", 2, 40.0)
    assert s.sections == [("section/history", "历程", 1, 10.0)]
    assert s.views == 4 + 6  # four home screens, six screens opened
    assert s.languages == [("zh", 4)]
    assert s.tours == [("overview", 1, 1)]


def test_date_range_limits_every_figure(tmp_path):
    s = summarize(record_hall(tmp_path / "a.sqlite"), dt.date(2024, 7, 2), dt.date(2024, 7, 3))
    assert s.sessions == 1
    assert s.per_day == [("2024-07-02", 0), ("2024-07-03", 1)]
    assert [e[0] for e in s.exhibits] == ["exhibit/centers/hub"]
    assert s.tours == []


def test_cli_prints_the_summary_and_writes_csv_and_chart(tmp_path, capsys):
    db = record_hall(tmp_path / "a.sqlite")
    out_csv, out_png = tmp_path / "july.csv", tmp_path / "july.png"
    code = main(["stats", "--db", str(db), "--from", "2024-07-01", "--to", "2024-07-31",
                 "--csv", str(out_csv), "--chart", str(out_png)])
    assert code == 0
    text = capsys.readouterr().out
    assert "参观人次 Sessions: 4" in text
    assert "平均停留 Average session: 42 s" in text
    assert "1. 党群服务中心成立  —  3 次 views" in text
    assert "2024-07-02      0" in text

    with open(out_csv, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    days = {r["key"]: int(r["count"]) for r in table if r["table"] == "day"}
    assert days["2024-07-01"] == 3 and len(days) == 31  # the whole month, empty days too
    exhibit = next(r for r in table if r["table"] == "exhibit")
    assert (exhibit["label"], exhibit["count"]) == ("党群服务中心成立", "3")

    with Image.open(out_png) as img:
        assert img.size == (1600, 1500)
        rgb = img.convert("RGB")
        # the header band is red and the bars of the day chart are drawn
        assert rgb.getpixel((5, 5)) == (178, 18, 24)
        reds = sum(1 for x in range(110, 1540, 4) if rgb.getpixel((x, 555)) == (178, 18, 24))
        assert reds > 0


def test_cli_explains_a_missing_database_and_a_bad_date(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "none.sqlite")]) == 1
    assert "no analytics database" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["stats", "--db", "x", "--from", "2024-13-45"])
    assert "2024-07-01" in capsys.readouterr().err


def test_merge_combines_kiosks_once(tmp_path, capsys):
    a = record_hall(tmp_path / "a.sqlite", "hall-1")
    b = record_hall(tmp_path / "b.sqlite", "caijiapo-1")
    out = tmp_path / "all.sqlite"
    assert main(["stats", "merge", str(a), str(b), "--out", str(out)]) == 0
    assert "+8 sessions" in capsys.readouterr().out
    s = summarize(out)
    assert s.sessions == 8
    assert s.kiosks == [("caijiapo-1", 4), ("hall-1", 4)]
    assert s.exhibits[0][2] == 6
    again = merge([a, b], out)  # merging the same files again adds nothing
    assert again == {"sessions": 0, "views": 0, "tours": 0}
    assert summarize(out).sessions == 8


def test_merge_refuses_a_file_that_is_not_analytics(tmp_path, capsys):
    other = tmp_path / "other.sqlite"
    sqlite3.connect(str(other)).execute("CREATE TABLE t (x)").connection.close()
    assert main(["stats", "merge", str(other), "--out", str(tmp_path / "all.sqlite")]) == 1
    assert "not a kiosk analytics database" in capsys.readouterr().err
