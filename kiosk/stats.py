"""``kiosk stats``: what visitors looked at, from the analytics database.

::

    kiosk stats                                   # the database named in kiosk.yaml
    kiosk stats --db visits.sqlite --from 2024-07-01 --to 2024-07-31
    kiosk stats --csv july.csv --chart july.png   # a table for Excel, a picture for reports
    kiosk stats merge hall-1.sqlite hall-2.sqlite --out all.sqlite

The summary gives the number of sessions (visitors or groups), the average
session length, the most viewed exhibits and sections, visitors per day and
per hour, languages and tours. ``merge`` combines the databases of several
kiosks; merging the same file twice adds nothing. No Kivy here.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.analytics import connect

TOP = 10


def parse_day(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a date looks like 2024-07-01, not {text!r} / 日期应写成 2024-07-01") from None


@dataclass
class Summary:
    date_from: _dt.date | None
    date_to: _dt.date | None
    sessions: int = 0
    views: int = 0
    average_seconds: float = 0.0
    per_day: list[tuple[str, int]] = field(default_factory=list)
    per_hour: list[int] = field(default_factory=lambda: [0] * 24)
    exhibits: list[tuple[str, str, int, float]] = field(default_factory=list)  # route, title, views, s
    sections: list[tuple[str, str, int, float]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)
    tours: list[tuple[str, int, int]] = field(default_factory=list)  # tour, runs, completed
    kiosks: list[tuple[str, int]] = field(default_factory=list)


def _where(date_from, date_to, column="started") -> tuple[str, list]:
    parts, args = [], []
    if date_from:
        parts.append(f"{column} >= ?")
        args.append(date_from.isoformat())
    if date_to:
        parts.append(f"{column} < ?")
        args.append((date_to + _dt.timedelta(days=1)).isoformat())
    return (" WHERE " + " AND ".join(parts)) if parts else "", args


def summarize(db_path: str | Path, date_from: _dt.date | None = None,
              date_to: _dt.date | None = None, top: int = TOP) -> Summary:
    """Figures for sessions that started between ``date_from`` and ``date_to`` (inclusive)."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(db_path)
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return _summarize(db, date_from, date_to, top)
    finally:
        db.close()


def _summarize(db, date_from, date_to, top) -> Summary:
    s = Summary(date_from, date_to)
    where, args = _where(date_from, date_to)
    s.sessions, avg = db.execute(f"SELECT COUNT(*), AVG(seconds) FROM sessions{where}",
                                 args).fetchone()
    s.average_seconds = round(avg or 0.0, 1)
    s.views = db.execute(f"SELECT COALESCE(SUM(opened), 0) FROM views{where}", args).fetchone()[0]
    days = dict(db.execute(
        f"SELECT substr(started, 1, 10) AS d, COUNT(*) FROM sessions{where} GROUP BY d", args))
    if days:
        first = date_from or _dt.date.fromisoformat(min(days))
        last = date_to or _dt.date.fromisoformat(max(days))
        day = first
        while day <= last:  # every day of the period, those without visitors too
            s.per_day.append((day.isoformat(), days.get(day.isoformat(), 0)))
            day += _dt.timedelta(days=1)
    for hour, count in db.execute(
            f"SELECT CAST(substr(started, 12, 2) AS INTEGER) AS h, COUNT(*) FROM sessions{where} "
            "GROUP BY h", args):
        if 0 <= hour < 24:
            s.per_hour[hour] = count
    for kind, target in (("exhibit", s.exhibits), ("section", s.sections)):
        clause = f"{where} AND kind = ?" if where else " WHERE kind = ?"
        target.extend(db.execute(
            f"SELECT route, MAX(title), SUM(opened) AS n, ROUND(SUM(seconds), 1) FROM views{clause} "
            "GROUP BY route ORDER BY n DESC, route LIMIT ?", [*args, kind, top]))
    s.languages = list(db.execute(
        f"SELECT language, COUNT(*) AS n FROM sessions{where} GROUP BY language "
        "ORDER BY n DESC", args))
    s.tours = list(db.execute(
        f"SELECT tour, COUNT(*) AS n, SUM(completed) FROM tours{where} GROUP BY tour "
        "ORDER BY n DESC, tour", args))
    s.kiosks = list(db.execute(
        f"SELECT kiosk, COUNT(*) AS n FROM sessions{where} GROUP BY kiosk ORDER BY kiosk", args))
    return s


