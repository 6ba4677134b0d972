"""kiosk.yaml for the guide's phone and the presenter clicker: off by default, checked by
`kiosk check` at file, line and key; clicker keys read the way the clicker sends them."""

from __future__ import annotations

import io
from pathlib import Path

from kiosk.check import run_check
from kiosk.config import load_config
from kiosk.tour import DEFAULT_KEYS, build_keymap, command_for_key

GOOD = Path(__file__).resolve().parent / "fixtures" / "content-good"


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_remote_is_off_and_local_unless_configured(tmp_path):
    config, problems = load_config(write(tmp_path, "theme: party-red\n"))
    assert not problems
    assert not config.remote.enabled and config.remote.host == "127.0.0.1"
    assert config.remote.port == 8080 and config.remote.token_hours == 4.0
    config, problems = load_config(write(tmp_path, "remote: {enabled: true, host: 0.0.0.0, port: 8080}\n"))
    assert not problems
    assert config.remote.enabled and config.remote.host == "0.0.0.0" and config.remote.port == 8080


def test_kiosk_check_names_each_wrong_remote_and_clicker_setting(tmp_path):
    path = write(tmp_path, "\n".join([
        "remote:",
        "  enabled: yes",
        "  host: kiosk.local",
        "  port: 70000",
        "  prot: 8080",
        "clicker:",
        "  next: [pagedown, shift+down, pgdown2]",
        "  blank: [b, pagedown]",
        "  jump: [j]",
        "",
    ]))
    out = io.StringIO()
    assert run_check(str(GOOD), config_path=str(path), out=out, lang="en") == 1
    text = out.getvalue()
    assert f"{path}:3: error: 'remote.host' should be an IP address" in text
    assert f"{path}:4: error: 'remote.port' should be a whole number from 1 to 65535" in text
    assert f"{path}:5: warning:" in text and "prot" in text
    assert f"{path}:7: error: 'pgdown2' under 'clicker.next' is not a key name" in text
    assert f"{path}:8: error: the key 'pagedown' is set for both 'next' and 'blank'" in text
    assert f"{path}:9: warning:" in text and "jump" in text
    config, _ = load_config(path)  # the kiosk still starts, on the defaults
    assert config.remote.host == "127.0.0.1" and config.remote.port == 8080


def test_clicker_keys_from_kiosk_yaml_replace_only_the_actions_given(tmp_path):
    config, problems = load_config(write(tmp_path, "clicker:\n  next: [Shift+Right, PgDn]\n"
                                                     "  blank: f7\n"))
    assert not problems
    keymap = config.clicker.keymap()
    assert command_for_key(keymap, "right", ["shift"]) == "next"
    assert command_for_key(keymap, "pagedown") == "next"
    assert command_for_key(keymap, "spacebar") is None  # next has only the keys given
    assert command_for_key(keymap, "f7") == "blank" and command_for_key(keymap, "b") is None
    assert command_for_key(keymap, "pageup") == "previous"  # untouched: the defaults


def test_the_default_keys_cover_common_clickers():
    keymap = build_keymap()
    for key, modifiers, command in [("pagedown", [], "next"), ("pageup", [], "previous"),
                                    ("down", ["shift"], "next"), ("up", ["shift"], "previous"),
                                    ("f5", [], "blank"), ("escape", [], "blank"),
                                    (".", [], "blank"), ("pagedown", ["shift"], "next")]:
        assert command_for_key(keymap, key, modifiers) == command, (key, modifiers)
    assert set(DEFAULT_KEYS) == {"next", "previous", "blank", "first", "last", "pause", "notes"}


def test_a_clicker_with_its_own_keys_drives_the_tour(kiosk, tmp_path):
    from conftest import FIXTURES

    config, _ = load_config(write(tmp_path, "clicker:\n  next: [f8]\n"))
    app = kiosk.start(FIXTURES / "tour-basic", clicker=config.clicker)
    assert app.start_tour("walk")
    kiosk.settle()
    kiosk.key("f8")
    kiosk.settle()
    assert kiosk.status()["tour"]["step"] == 2
    kiosk.key("down", modifiers=["shift"])  # next's own keys were replaced: nothing
    kiosk.settle()
    assert kiosk.status()["tour"]["step"] == 2
    kiosk.key("up", modifiers=["shift"])  # a Targus clicker's "back"
    kiosk.settle()
    assert kiosk.status()["tour"]["step"] == 1
    kiosk.key("f5")  # a Logitech clicker's slideshow button: blank, and again: back
    assert kiosk.status()["tour"]["blanked"]
    kiosk.key("escape")
    assert not kiosk.status()["tour"]["blanked"]
    assert kiosk.route == "tour/walk/1"
