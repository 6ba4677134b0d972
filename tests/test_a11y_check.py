"""The accessibility checks with numbers: contrast, touch targets, reach, label text, alt
text, narration and caption files, and `kiosk check` reporting them."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

from kiosk.a11y import lint
from kiosk.a11y.media import check_media, sniff_audio
from kiosk.a11y.settings import PanelConfig, reading_width
from kiosk.a11y.webvtt import parse_time, parse_webvtt
from kiosk.check import run_check
from kiosk.content.loader import ContentLoader
from kiosk.theme import load_theme

HERE = Path(__file__).parent
A11Y = HERE / "fixtures" / "a11y-content"
THEMES = HERE.parent / "themes"


def check_lines(*args, **kwargs) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_check(*args, out=out, lang="en", **kwargs)
    return code, out.getvalue().splitlines()


# ------------------------------------------------------------------ panel

def test_a_55_inch_portrait_panel_in_millimetres():
    panel = PanelConfig()  # 55 inches, bottom edge 700 mm above the floor
    per = panel.mm_per_px(1080, 1920)
    assert abs(per - 0.634) < 0.001
    assert abs(1920 * per - 1217.8) < 1  # the panel is 1.22 m tall
    low, high = panel.reach_band_px(1080, 1920)
    assert low == 0 and abs(high - (1220 - 700) / per) < 1e-6  # the lower 43 % is in reach
    assert high / 1920 < 0.45


# --------------------------------------------------------------- contrast

def write_theme(folder: Path, **colours) -> Path:
    folder.mkdir(parents=True)
    lines = ["name: planted", "colours:"] + [f'  {k}: "{v}"' for k, v in colours.items()]
    (folder / "theme.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def test_planted_low_contrast_colours_are_found_with_their_ratio(tmp_path):
    theme, _ = load_theme(write_theme(tmp_path / "pale", accent="#b0a080", surface="#a09070",
                                      overlay="#00000033", text="#555555"))
    found = {p.key: p for p in lint.contrast_problems(theme)}
    bar = next(p for p in found.values() if "'accent' on 'surface'" in p.message)
    assert "1.2" in bar.message and "4.5:1" in bar.message
    assert "colours.text" in found and "'text' on 'overlay'" in found["colours.text"].message


def test_large_text_needs_only_3_to_1():
    from kiosk.theme import contrast, parse_colour

    # 3.5:1 passes for headings (large), the same pair fails for body text
    fg, bg = parse_colour("#8a8a8a"), parse_colour("#ffffff")
    assert 3 < contrast(fg, bg) < 4.5
    pair = next(p for p in lint.TEXT_PAIRS if p[:2] == ("accent", "background"))
    assert pair[2] is True


def test_the_bundled_themes_pass_except_what_is_reported(tmp_path):
    red, _ = load_theme(THEMES / "party-red")
    assert lint.contrast_problems(red) == []


# ---------------------------------------------------------- targets, reach

def test_planted_small_targets_and_out_of_reach_controls():
    panel = PanelConfig(diagonal_inches=55, mount_bottom_mm=700)
    size = (1080, 1920)
    per = panel.mm_per_px(*size)
    controls = [
        lint.Control("Back", 20, 10, 150, 85, "home"),  # 95 x 54 mm at 706-760 mm: fine
        lint.Control("tiny close", 500, 400, 12, 12, "home"),  # 7.6 mm: too small
        lint.Control("top card", 40, 1500, 1000, 300, "home"),  # 1651-1841 mm: out of reach
        lint.Control("edge card", 40, (1220 - 700) / per - 10, 1000, 300, "home"),  # 6 mm in reach
    ]
    small = lint.target_problems(controls, size, panel)
    assert [p.message.split(":")[1].strip().split(" is")[0] for p in small] == ["tiny close"]
    assert "7.6 x 7.6 mm" in small[0].message
    far = lint.reach_problems(controls, size, panel)
    names = [p.message for p in far]
    assert len(far) == 2 and "top card is 1651-1841 mm" in names[0] and "edge card" in names[1]


def test_kiosk_check_reports_a_panel_mounted_too_high(tmp_path):
    (tmp_path / "kiosk.yaml").write_text(
        f"content: {A11Y}\ntheme: party-red\nthemes_dir: {THEMES}\n"
        "panel:\n  diagonal_inches: 55\n  mount_bottom_mm: 1300\n", "utf-8")
    code, lines = check_lines(str(A11Y), config_path=str(tmp_path / "kiosk.yaml"))
    bar = [line for line in lines if "navigation bar" in line]
    assert len(bar) == 1 and "1300-1372 mm above the floor" in bar[0] and "380-1220 mm" in bar[0]
    (tmp_path / "kiosk.yaml").write_text(
        f"content: {A11Y}\ntheme: party-red\nthemes_dir: {THEMES}\n"
        "panel:\n  diagonal_inches: 10\n", "utf-8")
    code, lines = check_lines(str(A11Y), config_path=str(tmp_path / "kiosk.yaml"))
    assert any("smallest touch target" in line and "9 mm" in line for line in lines)


def test_render_findings_on_the_real_screen(kiosk):
    from kivy.uix.button import Button

    from kiosk.ui.access.probe import controls_of, findings

    app = kiosk.start(A11Y, size=(1080, 1920))
    assert findings(app, panel=PanelConfig(diagonal_inches=32, mount_bottom_mm=500)) == []  # a smaller panel: all in reach
    # the section card sits high on a 55-inch panel: above 1,220 mm
    high = findings(app)
    assert any("SectionCard '参观'" in f["message"] and "wheelchair" in f["message"] for f in high)
    assert not any("AccessButton" in f["message"] or "BarButton" in f["message"] for f in high)
    # a button planted at 10 x 10 px is too small
    tiny = Button(text="x", size_hint=(None, None), size=(10, 10), pos=(500, 300))
    app.root.add_widget(tiny)
    kiosk.frames(2)
    assert any(m.widget is tiny for m in controls_of(app.root))
    assert any("Button 'x'" in f["message"] and "at least 9 mm" in f["message"] for f in findings(app))
    app.root.remove_widget(tiny)


# --------------------------------------------------------------- label text

def test_long_sentences_labels_and_lines_are_warned_for_the_editors(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(A11Y, tree)
    long_en = " ".join(["word"] * 30) + ". Short one."
    long_zh = "这" * 60 + "。短句。"
    (tree / "01-visit" / "long.md").write_text(
        "---\ntitle: 长文\nsummary: " + "字" * 240 + "\n---\n\n" + long_zh + "\n\n"
        + "很" * 210 + "\n\n![](images/hall.png)\n", "utf-8")
    (tree / "01-visit" / "long.en.md").write_text("---\ntitle: Long\n---\n\n" + long_en + "\n", "utf-8")
    content = ContentLoader(tree).load()
    found = [p for p in lint.content_problems(content, column_px=983, font_px=28)
             if p.path == "01-visit/long.md"]
    text = "\n".join(p.message for p in found)
    assert "2 sentence(s) (zh) over 25 words" in text  # 60 characters: 30 words; then 210
    english = [p for p in lint.content_problems(content, column_px=983, font_px=28)
               if p.path == "01-visit/long.en.md"]  # named in the file it is written in
    assert [p.message.split(" over")[0] for p in english] == ["1 sentence(s) (en)"]
    assert "a paragraph (zh) of about 105 words" in text
    assert "the summary (zh) is about 120 words" in text
    alt = [p for p in found if "alt text" in p.message]
    assert len(alt) == 1 and alt[0].line == 10
    # a 983 px column would hold 70 Latin letters a line (35 Chinese): the exhibit page sets
    # English at the measure instead, 25 ems (700 px, about 50 letters), so neither is warned
    assert [p for p in lint.content_problems(content, 983, 28) if p.key == "layout"] == []
    assert reading_width(983, 28, "en") == 700 and reading_width(983, 28, "zh") == 983


def test_chinese_words_count_two_characters_each():
    assert lint.words("欢迎来到展厅") == 3
    assert lint.words("Welcome to the hall, 欢迎") == 5
    assert lint.chars_per_line(983, 28, "zh") < 55 < lint.chars_per_line(983, 28, "en")


# ----------------------------------------------------------- sound, captions

def test_webvtt_cues_at_their_times():
    track = parse_webvtt((A11Y / "01-visit" / "media" / "film.en.vtt").read_text("utf-8"))
    assert track.ok and len(track.cues) == 2
    assert track.at(0.4) == "" and track.at(0.5) == "The first caption"
    assert track.at(2.0) == "" and track.at(3.9) == "The second caption & more"
    assert parse_time("1:02:03.250") == 3723.25 and parse_time("2:3.000") is None


def test_webvtt_problems_name_their_lines():
    track = parse_webvtt("WEBVTT\n\n00:01.000 --> 00:00.500\nbackwards\n\n00:02 --> 00:03.000\nbad\n")
    assert [line for line, _, _ in track.problems] == [3, 6]
    assert parse_webvtt("1\n00:00.000 --> 00:01.000\nx\n").problems[0][0] == 1


def make_wav(path: Path, seconds: float = 0.5):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\1" * int(16000 * seconds))


def test_narration_beside_a_page_and_in_the_audio_field(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(A11Y, tree)
    make_wav(tree / "01-visit" / "welcome.en.wav")
    make_wav(tree / "01-visit" / "media" / "quiet-zh.wav")
    page = tree / "01-visit" / "quiet.md"
    page.write_text(page.read_text("utf-8").replace("featured: true", "featured: true\naudio: {zh: media/quiet-zh.wav, fr: x.ogg}"), "utf-8")
    content = ContentLoader(tree).load()
    welcome = content.exhibit("visit", "welcome")
    assert [(lang, m.src) for lang, m in welcome.narration] == [("en", "01-visit/welcome.en.wav")]
    quiet = content.exhibit("visit", "quiet")
    assert [(lang, m.src) for lang, m in quiet.narration] == [("zh", "01-visit/media/quiet-zh.wav")]
    assert any("'fr' is not one of the site languages" in p.message for p in content.problems)
    assert not any("not used" in p.message for p in content.problems)  # .wav and .vtt are known
    assert check_media(content) == []


def test_kiosk_check_finds_broken_sound_broken_captions_and_a_video_without(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(A11Y, tree)
    (tree / "01-visit" / "welcome.zh.ogg").write_bytes(b"this is not a sound file at all")
    make_wav(tree / "01-visit" / "welcome.en.mp3")  # a WAV named .mp3
    (tree / "01-visit" / "media" / "film.en.vtt").write_text("WEBVTT\n\n00:01 --> 00:02\nx\n", "utf-8")
    (tree / "01-visit" / "media" / "film.zh.vtt").unlink()
    code, lines = check_lines(str(tree))
    text = "\n".join(lines)
    assert code == 1
    assert "welcome.md: error: the narration '01-visit/welcome.zh.ogg' (zh) is not a sound file" in text
    assert "'01-visit/welcome.en.mp3' is WAV inside, not MP3" in text
    assert "01-visit/media/film.en.vtt:3: error: the times '00:01 --> 00:02'" in text
    assert "has no captions for zh: add 01-visit/media/film.zh.vtt" in text


def test_sound_made_by_espeak_ng_is_recognised(tmp_path):
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("espeak-ng is not installed")
        pytest.skip("espeak-ng is not installed")
    out = tmp_path / "hello.wav"
    subprocess.run([espeak, "-v", "en-gb", "-w", str(out), "Welcome"], check=True, capture_output=True)
    assert sniff_audio(out) == "wav"
    assert sniff_audio(HERE / "fixtures" / "a11y-content" / "site.yaml") is None


def test_speech_engine_writes_chinese_and_english(tmp_path):
    from kiosk.a11y.speech import synthesize

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    for lang, text in (("zh", "欢迎参观"), ("en", "Welcome")):
        out = tmp_path / f"{lang}.wav"
        assert synthesize("espeak-ng", text, lang, out)
        assert sniff_audio(out) == "wav"
    assert not synthesize("no-such-engine", "x", "en", tmp_path / "x.wav")


def test_kiosk_render_lists_small_and_unreachable_controls(tmp_path):
    import json
    from dataclasses import replace

    from kiosk.config import Config
    from kiosk.ui.render import render_all

    config = Config(base_dir=HERE.parent, content=str(A11Y))
    theme, _ = load_theme(config.theme_dir)
    content = ContentLoader(A11Y).load()
    out = tmp_path / "shots"
    assert render_all(config, theme, content, out=out, size=(1080, 1920), lang="zh",
                      routes=["home"]) == 0  # findings are for review; they fail nothing
    [entry] = json.loads((out / "index.json").read_text("utf-8"))["pictures"]
    found = entry["accessibility"]
    assert any("SectionCard '参观'" in f["message"] and "1220 mm" in f["message"] for f in found)
    assert not any("BarButton" in f["message"] for f in found)  # the bar is within reach
    high = replace(config, panel=PanelConfig(mount_bottom_mm=1300))
    render_all(high, theme, content, out=out, size=(1080, 1920), lang="zh", routes=["home"])
    [entry] = json.loads((out / "index.json").read_text("utf-8"))["pictures"]
    assert any("BarButton '大字' is 1309-1363 mm" in f["message"] for f in entry["accessibility"])


def test_a_recording_dropped_beside_a_page_is_picked_up_on_reload(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(A11Y, tree)
    loader = ContentLoader(tree)
    assert loader.load().exhibit("visit", "quiet").narration == ()
    added = tree / "01-visit" / "quiet.en.wav"
    make_wav(added)
    content = loader.load(changed=frozenset({str(added)}))
    assert [lang for lang, _ in content.exhibit("visit", "quiet").narration] == ["en"]
    added.unlink()
    content = loader.load(changed=frozenset({str(added)}))
    assert content.exhibit("visit", "quiet").narration == ()
    caption = tree / "01-visit" / "media" / "film.zh.vtt"
    caption.unlink()
    content = loader.load(changed=frozenset({str(caption)}))
    assert [lang for lang, _ in content.exhibit("visit", "film").captions] == ["en"]


def test_line_length_is_measured_with_the_themes_font(tmp_path):
    """Lines are counted as the theme's font sets them: narrow letters make longer lines,
    and wide ones shorter, at the same column and size."""
    font = load_theme(THEMES / "party-red")[0].fonts.regular
    narrow = lint.wrapped_lines("illicit little lilies fill it " * 8, 983, font, 28)
    wide = lint.wrapped_lines("MOW WAVE MAW WOMAN " * 12, 983, font, 28)
    assert len(narrow[0]) > 90 > 55 > len(wide[0])  # 0.5 em would say 70 for both
    assert all(lint._font(font, 28).getlength(line) <= 983 for line in narrow + wide)
    chinese = lint.wrapped_lines("展厅" * 60, 983, font, 28)
    assert [len(line) for line in chinese] == [35, 35, 35, 15]  # one em each

    tree = tmp_path / "content"
    shutil.copytree(A11Y, tree)
    (tree / "01-visit" / "narrow.en.md").write_text(
        "---\ntitle: Narrow\n---\n\n" + "illicit little lilies fill it " * 8 + "\n", "utf-8")
    (tree / "01-visit" / "narrow.md").write_text("---\ntitle: 窄\n---\n\n短。\n", "utf-8")
    content = ContentLoader(tree).load()
    measured = [p for p in lint.content_problems(content, 983, 28, font) if p.key == "layout"]
    assert len(measured) == 1
    # narrow letters: over 70 a line even at the measure
    assert measured[0].message.startswith("running text in 'en' holds about 7")
    assert "01-visit/narrow.en.md" in measured[0].message
    assert not [p for p in lint.content_problems(content, 600, 28, font) if p.key == "layout"
                and "'zh'" in p.message]
