"""The polling process's look over a tree: what a network share's staff do is found."""

from __future__ import annotations

import os

from kiosk import pollwatch
from kiosk.pollwatch import TreePoll


def _age(path, seconds=60):
    """Make a folder look changed long ago (its listing can then be kept)."""
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def test_edits_in_folders_not_listed_again_are_found(tmp_path):
    folder = tmp_path / "01-history"
    folder.mkdir()
    page = folder / "a.md"
    page.write_text("one", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_text("x", encoding="utf-8")
    _age(folder)
    _age(tmp_path)
    poll = TreePoll(str(tmp_path))
    assert poll.look() == []
    assert str(tmp_path / ".git" / "index") not in poll.files  # hidden folders are not entered
    listed = poll.dirs[str(folder)][1]

    page.write_text("two, longer", encoding="utf-8")  # rewritten in place: the folder is unchanged
    assert poll.look() == [("modified", str(page), False)]
    assert poll.dirs[str(folder)][1] == listed  # the folder was not listed again

    new = folder / "b.md"
    new.write_text("new", encoding="utf-8")  # the folder's time changes: it is listed again
    page.unlink()
    assert sorted(poll.look()) == [("created", str(new), False), ("deleted", str(page), False)]
    sub = folder / "images"
    sub.mkdir()
    assert poll.look() == [("created", str(sub), True)]


def test_a_folder_changed_within_the_same_tick_is_listed_again(tmp_path, monkeypatch):
    folder = tmp_path / "s"
    folder.mkdir()
    poll = TreePoll(str(tmp_path))
    monkeypatch.setattr(pollwatch, "RELIST_EVERY", 1000)
    poll.look()
    stamp = os.stat(folder).st_mtime_ns
    (folder / "x.md").write_text("x", encoding="utf-8")
    os.utime(folder, ns=(stamp, stamp))  # a coarse clock: the folder's time did not move
    assert poll.look() == [("created", str(folder / "x.md"), False)]  # listed recently: again
