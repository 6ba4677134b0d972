"""Each default is written once: a theme that leaves a value out and the screens without a
theme show the same thing; one suggestion for a mistyped name, wherever it was typed."""

from __future__ import annotations

from kiosk.config import load_config
from kiosk.content.fields import did_you_mean
from kiosk.theme import DEFAULT_COLOURS, Colours, load_theme, parse_colour
from kiosk.ui import style


def empty_theme(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "theme.yaml").write_text("name: plain\n", encoding="utf-8")
    theme, _ = load_theme(folder)
    return theme


def test_the_screens_without_a_theme_use_the_themes_defaults(tmp_path):
    theme = empty_theme(tmp_path)
    for w, h in ((1080, 1920), (1920, 1080), (540, 960)):
        assert style.colors(None) == style.colors(theme)
        assert style.fonts(None, w, h) == style.fonts(theme, w, h)
        assert style.spaces(None, w, h) == style.spaces(theme, w, h)
    assert style.transition(None) == style.transition(theme) == ("slide", 0.25)
    # every colour a theme can set has a default the screens know (staff messages too)
    assert set(style.colors(None)) >= {f for f in Colours.__dataclass_fields__}
    assert style.colors(None)["error"] == parse_colour(DEFAULT_COLOURS["error"])


def test_a_smallest_touch_target_set_in_a_theme_reaches_the_screens(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "theme.yaml").write_text("name: big\nsizes:\n  touch_min: 0.1\n", encoding="utf-8")
    theme, problems = load_theme(folder)
    assert not [p for p in problems if p.key and p.key.startswith("sizes")]
    assert style.spaces(theme, 1080, 1920)["touch"] == 108.0
    assert style.spaces(None, 1080, 1920)["touch"] == 73.4  # the default, 0.068 of 1080 px


def test_one_suggestion_for_a_mistyped_name_in_content_kiosk_yaml_and_themes(tmp_path):
    assert did_you_mean("languag", ["language", "theme"]) == "language"
    assert did_you_mean("zzz", ["language", "theme"]) is None

    (tmp_path / "kiosk.yaml").write_text("languag: zh\n", encoding="utf-8")
    _, problems = load_config(tmp_path / "kiosk.yaml")
    assert any("did you mean 'language'?" in p.message for p in problems), problems

    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "theme.yaml").write_text("colours:\n  acent: '#e8c26a'\n", encoding="utf-8")
    _, problems = load_theme(folder)
    (found,) = [p for p in problems if "acent" in p.message]
    assert "did you mean 'accent'?" in found.message and found.line == 2
