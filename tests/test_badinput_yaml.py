"""Bad input, part 1: malformed and hostile YAML.

Every case gets a clear error naming the file and the line, the file is left
out, and the rest of the content keeps loading. Nothing in a content file is
ever executed: YAML is composed by the safe (libyaml) loader and only plain
values (text, numbers, true/false, dates) are built from it.

Cases already covered elsewhere (not repeated here):

- tabs in indentation: tests/test_encoding.py::test_tab_indentation_reported_at_each_line
  and tests/test_loader_rules.py (``01-history/tabs.md``)
- a key given twice: tests/test_loader_rules.py::test_key_given_twice
- unclosed quote, missing ':', bad indentation:
  tests/test_loader_rules.py::test_yaml_syntax_messages_point_at_the_cause
- a list where the whole file should be a mapping:
  tests/test_loader_rules.py::test_yaml_that_is_not_a_mapping
- unclosed front matter: tests/test_loader_rules.py::test_unclosed_front_matter
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from kiosk.content import load_content
from kiosk.content import source as source_module
from kiosk.content.source import _LineLoader, load_yaml

BASE = {
    "site.yaml": "title: 展厅\n",
    "01-a/_section.yaml": "title: 栏目\nlayout: grid\n",
    "01-a/good.md": "---\ntitle: 好的展项\n---\n正文\n",
}

TAG_ERROR = ("YAML syntax error: tags starting with '!' (such as '!!python/object') are not "
             "allowed; put text starting with '!' in quotes")


def tree(root: Path, files: dict[str, str | bytes]):
    for rel, text in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_content(root)


def messages(content) -> list[str]:
    return [p.format(lang="en") for p in content.problems]


def assert_rest_loads(content):
    """The good exhibit, its section and the site are all there."""
    assert content.site.title.get() == "展厅"
    assert content.exhibit("a", "good") is not None
    assert content.exhibit("a", "good").title.get() == "好的展项"


# ---------------------------------------------------------------- alias bombs


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_once_and_the_rest_loads(tmp_path):
    text = "type: stats\ntitle: 炸弹\nitems:\n  - value: 1\n    label: x\n" + billion_laughs()
    started = time.perf_counter()
    content = tree(tmp_path, {"01-a/bomb.yaml": text})
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0  # 9**9 strings would take minutes and gigabytes
    assert messages(content) == [
        "01-a/bomb.yaml:6: error: YAML syntax error: '*' references (aliases) repeat far "
        "too much data; write the values out"]
    assert content.exhibit("a", "bomb") is None
    assert_rest_loads(content)
    assert content.problems[0].message_zh == (
        "YAML 格式错误：'*' 引用（别名）重复的内容太多；请直接写出内容")


def test_billion_laughs_in_front_matter_names_the_file_line(tmp_path):
    content = tree(tmp_path, {"01-a/x.md": "---\ntitle: X\n" + billion_laughs() + "---\n"})
    (problem,) = content.problems
    assert problem.path == "01-a/x.md" and problem.line == 3 and problem.is_error
    assert "aliases" in problem.message
    assert_rest_loads(content)


def test_modest_aliases_and_merge_keys_still_work(tmp_path):
    content = tree(tmp_path, {"01-a/s.yaml": (
        "type: stats\ntitle: 数据\n"
        "base: &base {unit: 家, decimals: 0}\n"
        "items:\n"
        "  - <<: *base\n    value: 5\n    label: 企业\n"
        "  - <<: *base\n    value: 7\n    label: 党组织\n")})
    assert messages(content) == [
        "01-a/s.yaml:3: warning: unknown field 'base' (it is ignored)"]
    items = content.exhibit("a", "s").stats
    assert [(i.value, i.unit.get()) for i in items] == [(5, "家"), (7, "家")]


def test_alias_referring_to_itself(tmp_path):
    content = tree(tmp_path, {"01-a/x.md": "---\ntitle: X\nimages: &i [*i]\n---\n"})
    assert messages(content) == ["01-a/x.md:3: error: YAML syntax error: an alias refers to itself"]
    assert_rest_loads(content)


def test_nesting_too_deep_is_an_error_not_a_crash(tmp_path):
    deep = "[" * 999 + "]" * 999
    content = tree(tmp_path, {"01-a/x.md": f"---\ntitle: X\nsummary: {deep}\n---\n",
                              "01-a/y.yaml": "type: stats\ntitle: Y\nitems: " + deep + "\n"})
    assert messages(content) == [
        "01-a/x.md:3: error: YAML syntax error: lists and groups are nested inside each other "
        "too deeply",
        "01-a/y.yaml:3: error: YAML syntax error: lists and groups are nested inside each other "
        "too deeply"]
    assert_rest_loads(content)


# ---------------------------------------------------------------- tags never run


@pytest.mark.parametrize("tagged", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.call [['touch', '{marker}']]",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:kiosk.config.Config {{}}",
    "!!python/tuple [1, 2]",
    "!!set {{a, b}}",
    "!!binary aGVsbG8=",
    "!!omap [a: 1]",
    "!include ../../etc/passwd",
    "!ENV ${{HOME}}",
])
def test_tags_are_refused_and_never_executed(tmp_path, tagged):
    marker = tmp_path / "executed"
    value = tagged.format(marker=marker)
    content = tree(tmp_path / "c", {
        "01-a/x.md": f"---\ntitle: X\nsummary: {value}\n---\n",
        "01-a/s.yaml": f"type: stats\ntitle: S\nitems:\n  - value: 1\n    label: {value}\n"})
    assert not marker.exists()
    assert messages(content) == [f"01-a/s.yaml:5: error: {TAG_ERROR}",
                                 f"01-a/x.md:3: error: {TAG_ERROR}"]
    assert content.exhibit("a", "x") is None and content.exhibit("a", "s") is None
    assert_rest_loads(content)
    assert content.problems[0].message_zh == (
        "YAML 格式错误：不允许使用以 '!' 开头的标签（例如 '!!python/object'）；"
        "以 '!' 开头的文字请用引号括起来")


def test_tag_on_a_key_or_a_whole_site_file(tmp_path):
    marker = tmp_path / "executed"
    content = tree(tmp_path / "c", {
        "site.yaml": f"!!python/object/apply:os.system ['touch {marker}']\n",
        "01-a/x.md": "---\ntitle: X\n? !!python/tuple [a]\n: 1\n---\n"})
    assert not marker.exists()
    assert messages(content) == [f"01-a/x.md:3: error: {TAG_ERROR}",
                                 f"site.yaml:1: error: {TAG_ERROR}"]
    assert content.exhibit("a", "good") is not None


def test_quoted_and_plain_standard_tags_are_plain_values():
    result = load_yaml('a: "!!python/object"\nb: !x-y\n', "f")
    assert not result.ok and [(p.line, p.message) for p in result.problems] == [(2, TAG_ERROR)]
    result = load_yaml('a: "!!python/object"\nb: !!str 2015\nc: !!int "7"\nd: =\n', "f")
    assert result.ok and result.data == {"a": "!!python/object", "b": "2015", "c": 7, "d": "="}


def test_only_safe_loaders_are_used_anywhere():
    """The content loader builds on libyaml's safe loader; no module calls an unsafe one."""
    assert issubclass(_LineLoader, yaml.constructor.SafeConstructor)
    assert not issubclass(_LineLoader, yaml.constructor.FullConstructor)
    root = Path(source_module.__file__).resolve().parents[1]
    unsafe = ("yaml.load(", "yaml.load_all(", "yaml.Loader", "yaml.FullLoader",
              "yaml.UnsafeLoader", "unsafe_load", "full_load", "yaml.CLoader")
    found = [f"{path.name}: {word}" for path in root.rglob("*.py")
             for word in unsafe if word in path.read_text(encoding="utf-8")]
    assert found == []


