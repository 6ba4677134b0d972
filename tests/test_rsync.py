"""Content pushed from a central share with a real ``rsync`` lands as one clean reload.

``rsync -a --delete-delay --delay-updates`` (the command in docs/operations.md)
writes every file under a hidden ``.~tmp~`` folder and renames them into place
at the end; the transfer is slowed down so that it pauses for longer than the
watcher's quiet period. The kiosk
must ignore the temporary files and apply the new version exactly once, and
what it shows must equal a fresh load of the final tree.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import time

import pytest
from conftest import FIXTURES
from PIL import Image

from kiosk.content.loader import ContentLoader
from kiosk.ui.reload import Reloader

RSYNC = shutil.which("rsync")
pytestmark = pytest.mark.skipif(
    RSYNC is None, reason="rsync is not installed (Debian: apt-get install rsync)")

BASIC = FIXTURES / "ui-basic"


def noise_jpeg(path, size=700, seed=0):
    """A photo-sized JPEG that does not compress (so the copy takes a while)."""
    rnd = random.Random(seed)
    img = Image.frombytes("RGB", (size, size), rnd.randbytes(size * size * 3))
    img.save(path, "JPEG", quality=95)


def version_two(tmp_path):
    """The share: the same exhibition, edited — changed titles, a new section with
    photos, a removed exhibit."""
    share = tmp_path / "share"
    shutil.copytree(BASIC, share)
    (share / "02-more" / "one.md").write_text(
        "---\ntitle: 第一项（修订）\n---\n新的正文。\n", encoding="utf-8")
    (share / "01-notes" / "markup.md").unlink()
    new = share / "03-photos"
    new.mkdir()
    (new / "_section.yaml").write_text("title: {zh: 新照片, en: New photos}\nlayout: gallery\n",
                                       encoding="utf-8")
    for i in range(3):
        noise_jpeg(new / f"p{i}.jpg", seed=i)
        (new / f"p{i}.md").write_text(
            f"---\ntitle: 照片{i}\nimages: [p{i}.jpg]\n---\n", encoding="utf-8")
    return share


def pump(kiosk, seconds):
    """Let real time pass (the watcher thread works) while the app draws frames."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kiosk.frames(1)
        time.sleep(0.02)


def test_rsync_of_a_new_version_is_one_clean_reload(kiosk, tmp_path):
    content = tmp_path / "kiosk" / "content"
    shutil.copytree(BASIC, content)
    share = version_two(tmp_path)
    app = kiosk.start(content)
    reloader = Reloader(app, "native", settle=0.3, check_every=0.2).start()
    try:
        assert reloader.watcher.active_mode == "native"
        pump(kiosk, 0.3)
        assert app.content_version == 1
        started = time.monotonic()
        done = subprocess.run(
            [RSYNC, "-a", "--delete-delay", "--delay-updates", "--bwlimit=1500",
             f"{share}/", f"{content}/"],
            capture_output=True, text=True, timeout=60)
        copy_seconds = time.monotonic() - started
        assert done.returncode == 0, done.stderr
        assert copy_seconds > 0.6  # longer than the quiet period: partial states were visible
        deadline = time.monotonic() + 15
        while reloader.reloads == 0 and time.monotonic() < deadline:
            pump(kiosk, 0.1)
        pump(kiosk, 1.5)  # anything late would show up as a second reload
        assert reloader.reloads == 1
        assert app.content_version == 2
        fresh = ContentLoader(content).load()
        assert app.content == fresh  # exactly what a fresh start would show
        assert not app.content.errors
        assert [s.id for s in app.content.sections] == ["notes", "more", "photos"]
        assert app.content.exhibit("notes", "markup") is None
        assert app.content.exhibit("more", "one").title.get("zh") == "第一项（修订）"
        assert not list(content.rglob(".~tmp~"))  # rsync cleaned up after itself
        app.go("section/more")
        kiosk.settle()
        kiosk.find_text("第一项（修订）")
        assert kiosk.status()["content"]["version"] == 2
    finally:
        reloader.stop()


def test_rsync_of_an_unchanged_tree_changes_nothing(kiosk, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    app = kiosk.start(content)
    reloader = Reloader(app, "native", settle=0.2, check_every=0.2).start()
    try:
        done = subprocess.run([RSYNC, "-a", "--delete", "--delay-updates", "--checksum",
                               f"{BASIC}/", f"{content}/"], capture_output=True, timeout=60)
        assert done.returncode == 0
        pump(kiosk, 1.0)
        assert app.content_version == 1
        assert reloader.reloads == 0
    finally:
        reloader.stop()


def test_a_copy_paused_between_files_waits_but_a_stale_leftover_does_not(tmp_path):
    """The watcher holds a change back while rsync's staging folder is fresh beside it,
    and ignores one left behind long ago by a copy that was killed."""
    import os
    import threading

    from kiosk.watch import ContentWatcher

    root = tmp_path / "content"
    (root / "a").mkdir(parents=True)
    staging = root / "a" / ".~tmp~"
    staging.mkdir()
    reports = []
    got = threading.Event()
    watcher = ContentWatcher([root], lambda paths: (reports.append(paths), got.set()),
                             settle=0.2, check_every=0.2).start()
    try:
        (root / "a" / "one.md").write_text("---\ntitle: 一\n---\n", encoding="utf-8")
        assert not got.wait(1.5)  # a copy is under way: nothing reported yet
        staging.rmdir()  # rsync renamed its files into place and removed the folder
        assert got.wait(5)
        assert len(reports) == 1
        got.clear()
        staging.mkdir()
        old = time.time() - 3600
        os.utime(staging, (old, old))  # left by a copy killed an hour ago
        (root / "a" / "two.md").write_text("---\ntitle: 二\n---\n", encoding="utf-8")
        os.utime(staging, (old, old))
        assert got.wait(3)
    finally:
        watcher.stop()
