"""Reading content files: bytes to text, YAML with line numbers, Markdown front matter.

Everything that can go wrong while *reading* a file (encoding, YAML syntax,
tabs) is reported here as a :class:`~kiosk.content.model.Problem` located at a
line, in plain words for the staff who edit the content.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field, replace

import yaml

from .model import Problem

try:  # libyaml is much faster; fall back to the pure-Python parser without it
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

RESAVE_EN = "re-save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"
RESAVE_ZH = "请另存为 UTF-8 编码（记事本：“另存为”，编码选择 UTF-8）"

# A text file larger than this is refused unread: no exhibit needs it, and a
# mistaken copy (a video renamed .md, a disk image) must not fill the memory.
MAX_TEXT_BYTES = 2 * 1024 * 1024
# How many items YAML aliases ('*name') may repeat in one file: enough for any
# shared caption or merge key, far too little for an alias bomb.
MAX_ALIAS_ITEMS = 10_000
MAX_DEPTH = 100  # lists and groups inside each other


def problem(path: str, line: int | None, severity: str, en: str, zh: str,
            key: str | None = None) -> Problem:
    return Problem(path=path, line=line, severity=severity, message=en, message_zh=zh, key=key)


# --------------------------------------------------------------------------- decoding


def decode_text(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes of a content file to text with ``\\n`` line ends.

    UTF-8 (with or without BOM) is read silently; GB18030/GBK is read with a
    warning telling how to re-save as UTF-8; anything else is an error.
    """
    problems: list[Problem] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    text: str | None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(problem(
            path, None, "error",
            f"the file is saved as UTF-16 (\"Unicode\"); {RESAVE_EN}",
            f"文件是 UTF-16（“Unicode”）编码，无法读取；{RESAVE_ZH}"))
        return None, problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is None or "\x00" in text:
            line = data[: exc.start].count(b"\n") + 1
            problems.append(problem(
                path, line, "error",
                f"the file is not readable text (neither UTF-8 nor GBK); {RESAVE_EN}",
                f"文件无法按文字读取（既不是 UTF-8 也不是 GBK 编码）；{RESAVE_ZH}"))
            return None, problems
        problems.append(problem(
            path, None, "warning",
            f"the file is not saved as UTF-8; it was read as GBK (Chinese Windows encoding). "
            f"Please {RESAVE_EN}",
            f"文件不是 UTF-8 编码，已按 GBK（中文 Windows 编码）读取。{RESAVE_ZH}"))
    if "\x00" in text:
        problems.append(problem(
            path, None, "error",
            f"the file is not a text file (it contains NUL bytes); {RESAVE_EN}",
            f"文件不是文本文件（含有空字节）；{RESAVE_ZH}"))
        return None, problems
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def read_text(abspath: str, path: str) -> tuple[str | None, list[Problem]]:
    """Read and decode one file; ``path`` is the relative name used in problems."""
    try:
        with open(abspath, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = b"" if size > MAX_TEXT_BYTES else fh.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        return None, [problem(path, None, "error",
                              f"the file cannot be opened: {exc.strerror or exc}",
                              f"文件无法打开：{exc.strerror or exc}")]
    if size > MAX_TEXT_BYTES or len(data) > MAX_TEXT_BYTES:
        shown = _size_words(max(size, len(data)))
        limit = _size_words(MAX_TEXT_BYTES)
        return None, [problem(
            path, None, "error",
            f"the file is too big ({shown}); a text file may be at most {limit}. "
            f"Is it really a text file?",
            f"文件太大（{shown}）；文字文件最多 {limit}。请确认它确实是文字文件")]
    return decode_text(data, path)


def _size_words(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size} bytes"


# --------------------------------------------------------------------------- YAML with lines


class LineDict(dict):
    """A YAML mapping that remembers the line of each key (1-based, in the file)."""

    __slots__ = ("line", "lines", "duplicates")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line: int | None = None
        self.lines: dict = {}
        self.duplicates: list[tuple[object, int]] = []

    def line_of(self, key) -> int | None:
        return self.lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    __slots__ = ("line", "lines")

    def __init__(self, *args):
        super().__init__(*args)
        self.line: int | None = None
        self.lines: list[int] = []

    def line_of(self, index: int) -> int | None:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_BOOL = "tag:yaml.org,2002:bool"
_VALUE = "tag:yaml.org,2002:value"  # a lone "=": kept as text


class _LineLoader(_BaseLoader):
    """Composes YAML nodes (libyaml when available); :func:`_to_python` builds the values."""

    def resolve(self, kind, value, implicit):
        # The stock resolver, minus path resolvers (never used here); it runs for
        # every scalar, so it is worth keeping short.
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _MAP if kind is yaml.MappingNode else _SEQ

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


# Only true/false are booleans: "yes", "no", "on", "off" stay plain words.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _VALUE)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _Recursive(yaml.MarkedYAMLError):
    pass


class _TooMuch(yaml.MarkedYAMLError):
    """Aliases that repeat too much, or groups nested too deeply."""


_MERGE = "tag:yaml.org,2002:merge"
# Plain values only: text, numbers, true/false, null and dates. Any other tag
# (!!python/object, !!set, !!binary, a custom !tag) is refused, never constructed.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                        for name in ("null", "bool", "int", "float", "timestamp"))


def _refuse_tag(node):
    raise yaml.constructor.ConstructorError(
        None, None, f"could not determine a constructor for the tag {node.tag!r}",
        node.start_mark)


def _to_python(loader: _LineLoader, node, base: int, active: set[int],
               duplicates: list[tuple[object, int]], seen: dict[int, int] | None = None):
    """Plain Python values from a node tree; mappings and lists carry their lines.

    ``seen`` counts collections already built: building one again (an alias)
    spends its length from a budget of :data:`MAX_ALIAS_ITEMS`.
    """
    if node.__class__ is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                return loader.construct_yaml_timestamp(node)
            except ValueError:  # e.g. 2015-02-30: keep the words so the field check names them
                return node.value
        if tag not in _PLAIN_TAGS:
            _refuse_tag(node)
        return loader.construct_object(node, deep=True)
    if id(node) in active:
        raise _Recursive(None, None, "an alias refers to itself", node.start_mark)
    if len(active) >= MAX_DEPTH:
        raise _TooMuch(None, None, "exceeded maximum nesting depth", node.start_mark)
    if seen is None:
        seen = {-1: 0}
    if id(node) in seen:
        seen[-1] += len(node.value)
        if seen[-1] > MAX_ALIAS_ITEMS:
            raise _TooMuch(None, None, "aliases repeat too much", node.start_mark)
    else:
        seen[id(node)] = 1
    active.add(id(node))
    try:
        if node.__class__ is yaml.MappingNode:
            if node.tag != _MAP:
                _refuse_tag(node)
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    loader.flatten_mapping(node)
                    break
            data = LineDict()
            data.line = node.start_mark.line + base
            lines = data.lines
            for key_node, value_node in node.value:
                if key_node.__class__ is yaml.ScalarNode and key_node.tag == _STR:
                    key = key_node.value
                else:
                    key = _to_python(loader, key_node, base, active, duplicates, seen)
                    try:
                        hash(key)
                    except TypeError:
                        key = str(key)
                line = key_node.start_mark.line + base
                if key in lines:
                    data.duplicates.append((key, line))
                    duplicates.append((key, line))
                data[key] = _to_python(loader, value_node, base, active, duplicates, seen)
                lines[key] = line
            return data
        if node.tag != _SEQ:
            _refuse_tag(node)
        seq = LineList()
        seq.line = node.start_mark.line + base
        item_lines = seq.lines
        for item in node.value:
            seq.append(_to_python(loader, item, base, active, duplicates, seen))
            item_lines.append(item.start_mark.line + base)
        return seq
    finally:
        active.discard(id(node))


_BLOCK_SCALAR = re.compile(r"[:-]\s*[|>][-+0-9]*\s*(?:#.*)?$")

# (substring of the parser's message, English, Chinese)
_SYNTAX_HINTS = (
    ("could not find expected ':'",
     "a line is missing the ':' after its name",
     "这一行缺少名称后面的冒号 ':'"),
    ("mapping values are not allowed",
     "unexpected ':' in a value; put text that contains ': ' in quotes",
     "值里出现了多余的 ':'；含有 ': ' 的文字请用引号括起来"),
    ("did not find expected key",
     "the indentation does not line up with the lines above",
     "缩进与上面的行没有对齐"),
    ("expected <block end>",
     "the indentation does not line up with the lines above",
     "缩进与上面的行没有对齐"),
    ("did not find expected '-' indicator",
     "a list item and a 'name: value' line are mixed at the same indentation",
     "同一缩进层级里混用了列表项（-）和“名称: 值”"),
    ("did not find expected ',' or ']'",
     "a '[' list is not closed with ']'",
     "以 '[' 开始的列表没有用 ']' 结束"),
    ("did not find expected ',' or '}'",
     "a '{' mapping is not closed with '}'",
     "以 '{' 开始的内容没有用 '}' 结束"),
    ("found unexpected end of stream",
     "a quote is not closed",
     "引号没有闭合"),
    ("expected the node content",
     "a value is missing (for example two commas in a row in a '[ ]' list)",
     "缺少一个值（例如 '[ ]' 列表里连着两个逗号）"),
    ("did not find expected node content",
     "a value is missing (for example two commas in a row in a '[ ]' list)",
     "缺少一个值（例如 '[ ]' 列表里连着两个逗号）"),
    ("entries are not allowed",
     "a '- ' list cannot start on the same line as its name; start it on the next line, indented",
     "以 '- ' 开头的列表不能和名称写在同一行；请换到下一行并缩进"),
    ("expected chomping or indentation indicators",
     "'|' or '>' must end its line; the text starts on the next line, indented",
     "'|' 或 '>' 必须在行尾；文字从下一行开始并缩进"),
    ("did not find expected comment or line break",
     "'|' or '>' must end its line; the text starts on the next line, indented",
     "'|' 或 '>' 必须在行尾；文字从下一行开始并缩进"),
    ("found unknown escape character",
     "a backslash '\\' inside double quotes (such as a Windows path); use single quotes "
     "or '/' instead",
     "双引号里出现了反斜杠 '\\'（例如 Windows 路径）；请改用单引号或 '/'"),
    ("found undefined alias",
     "'*' starts a reference; put text starting with '*' in quotes",
     "'*' 开头表示引用；以 '*' 开头的文字请用引号括起来"),
    ("aliases repeat too much",
     "'*' references (aliases) repeat far too much data; write the values out",
     "'*' 引用（别名）重复的内容太多；请直接写出内容"),
    ("exceeded maximum nesting depth",
     "lists and groups are nested inside each other too deeply",
     "列表或分组嵌套的层数太多"),
    ("could not determine a constructor",
     "tags starting with '!' (such as '!!python/object') are not allowed; "
     "put text starting with '!' in quotes",
     "不允许使用以 '!' 开头的标签（例如 '!!python/object'）；以 '!' 开头的文字请用引号括起来"),
    ("found character that cannot start any token",
     "a line starts with a character YAML does not allow here (such as '@' or '`'); use quotes",
     "这一行以 YAML 不允许的字符开头（例如 '@' 或 '`'）；请用引号括起来"),
)


# Errors found further down than their cause: report where the thing began.
_AT_CONTEXT = ("could not find expected ':'", "did not find expected ','",
               "found unexpected end of stream")


def find_tab_lines(text: str, line_base: int = 1) -> list[int]:
    """Lines whose indentation contains a tab (block-scalar contents excepted)."""
    out: list[int] = []
    if "\t" not in text:
        return out
    block_indent: int | None = None
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.lstrip(" \t")
        lead = raw[: len(raw) - len(stripped)]
        if block_indent is not None:
            if not stripped or len(lead.expandtabs(8)) > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in lead:
            out.append(i + line_base)
        if _BLOCK_SCALAR.search(stripped):
            block_indent = len(lead.replace("\t", " "))
    return out


# Full-width punctuation typed with a Chinese input method where YAML needs ASCII.
_FW_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*：")
_FW_INDENT = re.compile(r"^ *\u3000")
_FW_FLOW_COMMA = re.compile(r"[\[{][^\]}\n]*，")
_FW_QUOTE = re.compile(r"^[ \t]*(?:-[ \t]+)?[^:\n#]*:[ \t]+[“”‘’]")


def fullwidth_problems(text: str, path: str, line_base: int = 1,
                       severity: str = "error") -> list[Problem]:
    """Lines where full-width punctuation stands where YAML needs ASCII: a colon after a
    name, a space in the indentation, a comma in a [ ] list, curly quotes around a value."""
    out: list[Problem] = []
    if not any(c in text for c in "：\u3000，“”‘’"):
        return out
    for i, raw in enumerate(text.split("\n")):
        line = i + line_base
        if raw.lstrip().startswith("#"):
            continue
        if _FW_KEY.match(raw):
            out.append(problem(path, line, severity,
                               "full-width colon '：' after a name; YAML needs the ASCII colon "
                               "':' followed by a space (switch the input method to English)",
                               "名称后面用了全角冒号 '：'；YAML 要用英文冒号 ':' 再加一个空格"
                               "（请把输入法切换到英文）"))
        elif _FW_INDENT.match(raw):
            out.append(problem(path, line, severity,
                               "a full-width space is used for indentation; use ordinary spaces",
                               "这一行用全角空格缩进；请改用英文（半角）空格"))
        elif _FW_FLOW_COMMA.search(raw):
            out.append(problem(path, line, severity,
                               "full-width comma '，' in a [ ] list; items are separated by the "
                               "ASCII comma ','",
                               "[ ] 列表里用了全角逗号 '，'；各项要用英文逗号 ',' 分隔"))
        elif _FW_QUOTE.match(raw):
            out.append(problem(path, line, severity,
                               "curly quotes “ ” or ‘ ’ do not quote a value in YAML; use "
                               "straight quotes \" \" (or none)",
                               "YAML 里不能用中文引号 “ ” 把值括起来；请用英文引号 \" \"（或不用引号）"))
    return out


@dataclass
class YamlResult:
    data: object = None
    problems: list[Problem] = field(default_factory=list)
    ok: bool = False


def load_yaml(text: str, path: str, line_base: int = 1) -> YamlResult:
    """Parse YAML text; ``line_base`` is the file line of the text's first line."""
    result = YamlResult()
    tabs = find_tab_lines(text, line_base)
    if tabs:
        for line in tabs:
            result.problems.append(problem(
                path, line, "error",
                "a tab is used for indentation; use spaces",
                "这一行用了 Tab 键缩进；请改用空格"))
        return result
    loader = _LineLoader(text)
    duplicates: list[tuple[object, int]] = []
    try:
        node = loader.get_single_node()
        result.data = None if node is None else _to_python(
            loader, node, line_base, set(), duplicates)
    except yaml.MarkedYAMLError as exc:
        syntax = _syntax_problem(exc, path, line_base)
        hints = fullwidth_problems(text, path, line_base)
        result.problems.extend(hints)
        # the parser stops at the first line it cannot read: the full-width mark above
        # it (or on it) is the cause, not what the parser saw next
        if not any(h.line is not None and syntax.line is not None and h.line <= syntax.line
                   for h in hints):
            result.problems.append(syntax)
        result.problems.sort(key=lambda p: p.line or 0)
        return result
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        result.problems.append(problem(path, None, "error", f"YAML error: {exc}",
                                       f"YAML 格式错误：{exc}"))
        return result
    finally:
        loader.dispose()
    result.ok = True
    if _FW_FLOW_COMMA.search(text) or "：" in text:  # read, but perhaps not as meant
        result.problems.extend(p for p in fullwidth_problems(text, path, line_base, "warning")
                               if "，" in p.message or "：" in p.message)
    for key, line in duplicates:
        result.problems.append(problem(
            path, line, "warning",
            f"'{key}' is given twice; the last one is used",
            f"'{key}' 写了两次；以最后一次为准", key=str(key)))
    return result


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, line_base: int) -> Problem:
    text = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and any(n in text for n in _AT_CONTEXT):
        mark = exc.context_mark  # where the key, quote or bracket started
    line = mark.line + line_base if mark is not None else None
    for needle, en, zh in _SYNTAX_HINTS:
        if needle in text:
            return problem(path, line, "error", f"YAML syntax error: {en}",
                           f"YAML 格式错误：{zh}")
    return problem(path, line, "error", f"YAML syntax error: {text or exc}",
                   f"YAML 格式错误：{text or exc}")


