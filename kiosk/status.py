"""The status file: a small JSON document that monitoring and tests read.

It is written atomically (temporary file, then rename) so a reader never sees
half a document. No Kivy here: the app hands over plain values.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from pathlib import Path

MODES = ("attract", "browse", "tour", "admin", "stopped")


def memory_rss_mb() -> float:
    """Resident memory of this process in MiB: the current figure on Linux, the peak on
    other Unix systems, 0 where the system does not tell (Windows)."""
    try:
        with open("/proc/self/statm") as fh:  # Linux
            pages = int(fh.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 1048576, 1)
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource  # Unix only
    except ImportError:
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    return round(peak * scale / 1048576, 1)


def build_status(
    *,
    mode: str,
    screen: str,
    language: str,
    content_version: int,
    errors: list[dict],
    warnings: int | list[dict] = 0,
    sections: list[str] | None = None,
    extra: dict | None = None,
) -> dict:
    """``errors`` and ``warnings`` (each a path, line and message in both languages) are
    the content's; ``sections`` the ids of the sections on screen."""
    content: dict = {"version": content_version, "errors": errors}
    if isinstance(warnings, list):
        content["warnings"] = warnings
        content["warning_count"] = len(warnings)
    else:
        content["warnings"] = warnings
    if sections is not None:
        content["sections"] = list(sections)
    doc = {
        "pid": os.getpid(),
        "updated_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "mode": mode,
        "screen": screen,
        "language": language,
        "content": content,
        "memory_rss_mb": memory_rss_mb(),
    }
    if extra:
        doc.update(extra)
    return doc


def write_status(path: str | os.PathLike, doc: dict) -> None:
    """Write ``doc`` as JSON to ``path`` atomically (:mod:`kiosk.fileio`)."""
    from kiosk.fileio import write_json

    write_json(Path(path), doc)


def read_status(path: str | os.PathLike) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