# ------------------------------------------------------------------ output


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def format_summary(s: Summary) -> str:
    period = f"{s.date_from or '…'} – {s.date_to or '…'}"
    out = [f"参观统计 / Visitor figures   {period}", ""]
    out.append(f"参观人次 Sessions: {s.sessions}    浏览页面 Screens viewed: {s.views}")
    out.append(f"平均停留 Average session: {_duration(s.average_seconds)}")
    if len(s.kiosks) > 1:
        out.append("展示机 Kiosks: " + ", ".join(f"{k} {n}" for k, n in s.kiosks))
    out += ["", "最受关注的展项 Most viewed exhibits:"]
    if not s.exhibits:
        out.append("  (无 / none)")
    for i, (route, title, views, secs) in enumerate(s.exhibits, 1):
        out.append(f"  {i:2d}. {title or route}  —  {views} 次 views, {_duration(secs)}  [{route}]")
    if s.sections:
        out += ["", "栏目 Sections:"]
        out += [f"  {title or route}: {views}" for route, title, views, _ in s.sections]
    out += ["", "每日人次 Visitors per day:"]
    out += [f"  {day}  {n:5d}" for day, n in s.per_day] or ["  (无 / none)"]
    out += ["", "每小时人次 Visitors per hour:"]
    out += [f"  {h:02d}:00  {n:5d}" for h, n in enumerate(s.per_hour) if n]
    if s.languages:
        out += ["", "语言 Languages: " + ", ".join(f"{lang or '?'} {n}" for lang, n in s.languages)]
    if s.tours:
        out += ["", "讲解路线 Tours: " + ", ".join(f"{t} {n} (完成 completed {c})"
                                                   for t, n, c in s.tours)]
    return "\n".join(out) + "\n"


def write_csv(s: Summary, path: str | Path) -> None:
    """One table in long form (table, key, label, count, seconds), readable by Excel."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["table", "key", "label", "count", "seconds"])
        w.writerow(["summary", "sessions", "参观人次 sessions", s.sessions, ""])
        w.writerow(["summary", "views", "浏览页面 screens viewed", s.views, ""])
        w.writerow(["summary", "average_session", "平均停留 average session", "",
                    s.average_seconds])
        for day, n in s.per_day:
            w.writerow(["day", day, day, n, ""])
        for hour, n in enumerate(s.per_hour):
            w.writerow(["hour", f"{hour:02d}", f"{hour:02d}:00", n, ""])
        for table, rows in (("exhibit", s.exhibits), ("section", s.sections)):
            for route, title, views, secs in rows:
                w.writerow([table, route, title, views, secs])
        for lang, n in s.languages:
            w.writerow(["language", lang, lang, n, ""])
        for tour, n, _done in s.tours:
            w.writerow(["tour", tour, tour, n, ""])
        for kiosk, n in s.kiosks:
            w.writerow(["kiosk", kiosk, kiosk, n, ""])


# ------------------------------------------------------------------- chart

RED = (178, 18, 24)
GOLD = (200, 150, 40)
INK = (50, 30, 25)
CREAM = (253, 248, 238)
GRID = (225, 210, 190)


def chart_font_path() -> Path | None:
    """The party-red theme's Chinese font (bundled with the kiosk), if present."""
    from kiosk.resources import builtin_theme

    theme = builtin_theme("party-red")
    if theme is None:
        return None
    here = theme / "fonts"
    for name in ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"):
        if (here / name).is_file():
            return here / name
    return None


def _font(size: int, font_path):
    from PIL import ImageFont

    if font_path:
        try:
            return ImageFont.truetype(str(font_path), size)
        except OSError:
            pass
    return ImageFont.load_default(size)