# ---------------------------------------------------------------- wrong types


WRONG_TYPES = [
    # (file, text, expected messages, exhibit still shown?)
    ("01-a/x.md", "---\ntitle: [a, b]\n---\n",
     ["01-a/x.md:2: error: 'title' should be text or a mapping of languages (zh: ..., en: ...)",
      "01-a/x.md:2: error: 'title' is empty"], False),
    ("01-a/x.md", "---\ntitle: {zh: [a]}\n---\n",
     ["01-a/x.md:2: error: 'title' (zh) should be text", "01-a/x.md:2: error: 'title' is empty"],
     False),
    ("01-a/x.md", "---\ntitle: X\nimages: {a: b}\n---\n",
     ["01-a/x.md:3: error: 'images' should be a list (lines starting with '- ')"], True),
    ("01-a/x.md", "---\ntitle: X\nimages:\n  - [a, b]\n---\n",
     ["01-a/x.md:4: error: image 1: this should be a file path"], True),
    ("01-a/x.md", "---\ntitle: X\nvideo: [a]\n---\n",
     ["01-a/x.md:3: error: 'video': this should be a file path"], True),
    ("01-a/x.md", "---\ntitle: X\norder: 1.5\n---\n",
     ["01-a/x.md:3: error: 'order' should be a whole number, not '1.5'"], True),
    ("01-a/x.md", "---\ntitle: X\ndraft: 1\n---\n",
     ["01-a/x.md:3: error: 'draft' should be true or false, not '1'"], True),
    ("01-a/x.md", "---\ntitle: X\n[a, b]: c\n---\n",
     ["01-a/x.md:3: warning: unknown field '['a', 'b']' (it is ignored)"], True),
    ("01-a/x.yaml", "type: stats\ntitle: S\nitems: {value: 1}\n",
     ["01-a/x.yaml:3: error: 'items' should be a list (lines starting with '- ')"], False),
    ("01-a/x.yaml", "type: stats\ntitle: S\nitems:\n  - 5\n  - value: x\n    label: L\n",
     ["01-a/x.yaml:4: error: item 1 should be a set of 'name: value' lines",
      "01-a/x.yaml:5: error: item 2: 'value' should be a number, not 'x'"], True),
]


