"""A restart reads only what changed since the last start: the loader's memory is kept
in the state folder, and anything doubtful about it means a normal full load."""

from __future__ import annotations

import os
import shutil
import time

from conftest import FIXTURES

from kiosk.content import state
from kiosk.content.loader import ContentLoader
from kiosk.content.state import load_with_state


def hall(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "content-good", root)
    return root


def test_a_restart_reads_nothing_when_nothing_changed(tmp_path):
    root, saved = hall(tmp_path), tmp_path / "state" / "content-state.json"
    first_loader, first = load_with_state(root, saved)
    assert first_loader.last_parsed and saved.is_file()
    loader, snapshot = load_with_state(root, saved)  # the next start
    assert loader is not first_loader
    assert loader.last_parsed == []
    assert snapshot == first


def test_a_restart_reads_the_files_changed_meanwhile(tmp_path):
    root, saved = hall(tmp_path), tmp_path / "state.json"
    load_with_state(root, saved)
    page = next(root.glob("01-history/*.md"))
    time.sleep(0.01)
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "title: 新", 1),
                    encoding="utf-8")
    (root / "02-figures" / "extra.md").write_text("---\ntitle: 新展项\n---\n正文。\n",
                                                  encoding="utf-8")
    loader, snapshot = load_with_state(root, saved)
    rel = page.relative_to(root).as_posix()
    assert sorted(loader.last_parsed) == sorted([rel, "02-figures/extra.md"])
    assert snapshot == ContentLoader(root).load()  # exactly what a full load gives
    again, _ = load_with_state(root, saved)  # and that was saved in turn
    assert again.last_parsed == []


def test_a_damaged_or_foreign_state_is_not_used(tmp_path, monkeypatch):
    root, saved = hall(tmp_path), tmp_path / "state.json"
    fresh = ContentLoader(root).load()
    saved.write_bytes(b"not a pickle at all")
    loader, snapshot = load_with_state(root, saved)
    assert loader.last_parsed and snapshot == fresh
    assert state.restore_loader(saved, root) is not None  # rewritten, usable now
    other = hall(tmp_path / "elsewhere")
    assert state.restore_loader(saved, other) is None  # saved for another folder
    monkeypatch.setattr(state, "code_version", lambda: "other code")
    assert state.restore_loader(saved, root) is None  # saved by other code


def test_an_unwritable_state_folder_only_costs_time(tmp_path):
    root = hall(tmp_path)
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    loader, snapshot = load_with_state(root, blocker / "state.json")
    assert snapshot == ContentLoader(root).load()
    assert not (blocker / "state.json").exists() and os.path.isfile(blocker)