def _tick(top: int) -> int:
    """A round step for an axis up to ``top`` with at most about 5 lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 5:
            return step
    return max(1, top // 5)


def _bars(draw, box, values, labels, font, colour, every=1):
    """Vertical bars in ``box`` (x0, y0, x1, y1) with a label under every ``every``-th."""
    x0, y0, x1, y1 = box
    tick = _tick(max(values) if values else 0)
    top = tick * max(1, -(-max(values or [0]) // tick))
    n = max(1, len(values))
    step = (x1 - x0) / n
    for i in range(int(top // tick) + 1):
        y = y1 - (y1 - y0) * i * tick / top
        draw.line([(x0, y), (x1, y)], fill=GRID, width=1)
        draw.text((x0 - 8, y), str(i * tick), fill=INK, font=font, anchor="rm")
    for i, (value, label) in enumerate(zip(values, labels, strict=False)):
        left = x0 + i * step + step * 0.15
        right = x0 + (i + 1) * step - step * 0.15
        height = (y1 - y0) * value / top
        if value:
            draw.rectangle([left, y1 - height, max(left + 1, right), y1], fill=colour)
        if i % every == 0:
            draw.text(((left + right) / 2, y1 + 8), label, fill=INK, font=font, anchor="mt")


def draw_chart(s: Summary, path: str | Path, font_path=None, size=(1600, 1500)) -> Path:
    """Visitors per day, per hour and the most viewed exhibits, drawn with Pillow."""
    from PIL import Image, ImageDraw

    font_path = font_path or chart_font_path()
    w, h = size
    img = Image.new("RGB", size, CREAM)
    d = ImageDraw.Draw(img)
    title, head, small = _font(44, font_path), _font(30, font_path), _font(22, font_path)
    d.rectangle([0, 0, w, 110], fill=RED)
    first = s.date_from or (s.per_day[0][0] if s.per_day else "")
    last = s.date_to or (s.per_day[-1][0] if s.per_day else "")
    period = f"{first} – {last}" if first else ""
    d.text((50, 55), f"参观统计 Visitor figures  {period}", fill=(255, 236, 180), font=title,
           anchor="lm")
    d.text((50, 150), f"参观人次 Sessions {s.sessions}    浏览页面 Screens {s.views}    "
           f"平均停留 Average {_duration(s.average_seconds)}", fill=INK, font=head, anchor="lm")
    margin = 110
    # visitors per day
    d.text((50, 215), "每日人次 Visitors per day", fill=RED, font=head, anchor="lm")
    days = s.per_day[-62:]
    every = max(1, len(days) // 12)
    _bars(d, (margin, 260, w - 60, 560), [n for _, n in days], [day[5:] for day, _ in days],
          small, RED, every)
    # visitors per hour
    d.text((50, 640), "每小时人次 Visitors per hour", fill=RED, font=head, anchor="lm")
    _bars(d, (margin, 685, w - 60, 935), s.per_hour, [f"{x:02d}" for x in range(24)], small,
          GOLD, 2)
    # most viewed exhibits
    d.text((50, 1020), "最受关注的展项 Most viewed exhibits", fill=RED, font=head, anchor="lm")
    rows = s.exhibits[:8]
    top = max((v for _, _, v, _ in rows), default=1) or 1
    label_w = 560
    for i, (route, name, views, _secs) in enumerate(rows):
        y = 1065 + i * 50
        text = name or route
        while d.textlength(text, font=small) > label_w - 20 and len(text) > 2:
            text = text[:-2] + "…"
        d.text((50, y + 18), text, fill=INK, font=small, anchor="lm")
        length = (w - 60 - 150 - label_w) * views / top
        d.rectangle([50 + label_w, y + 4, 50 + label_w + max(2, length), y + 34], fill=RED)
        d.text((60 + label_w + length, y + 18), str(views), fill=INK, font=small, anchor="lm")
    if not rows:
        d.text((50, 1080), "（无 / none）", fill=INK, font=small, anchor="lm")
    img.save(str(path), "PNG")
    return Path(path)


# ------------------------------------------------------------------- merge


def merge(inputs: list[str | Path], out: str | Path) -> dict[str, int]:
    """Copy every session, view and tour of ``inputs`` into ``out`` (created if needed).
    Rows already there are kept once. Returns how many rows each table gained."""
    target = connect(out)
    gained = {"sessions": 0, "views": 0, "tours": 0}
    try:
        for path in inputs:
            path = Path(path)
            if path.resolve() == Path(out).resolve():
                continue
            if not path.is_file():
                raise FileNotFoundError(path)
            target.execute("ATTACH DATABASE ? AS src", (str(path),))
            try:
                names = {r[0] for r in target.execute(
                    "SELECT name FROM src.sqlite_master WHERE type='table'")}
                if not {"sessions", "views", "tours"} <= names:
                    raise ValueError(f"{path} is not a kiosk analytics database")
                with target:
                    for table in gained:
                        before = target.total_changes
                        target.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM src.{table}")
                        gained[table] += target.total_changes - before
            finally:
                target.execute("DETACH DATABASE src")
    finally:
        target.close()
    return gained


# --------------------------------------------------------------------- CLI


def add_parser(sub) -> None:
    stats = sub.add_parser("stats", help="visitor figures: summary, CSV, chart; merge kiosks")
    stats.add_argument("--db", default=None, help="analytics database (default: from kiosk.yaml)")
    stats.add_argument("--config", default=None, help="kiosk.yaml to read")
    stats.add_argument("--from", dest="date_from", type=parse_day, default=None,
                       help="first day, e.g. 2024-07-01")
    stats.add_argument("--to", dest="date_to", type=parse_day, default=None,
                       help="last day (included)")
    stats.add_argument("--csv", default=None, help="also write the figures to this CSV file")
    stats.add_argument("--chart", default=None, help="also draw a chart to this PNG file")
    stats.add_argument("--top", type=int, default=TOP, help="how many exhibits to list")
    more = stats.add_subparsers(dest="stats_command")
    m = more.add_parser("merge", help="combine the databases of several kiosks")
    m.add_argument("inputs", nargs="+", help="analytics databases")
    m.add_argument("--out", required=True, help="the combined database")


def _default_db(config_path) -> Path | None:
    from kiosk.config import load_config

    if config_path is None and Path("kiosk.yaml").exists():
        config_path = "kiosk.yaml"
    config, _ = load_config(config_path)
    if config_path is None:  # no kiosk.yaml: where run_kiosk would keep it by default
        return config.path(str(Path(config.state_dir) / "analytics.sqlite"))
    return config.path(config.analytics_db) if config.analytics_db else None


def run(args) -> int:
    if getattr(args, "stats_command", None) == "merge":
        try:
            gained = merge(args.inputs, args.out)
        except (OSError, ValueError, sqlite3.Error) as exc:
            print(f"合并失败 / cannot merge: {exc}", file=sys.stderr)
            return 1
        print(f"{args.out}: +{gained['sessions']} sessions, +{gained['views']} views, "
              f"+{gained['tours']} tours / 已合并")
        return 0
    db = Path(args.db) if args.db else _default_db(args.config)
    if db is None:
        print("kiosk.yaml 中关闭了参观统计 (analytics_db: off) / visitor figures are off",
              file=sys.stderr)
        return 1
    try:
        summary = summarize(db, args.date_from, args.date_to, args.top)
    except FileNotFoundError:
        print(f"找不到统计数据库 / no analytics database at {db}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"无法读取 {db} / cannot read it: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(format_summary(summary))
    if args.csv:
        write_csv(summary, args.csv)
        print(f"CSV: {args.csv}")
    if args.chart:
        draw_chart(summary, args.chart)
        print(f"图表 chart: {args.chart}")
    return 0


__all__ = ["Summary", "add_parser", "format_summary", "merge", "run", "summarize", "write_csv",
           "draw_chart"]
