"""Markdown -> neutral blocks (no Kivy involved)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiosk.ui.markdown.blocks import (
    Break,
    Code,
    CodeBlock,
    Emphasis,
    Heading,
    Image,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
    Strong,
    Table,
    Text,
    flatten,
    parse_blocks,
    plain_text,
)

ROOT = Path(__file__).resolve().parent.parent

EVERYTHING = """\
# 中心简介 [color=ff0000]

Some **bold *both*** and `code` with [a link](http://example.com).
Line two\\
after a hard break.

## 发展历程

1. 第一项
2. 第二项
   - 子项

> 把党的组织建到企业里。
>
> - 引文列表

![中心外景 *Exterior*](images/front.jpg "Front")

| 年份 | 企业数 |
|:----|-----:|
| 2015 | **56** |
| 2021 | 312 |

---

    indented code [b]x[/b]

```python
fenced = 1
```
"""


def test_every_construct_gives_the_expected_blocks():
    blocks = parse_blocks(EVERYTHING)
    assert [type(b).__name__ for b in blocks] == [
        "Heading",
        "Paragraph",
        "Heading",
        "ListBlock",
        "Quote",
        "Image",
        "Table",
        "Rule",
        "CodeBlock",
        "CodeBlock",
    ]
    h1, para, h2, lst, quote, image, table, rule, code, fence = blocks

    assert h1 == Heading(1, (Text("中心简介 [color=ff0000]"),))
    assert h2.level == 2 and plain_text(h2.inlines) == "发展历程"

    assert para.inlines == (
        Text("Some "),
        Strong((Text("bold "), Emphasis((Text("both"),)))),
        Text(" and "),
        Code("code"),
        Text(" with "),
        Link((Text("a link"),), "http://example.com"),
        Text("."),
        Break(hard=False),
        Text("Line two"),
        Break(hard=True),
        Text("after a hard break."),
    )

    assert isinstance(lst, ListBlock) and lst.ordered and lst.start == 1
    assert len(lst.items) == 2
    assert lst.items[0] == (Paragraph((Text("第一项"),)),)
    second = lst.items[1]
    assert second[0] == Paragraph((Text("第二项"),))
    assert second[1] == ListBlock(False, ((Paragraph((Text("子项"),)),),), 1)

    assert quote == Quote(
        (
            Paragraph((Text("把党的组织建到企业里。"),)),
            ListBlock(False, ((Paragraph((Text("引文列表"),)),),), 1),
        )
    )

    assert image == Image("images/front.jpg", "中心外景 Exterior", "Front")

    assert isinstance(table, Table)
    assert [plain_text(c) for c in table.header] == ["年份", "企业数"]
    assert [[plain_text(c) for c in row] for row in table.rows] == [["2015", "56"], ["2021", "312"]]
    assert table.rows[0][1] == (Strong((Text("56"),)),)
    assert table.aligns == ("left", "right")

    assert rule == Rule()
    assert code == CodeBlock("indented code [b]x[/b]", "")
    assert fence == CodeBlock("fenced = 1", "python")


def test_empty_text_gives_no_blocks():
    assert parse_blocks("") == []
    assert parse_blocks("  \n\n ") == []


def test_raw_html_is_kept_as_text():
    (para,) = parse_blocks("A <b>bold?</b> tag\n\n<div>block</div>")[:1]
    assert plain_text(para.inlines) == "A <b>bold?</b> tag"
    assert plain_text(parse_blocks("<div>block</div>")[0].inlines) == "<div>block</div>"


def test_paragraph_of_images_becomes_image_blocks():
    blocks = parse_blocks("![第一张](a.jpg)\n![第二张](b.png)")
    assert blocks == [Image("a.jpg", "第一张"), Image("b.png", "第二张")]


def test_image_inside_text_splits_the_paragraph():
    blocks = parse_blocks("开头文字 ![图](p.jpg) 结尾文字")
    assert blocks == [
        Paragraph((Text("开头文字 "),)),
        Image("p.jpg", "图"),
        Paragraph((Text(" 结尾文字"),)),
    ]


def test_ordered_list_keeps_its_start_number():
    (lst,) = parse_blocks("3. 三\n4. 四")
    assert lst.ordered and lst.start == 3 and len(lst.items) == 2


def test_soft_breaks_join_chinese_and_space_english():
    (cn,) = parse_blocks("党建工作\n服务平台。\n——中心")
    assert plain_text(cn.inlines) == "党建工作服务平台。——中心"
    (en,) = parse_blocks("party building\nservice center")
    assert plain_text(en.inlines) == "party building service center"
    (mixed,) = parse_blocks("中心\nCenter")
    assert plain_text(mixed.inlines) == "中心 Center"
    (after_stop,) = parse_blocks("服务。\nThe center,\n（注）")
    assert plain_text(after_stop.inlines) == "服务。The center,（注）"


def test_flatten_merges_runs_and_keeps_styles():
    (para,) = parse_blocks("a **b *c*** d\\\ne")
    assert flatten(para.inlines) == [
        Run("a "),
        Run("b ", bold=True),
        Run("c", bold=True, italic=True),
        Run(" d\ne"),
    ]


def test_blocks_module_does_not_import_kivy():
    code = (
        "import sys, kiosk.ui.markdown as m, kiosk.ui.markdown.blocks;"
        "m.parse_blocks('# x');"
        "print(sorted(n for n in sys.modules if n == 'kivy' or n.startswith('kivy.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_bold_around_chinese_quotes_is_bold_not_asterisks():
    from kiosk.ui.markdown.blocks import leftover_markers

    text = "坚持**“企业需要什么就加什么”**的原则，做到**《服务清单》**上墙。"
    (para,) = parse_blocks(text)
    assert para.inlines == (
        Text("坚持"), Strong((Text("“企业需要什么就加什么”"),)), Text("的原则，做到"),
        Strong((Text("《服务清单》"),)), Text("上墙。"))
    assert "*" not in plain_text(para.inlines)
    assert leftover_markers(text) == []
    # English keeps CommonMark's rules
    (para,) = parse_blocks('the **"whatever firms need"** rule')
    assert para.inlines[1] == Strong((Text('"whatever firms need"'),))


def test_unclosed_bold_is_found_on_its_line():
    from kiosk.ui.markdown.blocks import leftover_markers

    text = "第一段。\n\n第二段**没有收尾，\n接着写。\n\n`**` 代码里不算"
    assert leftover_markers(text) == [(3, "**")]
