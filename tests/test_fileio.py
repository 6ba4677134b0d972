"""The kiosk's own files are replaced whole: flushed to disk, renamed, nothing left behind."""

from __future__ import annotations

import json
import os
import stat

import pytest

from kiosk import fileio


def test_a_file_is_written_flushed_and_renamed_into_place(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "new" / "status.json"
    fileio.write_json(target, {"mode": "browse", "screen": "首页"})
    assert json.loads(target.read_text("utf-8")) == {"mode": "browse", "screen": "首页"}
    assert "首页" in target.read_text("utf-8")  # readable Chinese, not \\u escapes
    assert synced == [False, True]  # the file, then its folder
    assert os.listdir(target.parent) == ["status.json"]


def test_an_error_while_writing_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "metrics.prom"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), fileio.atomic_write(target) as fh:
        fh.write("half a docu")
        raise RuntimeError("disk gone")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["metrics.prom"]


def test_a_failing_rename_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("x", encoding="utf-8")  # a folder in the way
    with pytest.raises(OSError):
        fileio.write_text(target, "text")
    assert sorted(os.listdir(tmp_path)) == ["taken"]


def test_permissions_are_set_before_anything_is_written(tmp_path):
    secret = tmp_path / "pins.json"
    fileio.write_json(secret, {"admin": "hash"}, permissions=0o600)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    plain = tmp_path / "status.json"
    fileio.write_text(plain, "{}")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(plain.stat().st_mode) == 0o666 & ~mask  # as open() would make it


def test_bytes_go_through_unchanged(tmp_path):
    data = bytes(range(256)) * 10
    fileio.write_bytes(tmp_path / "a.bin", data)
    assert (tmp_path / "a.bin").read_bytes() == data
    with pytest.raises(ValueError):
        with fileio.atomic_write(tmp_path / "b", "a"):
            pass


def test_status_metrics_pins_and_decoded_pictures_are_written_this_way(tmp_path, monkeypatch):
    from PIL import Image

    from kiosk.images import Pipeline
    from kiosk.metrics import render_metrics, write_metrics
    from kiosk.pin import hash_pin, write_pin_file
    from kiosk.status import write_status

    written = []
    real = fileio.atomic_write

    def watched(path, *args, **kwargs):
        written.append(os.path.basename(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(fileio, "atomic_write", watched)
    write_status(tmp_path / "status.json", {"mode": "browse"})
    write_metrics(tmp_path / "kiosk.prom", render_metrics({"kiosk_up": 1}))
    write_pin_file(tmp_path / "pins.json", "admin", hash_pin("2468"))
    Image.new("RGB", (640, 480), (200, 30, 30)).save(tmp_path / "p.jpg", "JPEG")
    Pipeline(tmp_path / "cache").load(str(tmp_path / "p.jpg"), (320, 320), "contain")
    assert written[:3] == ["status.json", "kiosk.prom", "pins.json"]
    assert written[3:] and all(name.endswith(".img") for name in written[3:])  # the cache
