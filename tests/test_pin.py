"""PINs: only salted hashes are stored, wrong attempts lock the pad for longer each time,
``kiosk pin`` writes the hash, plain PINs in kiosk.yaml are refused."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from kiosk.config import Config, load_config
from kiosk.pin import (
    FIRST_LOCK,
    FREE_ATTEMPTS,
    MAX_LOCK,
    PinError,
    PinGate,
    configured_pins,
    hash_pin,
    parse_hash,
    pin_command,
    pin_file_path,
    read_pin_file,
    verify_pin,
    write_pin_file,
)

FAST = 2**10  # a cheaper hash for tests that only need some hash


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_hash_is_salted_and_never_holds_the_pin():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b  # a fresh salt each time
    assert "2468" not in a
    n, r, p, salt, digest = parse_hash(a)
    assert (n, r, p) == (2**14, 8, 1) and len(salt) == 16 and len(digest) == 32
    assert verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2469", a)
    assert not verify_pin("", a)


@pytest.mark.parametrize("stored", [None, "", "2468", "scrypt$3$8$1$AAAA$BBBB", "md5$x",
                                    "scrypt$16384$8$1$not base64!$xx"])
def test_anything_but_a_proper_hash_never_matches(stored):
    assert parse_hash(stored or "") is None
    assert not verify_pin("2468", stored)


@pytest.mark.parametrize("pin", ["123", "abcd", "12 34x", "1234567890123", ""])
def test_pins_are_4_to_12_digits(pin):
    with pytest.raises(PinError) as err:
        hash_pin(pin)
    assert "4" in str(err.value) and "密码" in str(err.value)


def test_wrong_pins_lock_the_pad_for_longer_each_time():
    clock = Clock()
    gate = PinGate({"admin": hash_pin("2468", n=FAST)}, clock)
    for _ in range(FREE_ATTEMPTS):
        result = gate.check("0000")
        assert not result.ok and result.wait == 0
    # the free attempts are used up: the next miss locks
    result = gate.check("0000")
    assert not result.ok and result.wait == FIRST_LOCK
    # while locked even the right PIN is not looked at
    clock.now += FIRST_LOCK - 1
    assert gate.check("2468").ok is False
    clock.now += 1
    assert gate.check("1111").wait == FIRST_LOCK * 2  # the next miss doubles the lock
    clock.now += FIRST_LOCK * 2
    assert gate.check("1111").wait == FIRST_LOCK * 4
    clock.now += 10**6
    for _ in range(20):
        gate.check("1111")
        clock.now += MAX_LOCK
    assert gate.check("1111").wait == MAX_LOCK  # never more than the cap
    clock.now += MAX_LOCK
    ok = gate.check("2468")
    assert ok.ok and ok.role == "admin"
    assert gate.failures == 0 and gate.locked_for() == 0


def test_the_gate_tells_which_pin_was_used():
    gate = PinGate({"admin": hash_pin("2468", n=FAST), "guide": hash_pin("1357", n=FAST)}, Clock())
    assert gate.check("1357").role == "guide"
    assert gate.check("2468").role == "admin"
    assert not PinGate({}, Clock()).configured
    assert not PinGate({"admin": "plain-text"}, Clock()).configured


def test_the_pin_file_is_private_and_keeps_each_role(tmp_path: Path):
    path = tmp_path / "state" / "pins.json"
    write_pin_file(path, "admin", hash_pin("2468", n=FAST))
    write_pin_file(path, "guide", hash_pin("1357", n=FAST))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pins = read_pin_file(path)
    assert set(pins) == {"admin", "guide"}
    assert verify_pin("1357", pins["guide"])
    write_pin_file(path, "guide", None)
    assert set(read_pin_file(path)) == {"admin"}
    with pytest.raises(ValueError):
        write_pin_file(path, "admin", "2468")  # never a PIN in plain text
    path.write_text("{not json", "utf-8")
    assert read_pin_file(path) == {}


def test_kiosk_pin_saves_only_a_hash(tmp_path: Path):
    (tmp_path / "kiosk.yaml").write_text("admin:\n  pin_file: state/pins.json\n", "utf-8")
    config_path = str(tmp_path / "kiosk.yaml")
    out = io.StringIO()
    assert pin_command(config_path, stdin=io.StringIO("2468\n"), out=out) == 0
    assert pin_command(config_path, guide=True, stdin=io.StringIO("1357\n"), out=out) == 0
    config, _ = load_config(config_path)
    path = pin_file_path(config)
    text = path.read_text("utf-8")
    assert "2468" not in text and "1357" not in text
    assert str(path) in out.getvalue() and "salted hash" in out.getvalue()
    pins = configured_pins(config)
    assert verify_pin("2468", pins["admin"]) and verify_pin("1357", pins["guide"])
    assert pin_command(config_path, guide=True, clear=True, out=out) == 0
    assert set(json.loads(path.read_text("utf-8"))) == {"admin"}


def test_kiosk_pin_refuses_a_short_pin_and_can_print_the_hash(tmp_path: Path, capsys):
    file = tmp_path / "pins.json"
    assert pin_command(None, file=str(file), stdin=io.StringIO("12\n")) == 2
    assert "4 到 12" in capsys.readouterr().err
    assert not file.exists()
    out = io.StringIO()
    assert pin_command(None, print_hash=True, stdin=io.StringIO("2468\n"), out=out) == 0
    line = next(x for x in out.getvalue().splitlines() if "pin_hash" in x)
    assert verify_pin("2468", line.split('"')[1])


def test_the_cli_has_a_pin_command(tmp_path: Path, monkeypatch):
    from kiosk.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    file = tmp_path / "p.json"
    assert main(["pin", "--guide", "--file", str(file)]) == 0
    assert verify_pin("97531", read_pin_file(file)["guide"])


def test_the_pin_file_wins_over_a_hash_in_kiosk_yaml(tmp_path: Path):
    yaml_hash = hash_pin("1111", n=FAST)
    config = Config(base_dir=tmp_path)
    config = config.with_overrides(admin=type(config.admin)(pin_hash=yaml_hash, pin_file="pins.json"))
    assert verify_pin("1111", configured_pins(config)["admin"])
    write_pin_file(tmp_path / "pins.json", "admin", hash_pin("2222", n=FAST))
    assert verify_pin("2222", configured_pins(config)["admin"])


def test_a_plain_pin_in_kiosk_yaml_is_not_used_and_is_reported(tmp_path: Path):
    path = tmp_path / "kiosk.yaml"
    path.write_text('admin:\n  pin: "1949"\n  guide_pin_hash: oops\n', "utf-8")
    config, problems = load_config(path)
    assert configured_pins(replace_pin_file(config, tmp_path)) == {}
    lines = {p.line: p for p in problems}
    assert "kiosk pin" in lines[2].message and "明文" in lines[2].message_zh
    assert lines[2].severity == "warning"
    assert "not a PIN hash" in lines[3].message


def replace_pin_file(config, tmp_path: Path):
    from dataclasses import replace

    return replace(config, admin=replace(config.admin, pin_file=str(tmp_path / "none.json")))
