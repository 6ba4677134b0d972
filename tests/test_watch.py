"""ContentWatcher without Kivy: bursts become one report, temporaries are ignored,
atomic saves and folder swaps are understood, a dead observer comes back."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from kiosk.watch import ContentWatcher

SETTLE = 0.1
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")


class Recorder:
    def __init__(self):
        self.calls: list[frozenset[str] | None] = []
        self.threads: list[str] = []
        self.cond = threading.Condition()

    def __call__(self, changed):
        with self.cond:
            self.calls.append(changed)
            self.threads.append(threading.current_thread().name)
            self.cond.notify_all()

    def wait(self, n: int = 1, timeout: float = 5.0) -> list:
        with self.cond:
            self.cond.wait_for(lambda: len(self.calls) >= n, timeout)
            return list(self.calls)

    def quiet(self, seconds: float) -> list:
        """Wait ``seconds`` and return whatever was reported meanwhile."""
        time.sleep(seconds)
        with self.cond:
            return list(self.calls)


def tree(root: Path) -> Path:
    (root / "01-history" / "images").mkdir(parents=True)
    (root / "site.yaml").write_text("title: 展览\n", encoding="utf-8")
    (root / "01-history" / "_section.yaml").write_text("title: 历程\nlayout: grid\n",
                                                       encoding="utf-8")
    (root / "01-history" / "a.md").write_text("---\ntitle: A\n---\nbody\n", encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path) -> Path:
    return tree(tmp_path / "content")


@pytest.fixture
def watch(content):
    started = []

    def make(mode="native", paths=None, **kw):
        rec = Recorder()
        kw.setdefault("settle", SETTLE)
        kw.setdefault("check_every", 0.1)
        kw.setdefault("poll_interval", 0.1)
        w = ContentWatcher(paths or [content], rec, mode=mode, **kw)
        w.start()
        started.append(w)
        time.sleep(0.05)  # let the emitters take their first look
        return w, rec

    yield make
    for w in started:
        w.stop()


def test_an_edit_is_reported_once_from_the_watcher_thread(content, watch):
    w, rec = watch()
    target = content / "01-history" / "a.md"
    target.write_text("---\ntitle: B\n---\n", encoding="utf-8")
    calls = rec.wait(1)
    assert calls == [frozenset({str(target)})]
    assert rec.threads == ["content-watch"]
    assert rec.quiet(4 * SETTLE) == calls  # no second report for the same edit
    assert w.active_mode == "native"


def test_a_burst_of_twenty_writes_is_one_report(content, watch):
    w, rec = watch()
    folder = content / "01-history"
    for i in range(20):
        (folder / f"n{i:02d}.md").write_text(f"---\ntitle: {i}\n---\n", encoding="utf-8")
        time.sleep(0.002)
    calls = rec.wait(1)
    assert rec.quiet(4 * SETTLE) == calls
    assert len(calls) == 1
    assert {Path(p).name for p in calls[0]} == {f"n{i:02d}.md" for i in range(20)}


@pytest.mark.parametrize("name", [
    "a.md.swp", ".a.md.swx", ".syncthing.a.md.tmp", "~$report.docx", ".~lock.x.odt#",
    "a.md~", "download.part", "Thumbs.db", ".DS_Store", "x.tmp",
])
def test_temporary_files_are_not_reported(content, watch, name):
    w, rec = watch()
    temp = content / "01-history" / name
    temp.write_text("scratch", encoding="utf-8")
    temp.unlink()
    assert rec.quiet(5 * SETTLE) == []


def test_reading_files_is_not_a_change(content, watch):
    w, rec = watch()
    for path in content.rglob("*"):
        if path.is_file():
            path.read_bytes()
    list(os.scandir(content / "01-history"))
    assert rec.quiet(5 * SETTLE) == []


def test_hidden_folders_are_not_watched_for_content(content, watch):
    w, rec = watch()
    git = content / ".git" / "objects"
    git.mkdir(parents=True)
    (git / "pack").write_text("x", encoding="utf-8")
    assert rec.quiet(5 * SETTLE) == []


@pytest.mark.parametrize("temp_name", [".a.md.Xy12Zq", ".syncthing.a.md.tmp", "a.md.tmp"])
def test_a_save_by_rename_is_one_report_of_the_real_name(content, watch, temp_name):
    w, rec = watch()
    folder = content / "01-history"
    temp = folder / temp_name
    temp.write_text("---\ntitle: Saved\n---\n", encoding="utf-8")
    os.replace(temp, folder / "a.md")
    calls = rec.wait(1)
    assert rec.quiet(4 * SETTLE) == calls
    assert calls == [frozenset({str(folder / "a.md")})]


def test_vim_style_save_backup_rename_then_new_file(content, watch):
    w, rec = watch()
    folder = content / "01-history"
    os.rename(folder / "a.md", folder / "a.md~")
    (folder / "a.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    (folder / "a.md~").unlink()
    calls = rec.wait(1)
    assert rec.quiet(4 * SETTLE) == calls
    assert calls == [frozenset({str(folder / "a.md")})]


def test_an_unzipped_folder_is_one_report(content, watch):
    w, rec = watch()
    new = content / "02-new"
    (new / "images" / "deep").mkdir(parents=True)
    (new / "_section.yaml").write_text("title: 新\nlayout: grid\n", encoding="utf-8")
    for i in range(5):
        (new / f"e{i}.md").write_text(f"---\ntitle: {i}\n---\n", encoding="utf-8")
        (new / "images" / "deep" / f"p{i}.jpg").write_bytes(b"\xff\xd8" + bytes(100))
    calls = rec.wait(1)
    assert rec.quiet(4 * SETTLE) == calls
    assert len(calls) == 1 and str(new) in calls[0]


def test_a_folder_deleted_and_created_again_is_one_report(content, watch, tmp_path):
    w, rec = watch()
    backup = tmp_path / "backup"
    shutil.copytree(content / "01-history", backup)
    shutil.rmtree(content / "01-history")
    shutil.copytree(backup, content / "01-history")
    (content / "01-history" / "a.md").write_text("---\ntitle: Again\n---\n", encoding="utf-8")
    calls = rec.wait(1)
    assert rec.quiet(4 * SETTLE) == calls
    assert len(calls) == 1
    assert str(content / "01-history") in calls[0]
    # still watched afterwards
    (content / "01-history" / "a.md").write_text("---\ntitle: Later\n---\n", encoding="utf-8")
    assert len(rec.wait(2)) == 2


def test_a_slow_copy_is_reported_once_it_is_complete(content, watch):
    w, rec = watch(settle=0.15)
    big = content / "01-history" / "images" / "big.jpg"
    sizes = []
    rec_call = rec.__call__

    def on_change(changed):
        sizes.append(big.stat().st_size)
        rec_call(changed)

    w.on_change = on_change
    with open(big, "wb") as fh:
        for _ in range(6):
            fh.write(bytes(50_000))
            fh.flush()
            time.sleep(0.1)  # shorter than the settle time: one long burst
    calls = rec.wait(1)
    assert rec.quiet(0.5) == calls
    assert len(calls) == 1 and sizes == [300_000]


def test_polling_mode_reports_changes(content, watch):
    w, rec = watch(mode="polling")
    assert w.active_mode == "polling"
    target = content / "01-history" / "b.md"
    target.write_text("---\ntitle: B\n---\n", encoding="utf-8")
    assert rec.wait(1) == [frozenset({str(target)})]


def test_native_falls_back_to_polling_when_it_cannot_start(content, watch, monkeypatch):
    real = ContentWatcher._make_observer

    def failing(self, mode):
        if mode == "native":
            raise OSError(28, "inotify watch limit reached")
        return real(self, mode)

    monkeypatch.setattr(ContentWatcher, "_make_observer", failing)
    w, rec = watch(mode="native")
    assert w.active_mode == "polling"
    target = content / "site.yaml"
    target.write_text("title: 新展览\n", encoding="utf-8")
    assert rec.wait(1) == [frozenset({str(target)})]


def test_a_dead_observer_is_restarted_with_a_full_rescan(content, watch):
    w, rec = watch(mode="polling")
    old = w._observer
    old.stop()
    old.join(2)
    assert rec.wait(1) == [None]
    assert w.restarts == 1 and w._observer is not old and w._observer.is_alive()
    target = content / "01-history" / "a.md"
    target.write_text("---\ntitle: After\n---\n", encoding="utf-8")
    assert rec.wait(2)[1] == frozenset({str(target)})


def test_a_failure_in_the_watcher_thread_does_not_end_the_watching(content, watch, caplog):
    w, rec = watch()
    supervise, failures = w._supervise, []

    def failing_once():
        if not failures:
            failures.append(1)
            raise RuntimeError("the file system said something odd")
        supervise()

    w._supervise = failing_once
    assert rec.wait(1) == [None]  # it goes on, and looks at everything again
    assert failures and "file watching failed; going on" in caplog.text
    target = content / "01-history" / "a.md"
    target.write_text("---\ntitle: After\n---\n", encoding="utf-8")
    assert rec.wait(2)[1] == frozenset({str(target)})
    assert w.running


def test_the_content_folder_deleted_and_restored(content, watch, tmp_path):
    w, rec = watch()
    backup = tmp_path / "backup"
    shutil.copytree(content, backup)
    shutil.rmtree(content)
    calls = rec.wait(1)
    assert calls and (calls[0] is None or str(content) in calls[0])
    shutil.copytree(backup, content)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and str(content) not in w._watched:
        time.sleep(0.05)
    assert str(content) in w._watched
    before = len(rec.wait(2))
    time.sleep(3 * SETTLE)
    target = content / "site.yaml"
    target.write_text("title: 回来了\n", encoding="utf-8")
    calls = rec.wait(before + 1)
    assert any(c is not None and str(target) in c for c in calls[before - 1:])


def test_an_old_observer_that_never_stops_does_not_hold_up_the_watching(content, watch,
                                                                        tmp_path, caplog):
    """watchdog's stop waits for its threads with no limit (an inotify reader whose folder
    was deleted can wait for ever): the watcher goes on with a new observer all the same."""
    w, rec = watch()
    old = w._observer
    never = threading.Event()
    old.stop = never.wait  # as a stop that never comes back
    try:
        content.rename(tmp_path / "content.old")
        assert rec.wait(1, timeout=8) and rec.calls[0] is None  # a full look: the folder is gone
        assert w._observer is not old and w.restarts >= 1
        assert "the old file watcher did not stop within 2 s" in caplog.text
        shutil.copytree(tmp_path / "content.old", content)
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and str(content) not in w._watched:
            time.sleep(0.05)
        time.sleep(3 * SETTLE)
        before = len(rec.calls)
        target = content / "site.yaml"
        target.write_text("title: 新的\n", encoding="utf-8")
        calls = rec.wait(before + 1)
        assert any(c is None or str(target) in c for c in calls[before:])
    finally:
        never.set()
        type(old).stop(old)


def test_the_content_folder_moved_away_and_a_fresh_copy_pasted(content, watch, tmp_path):
    """Staff rename the old folder and paste a new one from a USB stick: the move is
    noticed (a full look, which reports the folder gone), the new folder is watched, and
    an edit in it is reported; edits in the old one, wherever it went, are not."""
    w, rec = watch()
    old = tmp_path / "content.old"
    content.rename(old)
    assert rec.wait(1) and rec.calls[0] is None  # a full look: the folder is gone
    shutil.copytree(old, content)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and w._watched.get(str(content)) != \
            (content.stat().st_dev, content.stat().st_ino):
        time.sleep(0.05)
    assert w._watched[str(content)] == (content.stat().st_dev, content.stat().st_ino)
    time.sleep(3 * SETTLE)
    before = len(rec.calls)
    (old / "site.yaml").write_text("title: 旧的\n", encoding="utf-8")
    assert rec.quiet(4 * SETTLE)[before:] == []
    target = content / "site.yaml"
    target.write_text("title: 新的\n", encoding="utf-8")
    calls = rec.wait(before + 1)
    assert any(c is None or str(target) in c for c in calls[before:])


def test_periodic_full_rescan(content, watch):
    w, rec = watch(rescan_every=0.3)
    assert rec.wait(1, timeout=3) == [None]


def test_theme_folder_is_watched_too(content, watch, tmp_path):
    theme = tmp_path / "themes" / "red"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: red\n", encoding="utf-8")
    w, rec = watch(paths=[content, theme])
    (theme / "theme.yaml").write_text("name: redder\n", encoding="utf-8")
    assert rec.wait(1) == [frozenset({str(theme / "theme.yaml")})]


def test_stop_ends_the_threads(content, watch):
    w, rec = watch()
    thread, observer = w._thread, w._observer
    w.stop()
    assert not thread.is_alive() and not observer.is_alive()
    (content / "site.yaml").write_text("title: x\n", encoding="utf-8")
    assert rec.quiet(4 * SETTLE) == []


def test_unknown_mode_is_refused(content):
    with pytest.raises(ValueError):
        ContentWatcher([content], print, mode="off")


def test_a_file_closed_after_writing_is_reported_without_the_long_wait(content, watch):
    w, rec = watch(settle=2.0, quick=0.05)
    target = content / "01-history" / "a.md"
    started = time.monotonic()
    target.write_text("---\ntitle: Quick\n---\n", encoding="utf-8")  # open, write, close
    assert rec.wait(1, timeout=5) == [frozenset({str(target)})]
    assert time.monotonic() - started < 1.0  # the quick wait, not the 2 s settle


def test_a_file_still_open_for_writing_waits_the_full_settle(content, watch):
    w, rec = watch(settle=2.0, quick=0.05)
    big = content / "01-history" / "images" / "big.jpg"
    with open(big, "wb") as fh:
        fh.write(bytes(100_000))
        fh.flush()
        assert rec.quiet(0.8) == []  # written, not closed: could be half a copy
        fh.write(bytes(100_000))
    closed = time.monotonic()
    assert rec.wait(1, timeout=5) == [frozenset({str(big)})]
    assert time.monotonic() - closed < 1.5
    assert big.stat().st_size == 200_000


# The fast path: a file that is complete when its event arrives (renamed into place,
# closed after writing) is reported without the settle wait and without the quick
# wait either; a file still growing is waited for.


def test_a_file_renamed_into_place_is_reported_at_once(content, watch):
    w, rec = watch(settle=2.0, quick=1.0)
    target = content / "01-history" / "a.md"
    temp = content / "01-history" / ".a.md.tmp"  # a hidden temporary, as editors write
    temp.write_text("---\ntitle: Renamed\n---\n", encoding="utf-8")
    time.sleep(0.2)  # the temporary's own events are ignored and long past
    started = time.monotonic()
    os.replace(temp, target)
    assert rec.wait(1, timeout=5) == [frozenset({str(target)})]
    assert time.monotonic() - started < 0.5  # neither the 2 s settle nor the 1 s quick wait
    assert rec.quiet(0.3) == [frozenset({str(target)})]


def test_a_file_closed_after_writing_is_reported_at_once(content, watch):
    w, rec = watch(settle=2.0, quick=1.0)
    target = content / "01-history" / "new.md"
    started = time.monotonic()
    target.write_text("---\ntitle: Closed\n---\n", encoding="utf-8")  # open, write, close
    assert rec.wait(1, timeout=5) == [frozenset({str(target)})]
    assert time.monotonic() - started < 0.5


def test_a_slow_partial_write_still_waits_for_the_settle_time(content, watch):
    w, rec = watch(settle=1.0, quick=0.05)
    big = content / "01-history" / "images" / "big.jpg"
    sizes = []
    rec_call = rec.__call__

    def on_change(changed):
        sizes.append(big.stat().st_size)
        rec_call(changed)

    w.on_change = on_change
    with open(big, "wb") as fh:
        for _ in range(4):
            fh.write(bytes(50_000))
            fh.flush()
            time.sleep(0.3)  # far longer than the quick waits, shorter than the settle time
        assert rec.quiet(0.1) == []
    assert rec.wait(1, timeout=5) == [frozenset({str(big)})]
    assert sizes == [200_000]


def test_a_rename_next_to_a_file_still_growing_waits_for_both(content, watch):
    w, rec = watch(settle=1.0, quick=0.05)
    big = content / "01-history" / "images" / "big.jpg"
    target = content / "01-history" / "a.md"
    temp = content / "01-history" / ".a.md.tmp"
    temp.write_text("---\ntitle: With photo\n---\n", encoding="utf-8")
    with open(big, "wb") as fh:
        fh.write(bytes(50_000))
        fh.flush()
        os.replace(temp, target)
        assert rec.quiet(0.5) == []  # the photo is not complete yet
        fh.write(bytes(50_000))
    assert rec.wait(1, timeout=5) == [frozenset({str(big), str(target)})]
    assert rec.quiet(0.3) == rec.calls[:1]


def test_polling_reports_within_a_look_and_two_reads(content, watch):
    w, rec = watch(mode="polling", settle=2.0, quick=0.05, poll_interval=0.2)
    target = content / "01-history" / "b.md"
    started = time.monotonic()
    target.write_text("---\ntitle: B\n---\n", encoding="utf-8")
    assert rec.wait(1, timeout=5) == [frozenset({str(target)})]
    assert time.monotonic() - started < 1.0  # one look (0.2 s) and two reads, not the 2 s settle
