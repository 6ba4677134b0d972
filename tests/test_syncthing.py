"""Content that arrives through Syncthing, tested with the real one: two instances on
127.0.0.1 (no discovery, relays, NAT or usage reporting) share a staging copy with the
running kiosk's content folder; a batch of edits, additions, a deleted section and new
photos on the staging side ends on the kiosk exactly as a fresh load of it, and no
partial section is ever applied."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from badpictures import page, photo
from conftest import FIXTURES

from kiosk.content.loader import ContentLoader
from kiosk.ui.reload import Reloader

pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

SYNCTHING = shutil.which("syncthing")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """One Syncthing with its own home folder, listening on 127.0.0.1 only."""

    def __init__(self, home: Path):
        self.home = home
        self.port = _free_port()
        self.gui = _free_port()
        out = subprocess.run([SYNCTHING, "generate", f"--home={home}", "--no-default-folder",
                              "--skip-port-probing"], capture_output=True, text=True,
                             timeout=60, check=True)
        self.id = next(line.split("Device ID:")[1].strip()
                       for line in (out.stdout + out.stderr).splitlines() if "Device ID:" in line)
        self.proc: subprocess.Popen | None = None

    def configure(self, folder: Path, kind: str, peer: Instance) -> None:
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        options = root.find("options")
        settings = {"listenAddress": f"tcp://127.0.0.1:{self.port}",
                    "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false",
                    "relaysEnabled": "false", "natEnabled": "false", "urAccepted": "-1",
                    "autoUpgradeIntervalH": "0", "crashReportingEnabled": "false",
                    "startBrowser": "false", "reconnectionIntervalS": "1",
                    "setLowPriority": "false"}  # not starved by the test's own frames
        for key, value in settings.items():
            node = options.find(key)
            if node is None:
                node = ET.SubElement(options, key)
            node.text = value
        root.find("gui").find("address").text = f"127.0.0.1:{self.gui}"
        device = ET.SubElement(root, "device", id=peer.id, name="peer", compression="metadata",
                               introducer="false")
        ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{peer.port}"
        shared = ET.SubElement(root, "folder", id="content", label="content", path=str(folder),
                               type=kind, rescanIntervalS="2", fsWatcherEnabled="true",
                               fsWatcherDelayS="1", ignorePerms="false", autoNormalize="true")
        ET.SubElement(shared, "device", id=self.id)
        ET.SubElement(shared, "device", id=peer.id)
        tree.write(path)

    def start(self, log: Path) -> None:
        env = dict(os.environ, STNODEFAULTFOLDER="1", STNOUPGRADE="1", STNORESTART="1")
        self.proc = subprocess.Popen(
            [SYNCTHING, "serve", f"--home={self.home}", "--no-browser", "--no-restart",
             f"--logfile={log}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def tree_of(folder: Path) -> dict[str, bytes] | None:
    """Every file's bytes by its path, or None while the tool is moving files under us (a
    folder or file gone between being listed and being read)."""
    out = {}
    try:
        for path in folder.rglob("*"):
            rel = path.relative_to(folder)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            out[str(rel)] = path.read_bytes()
    except FileNotFoundError:
        return None
    return out


def _logs(tmp_path: Path) -> str:
    return "".join(log.read_text(errors="replace")[-1500:]
                   for log in (tmp_path / "staging.log", tmp_path / "kiosk.log") if log.exists())


def wait_until(kiosk, condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
        kiosk.frames(1)
    return bool(condition())


@pytest.fixture
def syncthing_pair(tmp_path):
    if SYNCTHING is None:
        if os.environ.get("CI"):
            pytest.fail("syncthing is not installed (Debian package syncthing; make test installs it)")
        pytest.skip("syncthing is not installed (Debian package syncthing)")
    staging_home, kiosk_home = tmp_path / "st-staging", tmp_path / "st-kiosk"
    a, b = Instance(staging_home), Instance(kiosk_home)
    yield a, b
    a.stop()
    b.stop()


def test_a_batch_synchronised_by_syncthing_ends_as_a_fresh_load(kiosk, tmp_path,
                                                               syncthing_pair):
    a, b = syncthing_pair
    staging = shutil.copytree(FIXTURES / "content-good", tmp_path / "staging")
    shown = tmp_path / "kiosk-content"  # empty: the first sync fills it, as on a new kiosk
    shown.mkdir()
    a.configure(staging, "sendonly", b)
    b.configure(shown, "receiveonly", a)
    a.start(tmp_path / "staging.log")
    b.start(tmp_path / "kiosk.log")
    deadline = time.monotonic() + 60
    while tree_of(shown) != tree_of(staging) and time.monotonic() < deadline:
        time.sleep(0.1)
    if tree_of(shown) != tree_of(staging):
        pytest.fail(f"the first sync did not finish within 60 s:\n{_logs(tmp_path)}")

    app = kiosk.start(shown)
    reloader = Reloader(app, "native", settle=0.3, check_every=0.5, poll_interval=0.5)
    app.reloader = reloader.start()
    initial = app.content
    applied = []
    original = app.apply_content

    def recording(content):
        applied.append(content)
        original(content)

    app.apply_content = recording

    # staff work on the staging copy: an edit, a new exhibit with new photos, more photos
    # in a gallery, a whole section deleted
    old = staging / "01-history" / "2016.md"
    old.write_text(old.read_text(encoding="utf-8").replace("首批企业入驻", "首批企业入驻（更新）"),
                   encoding="utf-8")
    photo(staging / "03-photos" / "new1.jpg", (800, 600))
    photo(staging / "03-photos" / "new2.png", (400, 300))
    page(staging / "03-photos" / "new.md", "新活动", "images: [new1.jpg, new2.png]\n")
    photo(staging / "03-photos" / "p3.jpg", (640, 480), color=(20, 160, 60))
    gallery = staging / "03-photos" / "activities.md"
    gallery.write_text(gallery.read_text(encoding="utf-8").replace(
        "images:\n", "images:\n  - p3.jpg\n", 1), encoding="utf-8")
    shutil.rmtree(staging / "02-figures")  # and what named it
    site = staging / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "home: [history, figures, photos]", "home: [history, photos]"), encoding="utf-8")
    tour = staging / "tours" / "01-leaders.yaml"
    tour.write_text(tour.read_text(encoding="utf-8").replace(
        "  - section: figures\n    exhibit: figures\n", ""), encoding="utf-8")
    expected = ContentLoader(staging).load()
    assert not expected.errors, expected.errors

    # about 15 s here; the limit leaves room for a machine busy with other work
    if not wait_until(kiosk, lambda: tree_of(shown) == tree_of(staging), 90):
        pytest.fail(f"Syncthing did not bring the kiosk's folder up to date within 90 s:\n"
                    f"{_logs(tmp_path)}")
    fresh = ContentLoader(shown)
    assert wait_until(kiosk, lambda: app.content == fresh.load(), 10)
    assert [s.id for s in app.content.sections] == ["history", "photos"]
    assert app.t(app.content.exhibit("history", "2016").title) == "首批企业入驻（更新）"
    assert [m.src for m in app.content.exhibit("photos", "new").images] == \
        ["03-photos/new1.jpg", "03-photos/new2.png"]
    assert not app.content.errors and kiosk.status()["content"]["errors"] == []

    final = app.content
    kept_sections = {s.id for s in initial.sections} & {s.id for s in final.sections}
    changed = {"01-history/2016.md", "03-photos/new.md", "03-photos/activities.md",
               "site.yaml", "tours/01-leaders.yaml"}
    for version in applied:
        ids = {s.id for s in version.sections}
        assert kept_sections <= ids, f"a section was missing: {sorted(ids)}"
        for sid in kept_sections:
            before = {e.id for e in initial.section(sid).exhibits}
            after = {e.id for e in final.section(sid).exhibits}
            assert before & after <= {e.id for e in version.section(sid).exhibits}, \
                f"section {sid} was applied partly"
        # a transient error may name a file still arriving, never anything else
        assert {p.path for p in version.errors} <= changed, version.errors