# --------------------------------------------------------------------------- front matter


@dataclass
class FrontMatter:
    yaml_text: str | None  # None: the file has no front matter
    yaml_line: int  # file line of the first YAML line
    body: str
    body_line: int  # file line where the body starts
    unclosed: bool = False


def split_front_matter(text: str) -> FrontMatter:
    """Split ``---`` front matter from a Markdown file's body."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(None, 1, text, 1)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return FrontMatter("\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2)
    return FrontMatter("\n".join(lines[1:]), 2, "", len(lines) + 1, unclosed=True)


@dataclass
class ParsedFile:
    """What reading one content file gave: its YAML data, Markdown body and problems."""

    path: str
    data: object = None  # the YAML mapping (whole file, or the front matter)
    body: str = ""
    body_line: int = 1
    front_matter: bool = False  # a Markdown file that starts with a --- block
    problems: list[Problem] = field(default_factory=list)
    readable: bool = False  # decoded and parsed without errors


def parse_file(abspath: str, path: str, markdown: bool) -> ParsedFile:
    """Read one ``.yaml`` file or ``.md`` file (front matter + body)."""
    out = ParsedFile(path)
    text, out.problems = read_text(abspath, path)
    if text is None:
        return out
    if markdown:
        fm = split_front_matter(text)
        out.body, out.body_line = fm.body, fm.body_line
        if fm.yaml_text is None:
            out.readable = True
            return out
        out.front_matter = True
        if fm.unclosed:
            out.problems.append(problem(
                path, 1, "error",
                "the front matter starting at line 1 is not closed with a '---' line",
                "第 1 行开始的开头信息没有用 '---' 行结束"))
            return out
        parsed = load_yaml(fm.yaml_text, path, fm.yaml_line)
        if parsed.ok and parsed.data is not None and not isinstance(parsed.data, LineDict):
            parsed.ok = False
            parsed.problems.extend(filter(None, [_not_mapping(path, fm.yaml_line,
                                                              parsed.problems)]))
    else:
        parsed = load_yaml(text, path, 1)
        if parsed.ok and parsed.data is not None and not isinstance(parsed.data, LineDict):
            parsed.ok = False
            parsed.problems.extend(filter(None, [_not_mapping(
                path, getattr(parsed.data, "line", 1), parsed.problems)]))
    out.problems.extend(parsed.problems)
    out.data = parsed.data if parsed.ok else None
    out.readable = parsed.ok
    return out


def _not_mapping(path: str, line: int | None, found: list[Problem]) -> Problem | None:
    """The error for YAML that is not 'name: value' lines; None when full-width colons
    (already in ``found``, made errors here) are the cause: 'title：…' reads as text."""
    colons = [i for i, p in enumerate(found) if "：" in p.message and p.severity == "warning"]
    for i in colons:
        found[i] = replace(found[i], severity="error")
    if colons:
        return None
    return problem(path, line, "error",
                   "this should be a set of 'name: value' lines (such as 'title: ...')",
                   "这里应为“名称: 值”形式的多行内容（例如 'title: ...'）")
