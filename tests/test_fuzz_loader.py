"""Property-based tests of the content loader and its incremental reload.

Hypothesis writes, rewrites and deletes files of a small content tree (good
files, broken ones, empty ones, GBK ones, pictures, temporaries), loading
after some of the steps with one long-lived :class:`ContentLoader`, the way
hot reload does. Invariants:

1. the incremental result equals a from-scratch load of the final tree;
2. every file in the tree is either loaded (a site, section, exhibit or tour
   built from it, or a picture in use) or reported (a problem names it or its
   folder), except what is ignored on purpose (hidden files, temporaries) and
   pictures nobody names (they wait in the folder without a word).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content import ContentLoader
from kiosk.content.paths import is_ignored, media_kind

# Examples per test: small for `make test`; KIOSK_FUZZ_EXAMPLES=2000 for a deeper run.
EXAMPLES = int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "40"))

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a"
       b"\xa0\x1f\x00\x00\x00\x00IEND\xaeB`\x82")

SITE = ["title: 展厅\n", "title: {zh: 展厅, en: Hall}\nlanguages: [zh, en]\nhome: [b, a]\n",
        "titel: x\n", "title: [\n", "home: [nope]\ntitle: T\n"]
SECTION = ["title: 甲\nlayout: grid\n", "title: 乙\nlayout: timeline\n",
           "title: 丙\nlayout: gallery\n", "title: X\nlayout: grd\n", "layout: grid\n",
           "title: 'open\n"]
PAGE = ["---\ntitle: 展项\n---\n正文\n", "---\ntitle: 图\ncover: p.png\nimages: [p.png, q.png]\n---\n",
        "---\ntitle: 日期\ndate: 2016-13-45\n---\n", "---\ntitle: 早\ndate: 2015\norder: 2\n---\n",
        "no front matter\n", "---\ntitle: [\n---\n", "---\ntitle: 未完\n",
        "---\ntitle: !!python/object/apply:os.system ['true']\n---\n",
        "---\ntitle: 别名\nimages: &a [*a]\n---\n"]
TRANSLATION = ["---\ntitle: Exhibit\n---\nBody\n", "---\ntitle: E\ndate: 2016\n---\n", "---\n"]
STRUCTURED = ["type: stats\ntitle: 数\nitems:\n  - value: 3\n    label: 个\n",
              "type: honors\ntitle: 奖\nitems:\n  - title: 奖一\n    year: 2016\n",
              "type: stats\ntitle: 数\nitems: {}\n", "type: nope\n", ""]
TOUR = ["title: 路线\nsteps:\n  - a\n", "title: 路线\nsteps:\n  - a/x\n  - b/p\n",
        "title: 路线\nsteps: []\n", "title: 路线\nsteps:\n  - section: zz\n"]

# path -> what may be written there
FILES: dict[str, list] = {
    "site.yaml": SITE,
    "01-a/_section.yaml": SECTION,
    "01-a/x.md": PAGE,
    "01-a/x.en.md": TRANSLATION,
    "01-a/y.md": PAGE,
    "01-a/s.yaml": STRUCTURED,
    "01-a/p.png": [PNG, b"", b"not a picture"],
    "01-a/notes.txt": ["notes\n"],
    "01-a/.x.md.swp": ["junk"],
    "01-a/draft.tmp": ["junk"],
    "02-b/_section.yaml": SECTION,
    "02-b/p.md": PAGE,
    "02-b/p.png": [PNG],
    "03-c/z.md": PAGE,  # a folder without _section.yaml
    "_shared/q.png": [PNG],
    "tours/t.yaml": TOUR,
    "tours/readme.txt": ["x"],
}


def encodings(text):
    if isinstance(text, bytes):
        return st.just(text)
    return st.sampled_from([text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"),
                            text.replace("\n", "\r\n").encode("utf-8"),
                            text.encode("gb18030")])


write_op = st.sampled_from(sorted(FILES)).flatmap(
    lambda rel: st.sampled_from(FILES[rel]).flatmap(encodings).map(lambda data: ("write", rel, data)))
delete_op = st.sampled_from(sorted(FILES)).map(lambda rel: ("delete", rel, b""))
load_op = st.just(("load", "", b""))
operations = st.lists(st.one_of(write_op, write_op, delete_op, load_op), min_size=1, max_size=25)


def apply(root: Path, op) -> None:
    kind, rel, data = op
    path = root / rel
    if kind == "write":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    elif kind == "delete" and path.exists():
        path.unlink()


def loaded_files(content) -> set[str]:
    used = {content.site.source} if content.site.source else set()
    for section in content.sections:
        used.add(section.source)
        for exhibit in section.exhibits:
            used.update(exhibit.sources or (exhibit.source,))
            for media in (exhibit.cover, exhibit.video, *exhibit.images):
                if media is not None:
                    used.add(media.src)
    for tour in content.tours:
        used.add(tour.source)
    return used


def tree_files(root: Path) -> list[str]:
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not is_ignored(d)]
        for name in files:
            if not is_ignored(name):
                out.append(Path(folder, name).relative_to(root).as_posix())
    return sorted(out)


def accounted_for(rel: str, used: set[str], reported: set[str]) -> bool:
    if rel in used or rel in reported:
        return True
    parts = rel.split("/")
    folders = ["/".join(parts[:i]) for i in range(1, len(parts))]
    if any(f in reported or f"{f}/_section.yaml" in reported for f in folders):
        return True  # its folder is reported (no or a broken _section.yaml, unreadable)
    if parts[0].startswith("_") or media_kind(rel):
        return True  # shared files and pictures wait quietly until something names them
    return False


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_incremental_loads_equal_a_fresh_load_and_every_file_is_accounted_for(ops):
    with tempfile.TemporaryDirectory(prefix="kiosk-fuzz-") as tmp:
        root = Path(tmp)
        loader = ContentLoader(root)
        loader.load()
        for op in ops:
            if op[0] == "load":
                loader.load()
            else:
                apply(root, op)
        incremental = loader.load()
        fresh = ContentLoader(root).load()
        assert incremental == fresh
        used = loaded_files(fresh)
        reported = {p.path for p in fresh.problems}
        missing = [rel for rel in tree_files(root) if not accounted_for(rel, used, reported)]
        assert missing == [], [p.format() for p in fresh.problems]


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(st.binary(max_size=400), st.sampled_from(["01-a/x.md", "01-a/s.yaml", "site.yaml",
                                                 "01-a/_section.yaml", "tours/t.yaml"]))
def test_any_bytes_in_any_file_load_or_are_reported(data, rel):
    with tempfile.TemporaryDirectory(prefix="kiosk-fuzz-") as tmp:
        root = Path(tmp)
        for path, text in {"site.yaml": "title: T\n", "01-a/_section.yaml": "title: A\nlayout: grid\n",
                           "01-a/good.md": "---\ntitle: G\n---\n"}.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        content = ContentLoader(root).load()
        used = loaded_files(content)
        reported = {p.path for p in content.problems}
        assert accounted_for(rel, used, reported)
        if rel not in ("site.yaml", "01-a/_section.yaml"):
            assert content.exhibit("a", "good") is not None  # one bad file never stops the rest
