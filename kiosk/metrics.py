"""Prometheus metrics in the text format, for node_exporter's textfile collector.

With ``metrics_file: /var/lib/node_exporter/textfile/kiosk.prom`` in
``kiosk.yaml`` (or ``kiosk run --metrics-file``), the kiosk rewrites that file
whenever it writes its status file (every 5 s and on each screen change).
node_exporter publishes it with the machine's own metrics, so an existing
Prometheus and Grafana watch every kiosk of the fleet without a port opened by
the kiosk itself.

The file is written atomically (temporary file in the same folder, then
rename): node_exporter never reads half a file. When the kiosk stops cleanly,
``kiosk_up`` is written as 0; if it dies, the file stops changing, which
node_exporter shows as ``node_textfile_mtime_seconds`` (alert on its age).
No Kivy here.
"""

from __future__ import annotations

import logging
import os
import platform
import time
from pathlib import Path

from kiosk import __version__
from kiosk.status import memory_rss_mb

log = logging.getLogger("kiosk.metrics")

# name, type, help
METRICS = (
    ("kiosk_up", "gauge", "1 while the kiosk app runs, 0 after a clean stop."),
    ("kiosk_content_version", "gauge",
     "Content version on screen: 1 at start, +1 on every reload that changed it."),
    ("kiosk_content_errors", "gauge", "Errors in the content (files that could not be used)."),
    ("kiosk_content_warnings", "gauge", "Warnings about the content."),
    ("kiosk_last_reload_age_seconds", "gauge",
     "Seconds since the content on screen last changed (or since start)."),
    ("kiosk_sessions_today", "gauge", "Visitor sessions started today (local time)."),
    ("kiosk_memory_rss_bytes", "gauge", "Resident memory of the kiosk process."),
    ("kiosk_last_update_timestamp_seconds", "gauge", "Unix time this file was written."),
    ("kiosk_info", "gauge", "Constant 1 with the software version and kiosk name as labels."),
)


def registry_for(values: dict, labels: dict[str, dict[str, str]] | None = None):
    """A prometheus-client registry holding ``values`` (metric name → number), each metric
    with its help text and labels. Metrics missing from ``values`` are left out."""
    from prometheus_client import CollectorRegistry, Gauge

    labels = labels or {}
    registry = CollectorRegistry(auto_describe=True)
    for name, kind, text in METRICS:
        if values.get(name) is None:
            continue
        assert kind == "gauge"
        tags = labels.get(name) or {}
        gauge = Gauge(name, text, list(tags), registry=registry)
        (gauge.labels(**tags) if tags else gauge).set(float(values[name]))
    return registry


def render_metrics(values: dict, labels: dict[str, dict[str, str]] | None = None) -> str:
    """The text-format document for ``values``: prometheus-client's own exposition."""
    from prometheus_client import generate_latest

    return generate_latest(registry_for(values, labels)).decode("utf-8")


def write_metrics(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically (:mod:`kiosk.fileio`: a temporary file in the
    same folder, flushed, renamed): node_exporter never reads half a file. (prometheus-
    client's ``write_to_textfile`` renames too, but flushes nothing to the disk.)"""
    from kiosk.fileio import write_text

    write_text(Path(path), text)


def metric_values(*, up: bool = True, content=None, errors=None, content_version: int = 0,
                  changed_at: float | None = None, analytics=None,
                  name: str | None = None) -> tuple[dict, dict]:
    """Metric values and labels: ``content`` the snapshot on screen, ``errors`` the content
    errors (its own when None), ``changed_at`` wall-clock seconds of the last content change,
    ``analytics`` the visitor figures (:class:`kiosk.analytics.Analytics`) if recorded."""
    if not errors and content is not None:
        errors = list(content.errors)
    sessions = None
    if analytics is not None:
        try:
            sessions = analytics.sessions_today()
        except Exception as exc:  # figures are optional; the rest of the file still counts
            log.warning("cannot count today's sessions: %s", exc)
    now = time.time()
    values = {
        "kiosk_up": 1 if up else 0,
        "kiosk_content_version": int(content_version or 0),
        "kiosk_content_errors": len(errors or ()),
        "kiosk_content_warnings": len(content.warnings) if content is not None else 0,
        "kiosk_last_reload_age_seconds": round(max(0.0, now - changed_at), 3)
        if changed_at else None,
        "kiosk_sessions_today": sessions,
        "kiosk_memory_rss_bytes": int(memory_rss_mb() * 1048576),
        "kiosk_last_update_timestamp_seconds": round(now, 3),
        "kiosk_info": 1,
    }
    labels = {"kiosk_info": {"version": __version__, "kiosk": name or platform.node() or "kiosk"}}
    return values, labels


def app_values(app, up: bool = True) -> tuple[dict, dict]:
    """Metric values and labels read from a running ``KioskApp``."""
    return metric_values(up=up, content=app.content, errors=app.content_errors,
                         content_version=app.content_version, changed_at=app.content_changed_at,
                         analytics=app.analytics, name=app.kiosk_config.name)


def write_app_metrics(app, up: bool = True) -> bool:
    """Write the metrics file named in the app's config, if any. Never raises."""
    config = app.kiosk_config
    path = config.metrics_file
    if not path:
        return False
    try:
        values, labels = app_values(app, up)
        write_metrics(config.path(path), render_metrics(values, labels))
        return True
    except OSError as exc:
        log.error("cannot write the metrics file %s: %s", path, exc)
    except Exception:
        log.exception("building the metrics failed")
    return False


__all__ = ["METRICS", "app_values", "metric_values", "registry_for", "render_metrics",
           "write_app_metrics", "write_metrics"]