@pytest.mark.parametrize(("rel", "text", "expected", "shown"), WRONG_TYPES)
def test_wrong_types_are_named_at_their_line(tmp_path, rel, text, expected, shown):
    content = tree(tmp_path, {rel: text})
    assert messages(content) == expected
    assert (content.exhibit("a", "x") is not None) == shown
    assert_rest_loads(content)


def test_wrong_types_in_site_yaml_keep_the_defaults(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: 展厅\nattract: [1, 2]\nhome: {a: 1}\n"})
    assert messages(content) == [
        "site.yaml:2: error: 'attract' should contain 'slide_seconds:' and/or 'prompt:' lines",
        "site.yaml:3: error: 'home' should be a list (lines starting with '- ')"]
    assert content.site.attract.slide_seconds == 8
    assert [s.id for s in content.sections] == ["a"]
    assert_rest_loads(content)


def test_a_list_where_the_section_settings_belong(tmp_path):
    content = tree(tmp_path, {"01-a/_section.yaml": "- title: 栏目\n- layout: grid\n",
                              "02-b/_section.yaml": "title: B\nlayout: grid\n",
                              "02-b/y.md": "---\ntitle: Y\n---\n"})
    assert messages(content) == [
        "01-a/_section.yaml:1: error: this should be a set of 'name: value' lines "
        "(such as 'title: ...')"]
    assert [s.id for s in content.sections] == ["b"]
    assert content.exhibit("b", "y") is not None


def test_unclosed_bracket_and_single_quote(tmp_path):
    content = tree(tmp_path, {"01-a/x.yaml": "type: stats\ntitle: S\nitems: [1, 2\n",
                              "01-a/y.yaml": "type: stats\ntitle: 'abc\nitems: []\n"})
    assert messages(content) == [
        "01-a/x.yaml:3: error: YAML syntax error: a '[' list is not closed with ']'",
        "01-a/y.yaml:2: error: YAML syntax error: a quote is not closed"]
    assert_rest_loads(content)


def test_more_syntax_slips_in_plain_words(tmp_path):
    content = tree(tmp_path, {
        "01-a/a.yaml": "type: stats\ntitle: S\nitems: [1, , 2]\n",
        "01-a/b.yaml": "type: stats\ntitle: S\nitems: - 1\n",
        "01-a/c.yaml": "type: stats\ntitle: |x\n  S\n",
        "01-a/d.yaml": 'type: stats\ntitle: S\nimage: "C:\\photos\\a.jpg"\n'})
    assert messages(content) == [
        "01-a/a.yaml:3: error: YAML syntax error: a value is missing "
        "(for example two commas in a row in a '[ ]' list)",
        "01-a/b.yaml:3: error: YAML syntax error: a '- ' list cannot start on the same line as "
        "its name; start it on the next line, indented",
        "01-a/c.yaml:2: error: YAML syntax error: '|' or '>' must end its line; the text starts "
        "on the next line, indented",
        "01-a/d.yaml:3: error: YAML syntax error: a backslash '\\' inside double quotes (such as "
        "a Windows path); use single quotes or '/' instead"]
    assert_rest_loads(content)
