"""Build the bundled Simplified Chinese fonts of the party-red theme.

Takes the Simplified Chinese face of Noto Sans CJK (Debian package
``fonts-noto-cjk``) and keeps only the characters the exhibition needs:

* every GB2312 character (6,763 hanzi plus symbols),
* ASCII, Latin-1, general punctuation, CJK symbols and punctuation,
  full-width forms, common arrows and bullets,
* a short list of characters often found in personal names but missing from
  GB2312 (喆 堃 镕 ...),
* every character used anywhere under ``content/`` (Markdown and YAML).

Layout features (GSUB/GPOS), hinting and vertical metrics are dropped: Kivy's
SDL2 text provider does not use them, and without them each face is about
2 MB instead of 16 MB. Re-run this script after adding content that uses
rare characters; ``kiosk check`` style tools can compare text with
``Theme.font_chars()``.

Usage::

    python tools/build_font.py [--content content] [--out themes/party-red/fonts]
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
SC_FACE_INDEX = 2  # order in NotoSansCJK-*.ttc: JP, KR, SC, TC, HK, then Mono
FACES = {
    "Regular": ("NotoSansCJK-Regular.ttc", "NotoSansSC-Regular.otf"),
    "Bold": ("NotoSansCJK-Bold.ttc", "NotoSansSC-Bold.otf"),
}
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")

# Symbols used on signs and in lists that sit outside the ranges below.
EXTRA_SYMBOLS = "•·—–…※★☆●○■□▲△▼▽◆◇→←↑↓↗↘⇒℃№°±×÷‰√∞≤≥≠≈①②③④⑤⑥⑦⑧⑨⑩ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"

# Characters common in Chinese personal and place names that GB2312 lacks.
NAME_EXTRAS = (
    "喆堃镕昇玥珺瑄璟燚犇垚禛祎彧赟頔昱晞婧妍琰瑾珩玮琦璐瑶"
    "翀昊旻旸晗暄煜炜烨焜熠钊铎锴镛铖骞骐骢鹍鹏瀚淏泓沅湉溥"
    "滢潇澍浛浠涴芃苒荟蔚薇蕙萱菡茜莘堉垲墉埼峣嵘崧崑岚昕"
)


def gb2312_chars() -> set[str]:
    """Every character GB2312 defines, found by decoding all valid 2-byte codes."""
    out: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def range_chars(first: int, last: int) -> set[str]:
    return {chr(c) for c in range(first, last + 1)}


def base_chars() -> set[str]:
    chars = gb2312_chars()
    chars |= range_chars(0x20, 0x7E)  # ASCII
    chars |= range_chars(0xA0, 0xFF)  # Latin-1
    chars |= range_chars(0x2000, 0x206F)  # general punctuation
    chars |= range_chars(0x3000, 0x303F)  # CJK symbols and punctuation
    chars |= range_chars(0xFF00, 0xFFEF)  # half-width and full-width forms
    chars |= set(EXTRA_SYMBOLS) | set(NAME_EXTRAS)
    return chars


def content_chars(content_root: Path) -> set[str]:
    """Every character in the Markdown and YAML files under ``content_root``."""
    chars: set[str] = set()
    if not content_root.is_dir():
        return chars
    for path in sorted(content_root.rglob("*")):
        if path.suffix.lower() not in (".md", ".yaml", ".yml") or not path.is_file():
            continue
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                chars |= set(data.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
    return {c for c in chars if c.isprintable() or c == "\u3000"}


def subset_face(source: Path, target: Path, chars: set[str]) -> tuple[int, set[str]]:
    """Write the SC face of ``source`` reduced to ``chars``; return (size, missing chars)."""
    font = TTFont(str(source), fontNumber=SC_FACE_INDEX)
    cmap = font.getBestCmap()
    available = {c for c in chars if ord(c) in cmap}
    missing = set(chars) - available
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 11, 13, 14]
    options.name_languages = [0x409]
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx", "GDEF", "GSUB", "GPOS", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in available])
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # same input, same bytes: rebuilding does not churn git
    font.save(str(target))
    return target.stat().st_size, missing


def licence_text(font_path: Path) -> str:
    """The OFL 1.1 text with the font's own copyright line in front."""
    font = TTFont(str(font_path))
    copyright_line = font["name"].getDebugName(0) or "Copyright 2014-2021 Adobe"
    trademark = font["name"].getDebugName(7) or ""
    body: list[str] = []
    in_licence = False
    for line in DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines():
        if line.strip() == "License: SIL-1.1":
            in_licence, body = True, []
            continue
        if in_licence:
            if not line.startswith(" "):
                if body:
                    break
                in_licence = False
                continue
            text = line[1:]
            body.append("" if text == "." else text)
    if not body:
        raise SystemExit(f"SIL OFL text not found in {DEBIAN_COPYRIGHT}")
    header = textwrap.dedent(
        f"""\
        Noto Sans CJK SC (subset: NotoSansSC-Regular.otf, NotoSansSC-Bold.otf)
        {copyright_line}
        {trademark}
        Source: https://github.com/googlefonts/noto-cjk (Debian package fonts-noto-cjk)
        These files are Modified Versions (character subsets) of the Font Software,
        made by tools/build_font.py. They are licensed under the SIL Open Font
        License, Version 1.1, reproduced below.

        """
    )
    return header + "\n".join(body).rstrip() + "\n"


def check(content_root: Path, font_path: Path) -> int:
    """Report characters used in the content that the bundled font cannot draw."""
    cmap = TTFont(str(font_path), lazy=True).getBestCmap()
    missing = sorted(c for c in content_chars(content_root)
                     if ord(c) not in cmap and not c.isspace())
    if missing:
        print(f"{len(missing)} characters in {content_root} are not in {font_path.name}: "
              f"{''.join(missing)}\nrun tools/build_font.py to rebuild the fonts")
        return 1
    print(f"every character in {content_root} is in {font_path.name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--out", type=Path, default=ROOT / "themes" / "party-red" / "fonts")
    parser.add_argument("--source-dir", type=Path, default=NOTO_DIR)
    parser.add_argument("--check", action="store_true",
                        help="only list content characters the built font lacks (exit 1 if any)")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.content, args.out / FACES["Regular"][1])

    chars = base_chars()
    from_content = content_chars(args.content)
    extra = from_content - chars
    chars |= from_content
    print(f"{len(chars)} characters ({len(extra)} only from content/)")
    for face, (ttc, out_name) in FACES.items():
        source = args.source_dir / ttc
        if not source.exists():
            print(f"missing {source}: install the Debian package fonts-noto-cjk", file=sys.stderr)
            return 1
        size, missing = subset_face(source, args.out / out_name, chars)
        print(f"{face}: {args.out / out_name} {size / 1e6:.2f} MB")
        rare = sorted(c for c in missing if ord(c) > 0x2E80 and unicodedata.category(c) != "Cn")
        if rare:
            print(f"  not in the source font: {''.join(rare)}")
    licence = args.out / "OFL.txt"
    licence.write_text(licence_text(args.out / FACES["Regular"][1]), encoding="utf-8")
    print(f"licence: {licence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
