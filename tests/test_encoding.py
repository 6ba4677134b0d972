"""Text encodings and line ends staff's editors produce: BOM, CRLF, GBK, UTF-16, junk."""

from __future__ import annotations

import codecs
from pathlib import Path

from kiosk.content import load_content
from kiosk.content.source import decode_text, load_yaml, split_front_matter

SECTION = "title: 历程\nlayout: grid\n"
PAGE = "---\ntitle: 中心揭牌\nsummary: 正式成立\n---\n正文第一行\n第二行\n"


def make(tmp_path: Path, page: bytes) -> Path:
    (tmp_path / "site.yaml").write_text("title: 展厅\n", encoding="utf-8")
    (tmp_path / "01-a").mkdir()
    (tmp_path / "01-a" / "_section.yaml").write_text(SECTION, encoding="utf-8")
    (tmp_path / "01-a" / "x.md").write_bytes(page)
    return tmp_path


def test_utf8_bom_is_accepted_silently(tmp_path):
    content = load_content(make(tmp_path, codecs.BOM_UTF8 + PAGE.encode("utf-8")))
    assert content.problems == ()
    assert content.exhibit("a", "x").title.get() == "中心揭牌"


def test_crlf_line_ends_are_accepted(tmp_path):
    content = load_content(make(tmp_path, PAGE.replace("\n", "\r\n").encode("utf-8")))
    assert content.problems == ()
    ex = content.exhibit("a", "x")
    assert ex.summary.get() == "正式成立"
    assert ex.body.get() == "正文第一行\n第二行\n"
    assert ex.body_line == 5


def test_bom_and_crlf_together_in_yaml(tmp_path):
    make(tmp_path, PAGE.encode("utf-8"))
    (tmp_path / "site.yaml").write_bytes(codecs.BOM_UTF8 + "title: 展厅\r\nsubtitle: 副题\r\n"
                                         .encode())
    content = load_content(tmp_path)
    assert content.problems == ()
    assert content.site.subtitle.get() == "副题"


def test_gbk_file_is_read_with_a_warning_saying_how_to_resave(tmp_path):
    content = load_content(make(tmp_path, PAGE.replace("\n", "\r\n").encode("gbk")))
    assert [p.format() for p in content.problems] == [
        "01-a/x.md: warning: 文件不是 UTF-8 编码，已按 GBK（中文 Windows 编码）读取。"
        "请另存为 UTF-8 编码（记事本：“另存为”，编码选择 UTF-8） / "
        "the file is not saved as UTF-8; it was read as GBK (Chinese Windows encoding). "
        "Please re-save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"]
    assert content.exhibit("a", "x").title.get() == "中心揭牌"


def test_gbk_file_errors_still_have_lines(tmp_path):
    page = "---\ntitle: 日期\ndate: 2015-13\n---\n"
    content = load_content(make(tmp_path, page.encode("gb18030")))
    assert [(p.line, p.severity, p.message.split(";")[0]) for p in content.problems] == [
        (None, "warning", "the file is not saved as UTF-8"),
        (3, "error", "'date' has an invalid month: 2015-13"),
    ]


def test_undecodable_file_is_an_error_and_left_out(tmp_path):
    content = load_content(make(tmp_path, b"---\ntitle: \xff\xfe\xfd\x80\n---\n"))
    assert [p.format(lang="en") for p in content.problems] == [
        "01-a/x.md:2: error: the file is not readable text (neither UTF-8 nor GBK); "
        "re-save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"]
    assert content.exhibit("a", "x") is None
    assert content.section("a") is not None


def test_utf16_file_is_an_error_with_advice(tmp_path):
    content = load_content(make(tmp_path, PAGE.encode("utf-16")))
    assert [p.message for p in content.problems] == [
        "the file is saved as UTF-16 (\"Unicode\"); "
        "re-save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"]


def test_binary_file_named_md_is_an_error(tmp_path):
    content = load_content(make(tmp_path, b"PK\x03\x04\x00\x00binary"))
    assert content.errors[0].message.startswith("the file is not a text file")


def test_decode_text_normalises_lone_cr():
    assert decode_text(b"a\rb\r\nc\n", "f") == ("a\nb\nc\n", [])


def test_tab_indentation_reported_at_each_line():
    result = load_yaml("items:\n\t- a\n  - b\n\t- c\n", "x.yaml")
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "a tab is used for indentation; use spaces"),
        (4, "a tab is used for indentation; use spaces"),
    ]
    assert not result.ok


def test_tabs_inside_block_text_and_after_colon_are_fine():
    result = load_yaml("intro: |\n  第一行\n  \t缩进的第二行\nnote:\tok\n", "x.yaml")
    assert result.problems == []
    assert result.data["intro"] == "第一行\n\t缩进的第二行\n"
    assert result.data["note"] == "ok"


def test_yaml_lines_are_file_lines_in_front_matter():
    fm = split_front_matter("---\ntitle: A\ndate: 2015\n---\n# Body\n")
    assert (fm.yaml_line, fm.body_line, fm.body) == (2, 5, "# Body\n")
    data = load_yaml(fm.yaml_text, "x.md", fm.yaml_line).data
    assert data.lines == {"title": 2, "date": 3}
    assert data.line == 2


def test_nested_mappings_and_lists_keep_lines():
    data = load_yaml("a:\n  b: 1\nlist:\n  - x\n  - k: v\n    j: w\n", "f").data
    assert data.lines == {"a": 1, "list": 3}
    assert data["a"].lines == {"b": 2}
    assert data["list"].lines == [4, 5]
    assert data["list"][1].lines == {"k": 5, "j": 6}
