"""Every rule of the content format, each triggered by a fixture, with its exact message and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from kiosk.content import load_content

BAD = Path(__file__).parent / "fixtures" / "content-bad"


@pytest.fixture(scope="module")
def bad():
    return load_content(BAD)


def lines_of(content, path: str) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.severity, p.message) for p in content.problems if p.path == path]


def find(content, path: str, line: int | None):
    found = [p for p in content.problems if p.path == path and p.line == line]
    assert len(found) == 1, [p.format() for p in content.problems if p.path == path]
    return found[0]


# (path, line, severity, English message) — word for word.
RULES = [
    # site.yaml
    ("site.yaml", 2, "warning", "unknown field 'titel' — did you mean 'title'?"),
    ("site.yaml", 5, "error",
     "'home' lists 'histroy', but there is no such section — did you mean 'history'?"),
    ("site.yaml", 7, "error", "attract: 'slide_seconds' should be greater than 0, not 0"),
    # Markdown exhibits
    ("01-history/no-front-matter.md", 1, "error",
     "no front matter with a title: start the file with a '---' line, then 'title: ...', "
     "then another '---' line"),
    ("01-history/missing-title.md", 2, "error", "missing required field 'title'"),
    ("01-history/bad-fields.md", 3, "error", "'date' has an invalid month: 2015-13"),
    ("01-history/bad-day.md", 3, "error", "'date' has an invalid day: 2015-02-30"),
    ("01-history/bad-date-form.md", 3, "error",
     "'date' should be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-07-01), not '2015年7月'"),
    ("01-history/bad-fields.md", 4, "error",
     "'publish_from' should be YYYY-MM-DD or \"YYYY-MM-DD HH:MM\", not '2024/01/01'"),
    ("01-history/bad-fields.md", 5, "error",
     "'publish_until' has an invalid date or time: 2024-02-30"),
    ("01-history/bad-fields.md", 6, "error", "'featured' should be true or false, not 'maybe'"),
    ("01-history/bad-fields.md", 7, "error", "'order' should be a whole number, not 'first'"),
    ("01-history/bad-fields.md", 8, "error",
     "'cover': the path '../../outside.jpg' points outside the content folder"),
    ("01-history/bad-fields.md", 10, "error", "image 1: file not found: images/missing.jpg"),
    ("01-history/bad-fields.md", 11, "error",
     "image 2: the path '/etc/passwd.jpg' is absolute; write it relative to this file"),
    ("01-history/bad-fields.md", 12, "error",
     "image 3: 'notes.txt' is not an image file (.jpg .jpeg .png .webp .gif .bmp .heic .heif)"),
    ("01-history/bad-fields.md", 13, "error", "'video': file not found: clip.mp4"),
    ("01-history/bad-fields.md", 17, "error", "file not found: images/gone.png"),
    ("01-history/tabs.md", 4, "error", "a tab is used for indentation; use spaces"),
    ("01-history/syntax.md", 2, "error",
     "YAML syntax error: unexpected ':' in a value; put text that contains ': ' in quotes"),
    # translations
    ("01-history/2015-opens.en.md", 3, "warning",
     "'date' is ignored in a translation; set it in 2015-opens.md"),
    ("01-history/2015-opens.fr.md", None, "warning",
     "this translation is in 'fr', which is not one of the site languages (zh, en); "
     "it is not shown"),
    ("01-history/orphan.en.md", None, "warning",
     "translation without a main file: orphan.md is missing"),
    ("01-history/syntax.en.md", None, "warning",
     "this translation is not shown while 01-history/syntax.md has an error"),
    # section folder contents
    ("01-history/undated.md", None, "warning",
     "no 'date': in a timeline this exhibit is shown last"),
    ("01-history/dup.md", None, "error",
     "the exhibit id 'dup' is already used by 01-dup.md in this section; rename one of them"),
    ("01-history/notes.txt", None, "warning",
     "not used: a section folder holds .md and .yaml exhibits, pictures and videos"),
    ("02-figures/_section.yaml", 2, "error",
     "'layout' should be one of timeline, stats, honors, grid, gallery, article, not 'grd' "
     "— did you mean 'grid'?"),
    ("04-nosettings", None, "error",
     "the folder '04-nosettings' has no _section.yaml: add one to make it a section, "
     "or start the folder name with '_' if it only holds shared files"),
    ("05-history/_section.yaml", None, "error",
     "the section id 'history' is already used by the folder '01-history'; "
     "rename one of the folders"),
    # structured exhibits
    ("02-figures/kind.yaml", 1, "error", "'type' should be one of stats, honors, not 'chart'"),
    ("02-figures/stats.yaml", 4, "error", "item 1: 'value' should be a number, not 'abc'"),
    ("02-figures/stats.yaml", 6, "error", "item 2: missing required field 'value'"),
    ("02-figures/stats.yaml", 7, "error", "item 3: missing required field 'label'"),
    ("02-figures/stats.yaml", 8, "warning", "item 3: unknown field 'lable' — did you mean 'label'?"),
    ("02-figures/stats.yaml", 9, "error", "item 3: 'decimals' should be 0 or more, not -1"),
    ("03-honors/honors.yaml", 4, "error", "item 1: missing required field 'title'"),
    ("03-honors/honors.yaml", 6, "error", "item 2: 'image': file not found: nothere.png"),
    # tours
    ("tours/bad.yaml", 4, "error",
     "there is no section 'nowhere' (sections: history, honors, gallery)"),
    ("tours/bad.yaml", 5, "error", "section 'history' has no exhibit 'nothing'"),
    ("tours/bad.yaml", 6, "error", "photo 9 does not exist; section 'gallery' has 1 photo"),
    ("tours/bad.yaml", 8, "error",
     "'photo' only works in a gallery section; 'history' is a timeline"),
    ("tours/empty.yaml", 2, "error", "'steps' is empty; it needs at least one item"),
    ("tours/dup.yaml", None, "error",
     "the tour id 'dup' is already used by tours/01-dup.yaml; rename one of the files"),
    ("tours/readme.txt", None, "warning", "not used: the tours folder holds NAME.yaml files"),
]


@pytest.mark.parametrize("path,line,severity,message", RULES,
                         ids=[f"{r[0]}:{r[1]}" for r in RULES])
def test_rule_reported_word_for_word(bad, path, line, severity, message):
    assert (line, severity, message) in lines_of(bad, path)


def test_nothing_else_is_reported(bad):
    expected = {(r[0], r[1], r[3]) for r in RULES}
    extra = [p.format(lang="en") for p in bad.problems
             if (p.path, p.line, p.message) not in expected]
    assert extra == []


def test_key_messages_in_chinese(bad):
    assert find(bad, "site.yaml", 2).message_zh == "未知字段 'titel'，是不是想写 'title'？"
    assert find(bad, "01-history/missing-title.md", 2).message_zh == "缺少必填项 'title'"
    assert find(bad, "01-history/bad-fields.md", 3).message_zh == "'date' 的月份不对：2015-13"
    assert find(bad, "01-history/tabs.md", 4).message_zh == "这一行用了 Tab 键缩进；请改用空格"
    assert find(bad, "01-history/bad-fields.md", 8).message_zh == \
        "'cover'：路径 '../../outside.jpg' 指向内容文件夹以外"
    assert find(bad, "tours/bad.yaml", 5).message_zh == "栏目 'history' 里没有展项 'nothing'"


def test_problems_carry_keys(bad):
    assert find(bad, "site.yaml", 2).key == "titel"
    assert find(bad, "site.yaml", 7).key == "attract.slide_seconds"
    assert find(bad, "02-figures/stats.yaml", 9).key == "items[3].decimals"
    assert find(bad, "01-history/bad-fields.md", 11).key == "images[2]"
    assert find(bad, "tours/bad.yaml", 4).key == "steps[2]"


def test_problems_sorted_by_path_then_line(bad):
    keys = [(p.path, p.line or 0) for p in bad.problems]
    assert keys == sorted(keys)


def test_ignored_temporaries_produce_no_problem(bad):
    junk = {"Thumbs.db", ".~lock.x.md#", "x.md~", "~$doc.docx", ".syncthing.a.md.tmp", "a.tmp",
            "b.part", "c.crdownload", ".DS_Store", "desktop.ini", ".hidden.md", "x.md.swp",
            "y.swo", ".a.md.Xy12Zq"}
    assert all((BAD / "01-history" / name).exists() for name in junk)
    mentioned = {Path(p.path).name for p in bad.problems}
    assert mentioned & junk == set()


def test_bad_files_are_left_out_and_the_rest_loads(bad):
    assert [s.id for s in bad.sections] == ["history", "honors", "gallery"]
    history = bad.section("history")
    # files with a wrong optional field still load (without the bad value) ...
    assert history.exhibit("bad-fields") is not None
    assert history.exhibit("bad-fields").date is None
    assert history.exhibit("bad-fields").cover is None
    # ... files without a usable title or with broken YAML do not
    for gone in ("no-front-matter", "missing-title", "tabs", "syntax"):
        assert history.exhibit(gone) is None
    assert history.exhibit("dup").title.get() == "第一"
    assert history.exhibit("2015-opens").title.get("en") == "Opening"
    assert history.exhibit("2015-opens").date.year == 2015
    assert bad.section("honors").exhibit("honors").honors[0].title.get() == "示范点"
    assert [t.id for t in bad.tours] == ["dup", "bad"]
    assert [s.route for s in bad.tour("bad").steps] == ["section/history"]


# ---------------------------------------------------------------- rules checked on small trees


def tree(tmp_path: Path, files: dict[str, str]):
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_content(tmp_path)


def messages(content) -> list[str]:
    return [p.format(lang="en") for p in content.problems]


SECTION = {"01-a/_section.yaml": "title: A\nlayout: grid\n"}


def test_unknown_language_in_text_and_site(tmp_path):
    content = tree(tmp_path, {
        "site.yaml": "title: {cn: 展厅, en: Hall, de: Halle}\nlanguages: [zh, fr]\n", **SECTION})
    assert messages(content) == [
        "site.yaml:1: warning: 'title' has an unknown language 'cn' — did you mean 'zh'?",
        "site.yaml:1: warning: 'title' has an unknown language 'de' (use zh or en)",
        "site.yaml:2: error: 'languages' has 'fr'; allowed: zh, en",
    ]
    assert content.site.languages == ("zh",)


def test_publish_window_that_never_opens(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION, "01-a/x.md": (
        "---\ntitle: X\npublish_from: 2024-05-01\npublish_until: 2024-04-01\n---\n")})
    assert messages(content) == [
        "01-a/x.md:4: warning: 'publish_until' is not after 'publish_from', "
        "so this is never shown"]


def test_key_given_twice(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\ntitle: U\n", **SECTION})
    assert messages(content) == ["site.yaml:2: warning: 'title' is given twice; the last one is used"]
    assert content.site.title.get() == "U"


def test_section_missing_required_fields(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", "01-a/_section.yaml": "subtitle: S\n"})
    assert messages(content) == [
        "01-a/_section.yaml:1: error: missing required field 'title'",
        "01-a/_section.yaml:1: error: missing required field 'layout'",
    ]
    assert content.sections == ()


def test_structured_needs_items_and_type(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION, "01-a/s.yaml": "title: S\n"})
    assert messages(content) == [
        "01-a/s.yaml:1: error: missing required field 'type'",
        "01-a/s.yaml:1: error: missing required field 'items'",
    ]


def test_tour_step_forms(tmp_path):
    content = tree(tmp_path, {
        "site.yaml": "title: T\n", **SECTION, "01-a/x.md": "---\ntitle: X\n---\n",
        "tours/t.yaml": ("title: T\nsteps:\n  - a/x\n  - a\n  - {section: a, exhibit: b/x}\n"
                         "  - {title: 无处}\n  - {section: a, seconds: 0}\n  - 5\n")})
    assert messages(content) == [
        "tours/t.yaml:5: error: step 3: 'exhibit' is in section 'b' but 'section' says 'a'",
        "tours/t.yaml:6: error: step 4: missing required field 'section' "
        "(or write 'exhibit: section/id')",
        "tours/t.yaml:7: error: step 5: 'seconds' should be greater than 0, not 0",
        "tours/t.yaml:8: error: step 6 should name a 'section:' and/or an 'exhibit:'",
    ]
    assert [s.route for s in content.tour("t").steps] == [
        "exhibit/a/x", "section/a", "section/a"]


def test_tour_needs_title_and_steps(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION,
                              "tours/t.yaml": "description: D\n"})
    assert messages(content) == [
        "tours/t.yaml:1: error: missing required field 'title'",
        "tours/t.yaml:1: error: missing required field 'steps'",
    ]
    assert content.tours == ()


def test_yaml_that_is_not_a_mapping(tmp_path):
    content = tree(tmp_path, {"site.yaml": "- title\n- T\n", **SECTION})
    assert messages(content) == [
        "site.yaml:1: error: this should be a set of 'name: value' lines (such as 'title: ...')"]


def test_unclosed_front_matter(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION,
                              "01-a/x.md": "---\ntitle: X\n正文\n"})
    assert messages(content) == [
        "01-a/x.md:1: error: the front matter starting at line 1 is not closed with a '---' line"]


def test_yaml_syntax_messages_point_at_the_cause(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION,
                              "01-a/q.yaml": "type: stats\ntitle: \"未闭合\nitems: []\n",
                              "01-a/k.yaml": "type: stats\ntitle\nitems: []\n",
                              "01-a/i.yaml": "type: stats\n  title: x\nitems: []\n"})
    assert messages(content) == [
        "01-a/i.yaml:2: error: YAML syntax error: unexpected ':' in a value; "
        "put text that contains ': ' in quotes",
        "01-a/k.yaml:2: error: YAML syntax error: a line is missing the ':' after its name",
        "01-a/q.yaml:2: error: YAML syntax error: a quote is not closed",
    ]


def test_yes_no_words_stay_text_and_booleans_accept_them(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION,
                              "01-a/x.md": "---\ntitle: no\nfeatured: yes\n---\n"})
    assert messages(content) == []
    ex = content.exhibit("a", "x")
    assert ex.title.get() == "no" and ex.featured is True


def test_video_must_be_a_video_and_single_image_is_accepted(tmp_path):
    (tmp_path / "01-a").mkdir()
    Image.new("RGB", (4, 3), "white").save(tmp_path / "01-a" / "a.png")
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION,
                              "01-a/x.md": "---\ntitle: X\nimages: a.png\nvideo: a.png\n---\n"})
    assert messages(content) == [
        "01-a/x.md:4: error: 'video': 'a.png' is not a video file (.mp4 .webm .mov .mkv .avi)"]
    assert [m.src for m in content.exhibit("a", "x").images] == ["01-a/a.png"]


def test_unknown_front_matter_field_suggests_the_right_one(tmp_path):
    content = tree(tmp_path, {"site.yaml": "title: T\n", **SECTION,
                              "01-a/x.md": "---\ntitle: X\nsumary: S\nfeatrued: true\n---\n"})
    assert messages(content) == [
        "01-a/x.md:3: warning: unknown field 'sumary' — did you mean 'summary'?",
        "01-a/x.md:4: warning: unknown field 'featrued' — did you mean 'featured'?",
    ]
