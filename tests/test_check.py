"""``kiosk check``: problem lines, summary, exit code, JSON, fonts, kiosk.yaml."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kiosk.check import run_check
from kiosk.content import load_content
from kiosk.content.glyphs import font_charset, missing_glyphs

HERE = Path(__file__).parent
GOOD = HERE / "fixtures" / "content-good"
BAD = HERE / "fixtures" / "content-bad"
THEME = HERE.parent / "themes" / "party-red"
FONT = THEME / "fonts" / "NotoSansSC-Regular.otf"
BOLD = THEME / "fonts" / "NotoSansSC-Bold.otf"


def check(*args, **kwargs) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_check(*args, out=out, **kwargs)
    return code, out.getvalue().splitlines()


def test_good_content_passes():
    code, lines = check(str(GOOD))
    assert code == 0
    assert lines == ["内容检查通过：3 个栏目，6 个展项，1 条导览 / "
                     "content OK: 3 sections, 6 exhibits, 1 tour"]


def test_summary_in_one_language():
    assert check(str(GOOD), lang="en")[1] == ["content OK: 3 sections, 6 exhibits, 1 tour"]
    assert check(str(GOOD), lang="zh")[1] == ["内容检查通过：3 个栏目，6 个展项，1 条导览"]


def test_bad_content_fails_with_one_line_per_problem():
    content = load_content(BAD)
    code, lines = check("tests/fixtures/content-bad")
    assert code == 1
    assert len(lines) == len(content.problems) + 1
    assert "tests/fixtures/content-bad/site.yaml:2: warning: 未知字段 'titel'，是不是想写 'title'？" \
           " / unknown field 'titel' — did you mean 'title'?" in lines
    assert "tests/fixtures/content-bad/01-history/tabs.md:4: error: 这一行用了 Tab 键缩进；请改用空格" \
           " / a tab is used for indentation; use spaces" in lines
    errors, warnings = len(content.errors), len(content.warnings)
    assert lines[-1] == f"{errors} 个错误，{warnings} 个警告 / {errors} errors, {warnings} warnings"


def test_json_output():
    out = io.StringIO()
    code = run_check(str(BAD), as_json=True, out=out)
    data = json.loads(out.getvalue())
    content = load_content(BAD)
    assert code == 1 and data["ok"] is False
    assert len(data["errors"]) == len(content.errors)
    assert len(data["warnings"]) == len(content.warnings)
    first = next(e for e in data["errors"] if e["path"] == "01-history/tabs.md")
    assert first == {
        "path": "01-history/tabs.md", "line": 4, "severity": "error",
        "message": "a tab is used for indentation; use spaces",
        "message_zh": "这一行用了 Tab 键缩进；请改用空格", "key": None,
        "file": f"{BAD}/01-history/tabs.md"}
    assert data["summary"]["sections"] == 3
    assert data["summary"]["tours"] == 2
    assert data["summary"]["errors"] == len(content.errors)


def test_json_ok_for_good_content():
    out = io.StringIO()
    assert run_check(GOOD, as_json=True, out=out) == 0
    data = json.loads(out.getvalue())
    assert data["ok"] is True and data["errors"] == [] and data["warnings"] == []
    assert data["summary"]["exhibits"] == 6


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def rare_chars(tmp_path: Path) -> Path:
    return write(tmp_path / "content", {
        "site.yaml": "title: 展厅\nlanguages: [zh, en]\n",
        "01-a/_section.yaml": "title: 人物\nlayout: grid\n",
        "01-a/x.md": "---\ntitle: 张龘同志\nsummary: 劳模\n---\n\n他的家乡在鱻村。\n",
        "01-a/x.en.md": "---\ntitle: Comrade Zhang 靐\n---\n",
        "tours/t.yaml": "title: 导览\nsteps:\n  - section: a\n    notes: 欢迎 😀\n",
    })


def test_missing_glyphs_named_per_file_and_line(rare_chars: Path):
    content = load_content(rare_chars)
    problems = missing_glyphs(content, font_charset([FONT]))
    assert [p.format() for p in problems] == [
        "01-a/x.en.md:2: warning: 字体缺少这些字：靐 / the font cannot draw: 靐",
        "01-a/x.md:2: warning: 字体缺少这些字：龘 鱻 / the font cannot draw: 龘 鱻",
        "tours/t.yaml:4: warning: 字体缺少这些字：😀 / the font cannot draw: 😀",
    ]


def test_check_reports_glyphs_as_warnings(rare_chars: Path):
    code, lines = check(str(rare_chars), fonts=[FONT, BOLD], lang="en")
    assert code == 0
    assert lines[-1] == "content OK: 1 section, 1 exhibit, 1 tour (3 warnings)"
    assert f"{rare_chars}/01-a/x.md:2: warning: the font cannot draw: 龘 鱻" in lines


def test_check_uses_the_theme_fonts(rare_chars: Path):
    pytest.importorskip("kiosk.theme")
    code, lines = check(str(rare_chars), theme_dir=str(THEME), lang="en")
    assert code == 0
    assert f"{rare_chars}/01-a/x.en.md:2: warning: the font cannot draw: 靐" in lines


def test_check_reports_a_missing_theme(tmp_path: Path):
    pytest.importorskip("kiosk.theme")
    code, lines = check(str(GOOD), theme_dir=str(tmp_path / "nope"), lang="en")
    assert code == 1
    assert lines[0] == (f"{tmp_path / 'nope'}: error: theme not found: {tmp_path / 'nope'} "
                        f"(a theme is a folder with a theme.yaml)")


def test_check_includes_kiosk_yaml_problems(tmp_path: Path):
    pytest.importorskip("kiosk.config")
    config = write(tmp_path, {"kiosk.yaml": "content: content\nfulscreen: true\n"}) / "kiosk.yaml"
    code, lines = check(str(GOOD), config_path=str(config), lang="en")
    assert any(line.startswith(f"{config}:2: warning:") and "fullscreen" in line
               for line in lines), lines
    assert code == 0


def _hall(tmp_path: Path, body: str, front: str = "") -> Path:
    root = tmp_path / "content"
    (root / "01-centers").mkdir(parents=True)
    (root / "site.yaml").write_text("title: 展厅\n", encoding="utf-8")
    (root / "01-centers" / "_section.yaml").write_text("title: 中心\nlayout: grid\n",
                                                      encoding="utf-8")
    (root / "01-centers" / "service.md").write_text(
        f"---\ntitle: 企业服务中心\n{front}---\n\n{body}", encoding="utf-8")
    return root


def test_bold_next_to_chinese_quotes_passes_the_check(tmp_path):
    root = _hall(tmp_path, "坚持**“企业需要什么就加什么”**的原则。\n")
    assert check(str(root), lang="en") == (0, ["content OK: 1 section, 1 exhibit, 0 tours"])


def test_check_warns_about_asterisks_that_would_show_on_screen(tmp_path):
    root = _hall(tmp_path, "第一段。\n\n坚持**“企业需要什么就加什么” 的原则。\n\n`**` 在代码里不算。\n")
    code, lines = check(str(root), lang="zh")
    assert code == 0  # a warning, the page still shows
    assert lines[0] == (f"{root}/01-centers/service.md:7: warning: '**' 会在屏幕上显示成两个星号："
                        "加粗要在同一段里用 '**' 收尾，且星号内侧不要留空格")
    assert len(lines) == 2


def test_check_tells_staff_when_videos_cannot_play(tmp_path, monkeypatch):
    import kiosk.videocheck

    root = _hall(tmp_path, "正文。\n", "video: media/intro.mp4\n")
    (root / "01-centers" / "media").mkdir()
    (root / "01-centers" / "media" / "intro.mp4").write_bytes(b"\0" * 64)
    monkeypatch.setattr(kiosk.videocheck, "playback_installed", lambda: False)
    code, lines = check(str(root), lang="en")
    assert code == 0
    assert any(line.startswith(f"{root}/01-centers/service.md: warning: 1 exhibit(s) have a video,"
                               " but video playback is not installed") for line in lines), lines
    monkeypatch.setattr(kiosk.videocheck, "playback_installed", lambda: True)
    code, lines = check(str(root), lang="en")
    assert code == 0 and not [line for line in lines if "playback" in line], lines


def test_a_broken_section_file_is_one_error_and_its_references_point_at_it(tmp_path: Path):
    """A misspelt key in a _section.yaml: the error is there; the home page list and the
    tours naming that section say why it is missing instead of suggesting other names."""
    import shutil

    tree = tmp_path / "content"
    shutil.copytree(HERE.parent / "content", tree)
    settings = tree / "01-history" / "_section.yaml"
    settings.write_text(settings.read_text("utf-8").replace("layout:", "layuot:"), "utf-8")
    content = load_content(tree)
    errors = [p for p in content.problems if p.is_error]
    assert [p.path for p in errors] == ["01-history/_section.yaml"]
    follow = [p for p in content.problems if "01-history/_section.yaml has an error" in p.message]
    assert {p.path for p in follow} == {"site.yaml", "tours/provincial-delegation.yaml"}
    assert not any("did you mean" in p.message for p in follow)
    # an exhibit file that fails: a tour stop naming it points at the file
    page = tree / "04-honors" / "awards.yaml"
    page.write_text("title: [\n", "utf-8")
    content = load_content(tree)
    assert any("04-honors/awards.yaml has an error" in p.message and p.severity == "warning"
               for p in content.problems if p.path.startswith("tours/"))


def test_an_empty_folder_is_told_how_to_start(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / ".stfolder").mkdir()  # a sync tool's marker is not content
    out = io.StringIO()
    assert run_check(tmp_path / "content", lang="en", out=out) == 1
    folder = str(tmp_path / "content")
    assert out.getvalue().splitlines() == [
        f"{folder}: error: the content folder is empty: 'kiosk init {folder}' puts a starting "
        "exhibition in it to edit",
        "1 error, 0 warnings"]
