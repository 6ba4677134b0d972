"""The Prometheus metrics file, read back with Prometheus' own text-format parser."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from conftest import FIXTURES

prometheus = pytest.importorskip(
    "prometheus_client.parser", reason="prometheus-client is in the dev extras (pip install -e .[dev])")

from kiosk.metrics import render_metrics, write_metrics  # noqa: E402

BASIC = FIXTURES / "ui-basic"


def families(text: str) -> dict:
    return {f.name: f for f in prometheus.text_string_to_metric_families(text)}


def value(fams: dict, name: str) -> float:
    (sample,) = fams[name].samples
    return sample.value


def test_rendered_text_parses_with_help_type_and_escaped_labels():
    text = render_metrics(
        {"kiosk_up": 1, "kiosk_content_version": 7, "kiosk_memory_rss_bytes": 123456789,
         "kiosk_last_reload_age_seconds": 12.5, "kiosk_info": 1},
        {"kiosk_info": {"version": "0.1", "kiosk": 'hall "A"\\1\n'}})
    fams = families(text)
    assert fams["kiosk_up"].type == "gauge"
    assert fams["kiosk_up"].documentation.startswith("1 while the kiosk app runs")
    assert value(fams, "kiosk_content_version") == 7
    assert value(fams, "kiosk_memory_rss_bytes") == 123456789
    assert value(fams, "kiosk_last_reload_age_seconds") == 12.5
    assert fams["kiosk_info"].samples[0].labels == {"version": "0.1", "kiosk": 'hall "A"\\1\n'}
    assert "kiosk_sessions_today" not in fams  # unknown values are left out, not faked
    assert text.count("# HELP") == text.count("# TYPE") == 5


def test_written_atomically_leaving_no_temporary_file(tmp_path):
    target = tmp_path / "textfile" / "kiosk.prom"
    write_metrics(target, render_metrics({"kiosk_up": 1}))
    write_metrics(target, render_metrics({"kiosk_up": 0}))
    assert os.listdir(target.parent) == ["kiosk.prom"]
    assert value(families(target.read_text()), "kiosk_up") == 0


def test_the_running_kiosk_writes_its_metrics(kiosk, tmp_path):
    from pilot import FAKE_TIME

    from kiosk import schedule

    base, t0 = dt.datetime(2024, 7, 1, 10, 0), FAKE_TIME.now
    previous = schedule.use_clock(lambda: base + dt.timedelta(seconds=FAKE_TIME.now - t0))
    try:
        content = tmp_path / "content"
        shutil.copytree(BASIC, content)
        prom = tmp_path / "textfile" / "kiosk.prom"
        app = kiosk.start(content, metrics_file=str(prom),
                          analytics_db=str(tmp_path / "a.sqlite"))
        w, h = app.root.size
        kiosk.tap((w / 2, h / 2))  # a visitor: one session today
        kiosk.advance(6, step=1.0)  # the status file and metrics are rewritten every 5 s
        fams = families(prom.read_text(encoding="utf-8"))
        assert value(fams, "kiosk_up") == 1
        assert value(fams, "kiosk_content_version") == 1
        assert value(fams, "kiosk_content_errors") == 0
        assert value(fams, "kiosk_sessions_today") == 1
        assert 50e6 < value(fams, "kiosk_memory_rss_bytes") < 4e9
        assert 0 <= value(fams, "kiosk_last_reload_age_seconds") < 60
        assert fams["kiosk_info"].samples[0].labels["version"]

        (content / "02-more" / "one.md").write_text("---\ntitle: 改过\n---\n内容。\n",
                                                   encoding="utf-8")
        (content / "01-notes" / "broken.md").write_text("---\ntitle: [unclosed\n---\n",
                                                       encoding="utf-8")
        from kiosk.ui.reload import Reloader

        assert Reloader(app, "off").reload_now()
        app.write_status()
        fams = families(prom.read_text(encoding="utf-8"))
        assert value(fams, "kiosk_content_version") == 2
        assert value(fams, "kiosk_content_errors") == 1

        kiosk.stop()  # a clean stop says so
        fams = families(prom.read_text(encoding="utf-8"))
        assert value(fams, "kiosk_up") == 0
    finally:
        schedule.use_clock(previous)
