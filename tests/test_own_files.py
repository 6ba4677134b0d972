"""The kiosk's own files: nothing read from them can run code, none of them may live where
content is written, and a damaged one is set aside (dated) and replaced, not silently
dropped."""

from __future__ import annotations

import json
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from kiosk import recovery
from kiosk.check import run_check
from kiosk.cli import main
from kiosk.content import state
from kiosk.content.loader import ContentLoader
from kiosk.content.state import STATE_FILE, load_with_state


class _Payload:
    """What an attacker would plant: unpickling it creates ``marker`` (any code could run)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.fixture(autouse=True)
def _no_notices():
    recovery.clear()
    yield
    recovery.clear()


def hall(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "content-good", root)
    return root


def planted_states(marker: Path) -> dict[str, bytes]:
    """Saved states someone with write access to the state file could leave there."""
    evil = pickle.dumps({"code": state.code_version(), "loader": _Payload(marker)})
    foreign = {"format": state.FORMAT, "code": state.code_version(), "root": "",
               "layouts": [["builtins:open", []]], "loader": ["o", 0, None]}
    sneaky = dict(foreign, layouts=[["os:system", []], ["subprocess:Popen", []]])
    inside = dict(foreign, layouts=[["kiosk.content.state:_Payload.__reduce__", []]])
    return {"a pickle": evil,
            "builtins.open": json.dumps(foreign).encode(),
            "os.system": json.dumps(sneaky).encode(),
            "a dunder path": json.dumps(inside).encode()}


def test_a_planted_state_file_runs_nothing_and_is_set_aside(tmp_path):
    root = hall(tmp_path)
    fresh = ContentLoader(root).load()
    marker = tmp_path / "code-ran"
    assert pickle.loads(planted_states(marker)["a pickle"]) and marker.exists()  # it would
    marker.unlink()
    for number, (name, data) in enumerate(planted_states(marker).items()):
        saved = tmp_path / f"state-{number}" / STATE_FILE
        saved.parent.mkdir()
        for planted in (saved, saved.with_name("content-state.pickle")):
            planted.write_bytes(data.replace(b'"root": ""', f'"root": "{root}"'.encode()))
        loader, snapshot = load_with_state(root, saved)
        assert not marker.exists(), f"{name}: code ran"
        assert loader.last_parsed and snapshot == fresh, name  # an ordinary full load
        # the planted file was kept aside under a dated name; a good state replaced it
        aside = list(saved.parent.glob(f"{STATE_FILE}.damaged-*"))
        assert len(aside) == 1 and aside[0].read_bytes().startswith(data[:20]), name
        assert not saved.with_name("content-state.pickle").exists()  # never read, removed
        assert load_with_state(root, saved)[0].last_parsed == []
    assert [n["what"] for n in recovery.notices()] == ["content state"] * 4


def test_the_saved_state_is_plain_json_and_gives_the_same_content(tmp_path):
    root = hall(tmp_path)
    saved = tmp_path / "state" / STATE_FILE
    _, first = load_with_state(root, saved)
    doc = json.loads(saved.read_text("utf-8"))
    assert doc["format"] == state.FORMAT and doc["root"] == str(root)
    assert {name.split(":")[0] for name, _ in doc["layouts"]} <= {
        "kiosk.content.loader", "kiosk.content.model", "kiosk.content.paths",
        "kiosk.content.sections", "kiosk.content.source"}
    loader, snapshot = load_with_state(root, saved)
    assert loader.last_parsed == [] and snapshot == first


def kiosk_yaml(folder: Path, text: str) -> Path:
    path = folder / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("key, yaml, where", [
    ("state_dir", "state_dir: content/.kiosk\n", "content"),
    ("cache.dir", "cache:\n  dir: content/_cache\n", "content"),
    ("analytics_db", "analytics_db: content/figures.sqlite\n", "content"),
    ("admin.pin_file", "admin:\n  pin_file: mytheme/pins.json\n", "theme"),
])
def test_own_files_where_content_is_written_are_refused(tmp_path, capsys, caplog, key, yaml,
                                                        where):
    root = hall(tmp_path)
    shutil.copytree(ROOT / "themes" / "light", tmp_path / "mytheme")
    config = kiosk_yaml(tmp_path, f"content: content\ntheme: mytheme\n{yaml}")
    line = yaml.count("\n")  # the line of the key (the last one written)
    marker = tmp_path / "code-ran"
    (root / ".kiosk").mkdir()
    (root / ".kiosk" / STATE_FILE).write_bytes(pickle.dumps(_Payload(marker)))

    assert run_check(root, config_path=config) == 1
    out = capsys.readouterr().out
    assert f"kiosk.yaml:{line + 2}: error" in out and f"'{key}'" in out, out
    assert f"inside the {where} folder" in out

    assert main(["run", "--config", str(config)]) == 2  # refused before reading anything
    assert f"'{key}'" in caplog.text and not marker.exists()
    assert main(["render", "--config", str(config), "--out", str(tmp_path / "shots")]) == 2
    assert not (tmp_path / "shots").exists() and not marker.exists()


def test_state_and_cache_folders_follow_systemd_then_the_system(tmp_path, monkeypatch):
    from kiosk.config import load_config

    monkeypatch.delenv("STATE_DIRECTORY", raising=False)
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    config, problems = load_config(kiosk_yaml(tmp_path, "content: content\n"))
    assert config.state_dir == str(tmp_path / "xdg-state" / "kiosk")
    assert config.cache.dir == str(tmp_path / "xdg-cache" / "kiosk")
    assert config.analytics_db == str(tmp_path / "xdg-state" / "kiosk" / "analytics.sqlite")
    monkeypatch.setenv("STATE_DIRECTORY", "/var/lib/kiosk:/var/lib/other")
    monkeypatch.setenv("CACHE_DIRECTORY", "/var/cache/kiosk")
    config, _ = load_config(tmp_path / "kiosk.yaml")
    assert (config.state_dir, config.cache.dir) == ("/var/lib/kiosk", "/var/cache/kiosk")


def test_a_damaged_figures_database_is_set_aside_and_a_new_one_started(tmp_path):
    from kiosk.analytics import Analytics

    db = tmp_path / "state" / "analytics.sqlite"
    db.parent.mkdir()
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a header, then garbage
    rec = Analytics(db, kiosk="test")
    rec.touch("home")
    rec.close()
    aside = list(db.parent.glob("analytics.sqlite.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes().endswith(b"\xff" * 100)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT end_reason FROM sessions").fetchall() == [("stop",)]
    (note,) = recovery.notices()
    assert note["what"] == "visitor figures database" and note["moved_to"] == str(aside[0])


def test_a_damaged_picture_in_the_cache_is_set_aside_and_made_again(tmp_path):
    from PIL import Image

    from kiosk.images.pipeline import Pipeline

    src = tmp_path / "p.jpg"
    Image.new("RGB", (300, 200), (200, 30, 30)).save(src)
    Pipeline(tmp_path / "cache").load(str(src), (128, 128))
    entries = [path for _, _, path in Pipeline(tmp_path / "cache").disk.entries()]
    for entry in entries:
        entry.write_bytes(b"garbage")
    out = Pipeline(tmp_path / "cache").load(str(src), (128, 128))
    assert (out.width, out.height) == (128, 85)
    aside = [p for e in entries for p in e.parent.glob(f"{e.name}.damaged-*")]
    assert aside and all(p.read_bytes() == b"garbage" for p in aside)  # kept
    assert Pipeline(tmp_path / "cache").load(str(src), (128, 128)).data == out.data  # made again
    assert {n["what"] for n in recovery.notices()} == {"picture cache entry"}


def test_status_file_and_admin_panel_say_a_damaged_database_was_set_aside(kiosk, tmp_path):
    from test_admin_panel import open_panel, sections

    from kiosk.ui.widgets.adminpanel import ProblemLine

    db = tmp_path / "figures.sqlite"
    db.write_bytes(b"this is no database" * 100)
    app = open_panel(kiosk, tmp_path, analytics_db=str(db))
    (note,) = kiosk.status()["recovered"]
    assert note["what"] == "visitor figures database" and note["path"] == str(db)
    assert Path(note["moved_to"]).read_bytes().startswith(b"this is no database")
    lines = [w.text for w in kiosk.widgets(ProblemLine, sections(kiosk))]
    assert any("参观统计数据库已损坏" in t and note["moved_to"] in t for t in lines), lines
    assert app.analytics is not None  # figures are recorded again, in a new file
    kiosk.find_text("今天：1")  # the touch that opened the panel: recorded in the new file
