"""Each setting of kiosk.yaml and of a theme is declared once (kiosk/schema.py): the
defaults, the messages about wrong values and unknown keys, and docs/settings.md all come
from that declaration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk import schema, schema_docs
from kiosk.config import Config, load_config
from kiosk.init import KIOSK_YAML
from kiosk.schema import Section, Setting, entries_of, parse_colour, walk
from kiosk.theme import DEFAULT_COLOURS, ThemeFile, load_theme

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "settings.md"


def declared(cls) -> dict[str, Setting]:
    return {key: entry for key, entry in walk(entries_of(cls)) if isinstance(entry, Setting)}


def value_at(obj, key: str):
    """The value of ``idle.reset_after`` in a Config (the key as the file spells it)."""
    entries = entries_of(type(obj))
    for part in key.split("."):
        entry = next(e for e in entries if e.key == part)
        obj = getattr(obj, entry.name)
        entries = entry.entries if isinstance(entry, Section) else ()
    return obj


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------- defaults


def test_an_empty_kiosk_yaml_gives_every_declared_default(tmp_path):
    config, problems = load_config(write(tmp_path, "kiosk.yaml", "# nothing set\n"))
    assert problems == []
    settings = declared(Config)
    assert {"idle.reset_after", "remote.port", "clicker.next", "panel.mount_bottom_mm",
            "accessibility.volume", "cache.dir"} <= set(settings)
    for key, s in settings.items():
        if s.shown_default is None and not key.startswith("clicker."):
            assert value_at(config, key) == s.default, key
    assert config.idle.reset_after == settings["idle.reset_after"].default == 90
    assert config.clicker.keymap()["pagedown"] == "next"  # the declared keys of `next`


def test_an_empty_theme_gives_every_declared_default(tmp_path):
    theme, _ = load_theme(write(tmp_path, "plain/theme.yaml", "name: plain\n").parent)
    settings = declared(ThemeFile)
    for key, s in settings.items():
        name = key.partition(".")[2]
        if key.startswith("colours."):
            assert theme.colour(name) == parse_colour(s.default), key
        elif key.startswith("sizes."):
            assert theme.size(name) == s.default, key
    assert theme.line_height == settings["line_height"].default
    assert (theme.transition.kind, theme.transition.duration) == (
        settings["transition.type"].default, settings["transition.duration"].default)
    assert theme.background is None and theme.background_fit == settings["background.fit"].default
    assert DEFAULT_COLOURS["error"] == settings["colours.error"].default == "#ffd180"


def test_every_setting_says_what_it_does_in_chinese_and_english():
    for cls in (Config, ThemeFile):
        for key, entry in walk(entries_of(cls)):
            assert entry.en.strip() and entry.zh.strip(), key
            assert re.search(r"[\u4e00-\u9fff]", entry.zh), key
            assert "|" not in entry.en + entry.zh, key  # they sit in a Markdown table


def test_every_declared_default_passes_its_own_check():
    for cls in (Config, ThemeFile):
        for key, s in declared(cls).items():
            if s.default is None:
                continue
            problems: list = []
            value = schema.Reader("x.yaml", problems).value(s, s.default, key, 1)
            assert problems == [] and value is not None, (key, problems)


# ----------------------------------------------------------------- checks


def test_wrong_values_in_kiosk_yaml_are_named_at_file_line_and_key_all_at_once(tmp_path):
    path = write(tmp_path, "kiosk.yaml", "\n".join([
        "fullscreen: maybe",
        "idle:",
        "  reset_after: -5",
        "  atract_after: 60",
        "remote:",
        "  port: http",
        "accessibility:",
        "  volume: 1.5",
        "watch: polling",
        "wach: native",
        "",
    ]))
    config, problems = load_config(path)
    assert [p.format(lang="en") for p in problems] == [
        f"{path}:1: error: 'fullscreen' should be true or false, not 'maybe'",
        f"{path}:3: error: 'idle.reset_after' should be a number above 0, not '-5'",
        f"{path}:4: warning: unknown key 'atract_after' in idle — did you mean 'attract_after'?",
        f"{path}:6: error: 'remote.port' should be a whole number from 1 to 65535, not 'http'",
        f"{path}:8: error: 'accessibility.volume' should be a number from 0 to 1, not '1.5'",
        f"{path}:10: warning: unknown key 'wach' — did you mean 'watch'?",
    ]
    assert [p.key for p in problems] == ["fullscreen", "idle.reset_after", "idle.atract_after",
                                         "remote.port", "accessibility.volume", "wach"]
    assert problems[1].message_zh == "'idle.reset_after' 应为大于 0 的数，而不是 '-5'"
    assert problems[3].message_zh == "'remote.port' 应为 1 到 65535 之间的整数，而不是 'http'"
    assert problems[2].message_zh == "idle 中有未知的设置 'atract_after'，是否应为 'attract_after'？"
    # the kiosk still starts: the declared default for each wrong value, the right ones kept
    assert config.fullscreen is True and config.idle.reset_after == 90
    assert config.remote.port == 8080 and config.accessibility.volume == 0.8
    assert config.watch == "polling"


def test_a_choice_suggests_the_nearest_and_a_section_must_be_a_group(tmp_path):
    path = write(tmp_path, "kiosk.yaml", "watch: poling\nidle: 90\nrotation: 45\n")
    _, problems = load_config(path)
    assert [p.format(lang="en") for p in problems] == [
        f"{path}:1: error: 'watch' should be one of native, polling, off, not 'poling'"
        " — did you mean 'polling'?",
        f"{path}:2: error: 'idle' should be a group of 'name: value' settings",
        f"{path}:3: error: 'rotation' should be one of 0, 90, 180, 270, not '45'",
    ]


def test_wrong_values_in_a_theme_are_named_the_same_way(tmp_path):
    folder = write(tmp_path, "themes/t/theme.yaml", "\n".join([
        "line_height: 0.5",
        "transition:",
        "  duration: slow",
        "sizes:",
        "  gap: 0",
        "  marign: 0.05",
        "",
    ])).parent
    _, problems = load_theme(folder)
    assert [p.format(lang="en") for p in problems if p.key != "fonts.regular"] == [
        "themes/t/theme.yaml:1: error: 'line_height' should be a number above 1 and at most 3, "
        "not '0.5'",
        "themes/t/theme.yaml:3: error: 'transition.duration' should be a number above 0 and at "
        "most 3, not 'slow'",
        "themes/t/theme.yaml:5: error: size 'gap' must be a number above 0 and at most 1 "
        "(a fraction of the screen's short side), not '0'",
        "themes/t/theme.yaml:6: warning: unknown key 'marign' in sizes — did you mean 'margin'?",
    ]


def test_one_suggestion_helper_in_the_project():
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "kiosk").rglob("*.py")}
    users = sorted(str(p.relative_to(ROOT)) for p, text in sources.items()
                   if "get_close_matches" in text)
    assert users == ["kiosk/content/fields.py"]
    assert [p for p, text in sources.items() if "def did_you_mean" in text] == [
        ROOT / "kiosk" / "content" / "fields.py"]


def uncommented(text: str) -> str:
    """The settings of a commented kiosk.yaml with its examples (``# size: 1080x1920``)
    switched on, and the prose comments dropped."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^(\s*)# ?(\s*)([a-z_]+:(\s|$))", r"\1\2\3", line)
        if line.strip() and not line.lstrip().startswith("#"):
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_shipped_settings_files_use_only_declared_keys(tmp_path):
    for name, text in (("kiosk.yaml", (ROOT / "kiosk.yaml").read_text(encoding="utf-8")),
                       ("init.yaml", KIOSK_YAML)):
        path = write(tmp_path, name, uncommented(text))
        assert "size: 1080x1920" in path.read_text(encoding="utf-8")
        _, problems = load_config(path)
        assert [p.format() for p in problems if p.severity == "warning"
                and "unknown key" in p.message] == [], name
        assert [p.format() for p in problems if "should be" in p.message] == [], name
    for folder in (ROOT / "themes").iterdir():
        if (folder / "theme.yaml").is_file():
            _, problems = load_theme(folder)
            assert [p.format() for p in problems] == [], folder


