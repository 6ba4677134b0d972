"""Messages staff understand: full-width punctuation named on its own line, every error of
a file at once (no window)."""

from __future__ import annotations

import pytest
from badpictures import SITE, section, truncated

from kiosk.cli import main


@pytest.fixture
def hall(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "content"
    root.mkdir()
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    return root, section(root, "01-a", "timeline", "历程")


def check(root, capsys, lang="both"):
    code = main(["check", str(root), "--lang", lang])
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("front, line, en, zh", [
    ("title: 揭牌\nsummary：中心成立\ndate: 2015\n", 3,
     "full-width colon '：' after a name", "全角冒号 '：'"),
    ("title：揭牌\n", 2, "full-width colon '：' after a name", "全角冒号 '：'"),
    ("title: 揭牌\nimages:\n\u3000- a.jpg\n", 4, "a full-width space is used for indentation",
     "全角空格"),
    ("title: “Opening: the day”\n", 2, "curly quotes “ ” or ‘ ’ do not quote a value",
     "中文引号 “ ”"),
])
def test_full_width_punctuation_is_named_on_its_line(hall, capsys, front, line, en, zh):
    root, sec = hall
    (sec / "x.md").write_text(f"---\n{front}---\n正文\n", encoding="utf-8")
    code, lines = check(root, capsys)
    assert code == 1
    found = [x for x in lines if x.startswith(f"{root}/01-a/x.md:")]
    assert len(found) == 1, lines
    assert found[0].startswith(f"{root}/01-a/x.md:{line}: error: ")
    assert en in found[0] and zh in found[0]


def test_a_full_width_comma_in_a_list_is_a_warning_on_its_line(hall, capsys):
    root, sec = hall
    (root / "site.yaml").write_text(SITE + "home: [a，b]\n", encoding="utf-8")
    code, lines = check(root, capsys, "en")
    assert f"{root}/site.yaml:3: warning: full-width comma '，' in a [ ] list; items are " \
           f"separated by the ASCII comma ','" in lines


def test_every_error_of_a_file_at_once(hall, capsys):
    root, sec = hall
    truncated(sec / "cover.jpg")
    (sec / "x.md").write_text("---\nsummary: 没有标题\ncover: cover.jpg\ndate: 2015-13\n---\n",
                              encoding="utf-8")
    code, lines = check(root, capsys, "en")
    found = [x.split(": error: ")[1][:40] for x in lines if x.startswith(f"{root}/01-a/x.md")]
    assert len(found) == 3, lines
    assert any("title" in x for x in found)
    assert any("cover.jpg" in x for x in found)
    assert any("2015-13" in x for x in found)