# ----------------------------------------------------------------- docs


def documented_keys(text: str) -> list[str]:
    return re.findall(r"^\| `([\w.]+)` \|", text, flags=re.M)


def test_the_settings_docs_list_exactly_the_declared_settings():
    text = DOCS.read_text(encoding="utf-8")
    keys = [key for cls in (Config, ThemeFile) for key in declared(cls)]
    documented = documented_keys(text)
    assert sorted(set(keys) - set(documented)) == [], "declared but not in docs/settings.md"
    assert sorted(set(documented) - set(keys)) == [], "in docs/settings.md but not declared"
    assert text == schema_docs.document(), "docs/settings.md is out of date: python -m kiosk.schema_docs"
    assert schema_docs.main(["--check", str(DOCS)]) == 0


def test_a_new_setting_shows_in_the_docs_and_a_dropped_one_fails_the_check(tmp_path, capsys):
    stale = tmp_path / "settings.md"
    stale.write_text(DOCS.read_text(encoding="utf-8").replace("| `remote.port` |", "| `remote.prot` |"),
                     encoding="utf-8")
    assert schema_docs.main(["--check", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert "remote.port" not in documented_keys(stale.read_text(encoding="utf-8"))
    assert schema_docs.main([str(stale)]) == 0  # written again from the declarations
    assert "remote.port" in documented_keys(stale.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key, cell", [
    ("remote.port", "1 到 65535 之间的整数 · a whole number from 1 to 65535"),
    ("watch", "native、polling、off 之一 · one of native, polling, off"),
    ("sizes.touch_min", "大于 0、不超过 1 的数 · a number above 0 and at most 1"),
])
def test_a_docs_row_says_what_the_check_accepts(key, cell):
    (row,) = [line for line in DOCS.read_text(encoding="utf-8").splitlines()
              if line.startswith(f"| `{key}` |")]
    assert f"| {cell} |" in row
