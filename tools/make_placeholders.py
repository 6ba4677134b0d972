"""Generate the clearly labelled placeholder pictures of the demo exhibition.

No real photographs of the centre are bundled, so every picture in content/ is a
drawn stand-in that says so in large letters ("示意图 · PLACEHOLDER") and names
what it stands for. Each picture also gets an English variant beside it
(``cover.en.jpg`` for ``cover.jpg``), with the English words first, which the
kiosk shows to visitors reading English. Replace a file with a real photo of the
same name and the exhibition picks it up (delete its ``.en`` variant if the
photo carries no words); run this script again to restore the placeholders.

    .venv/bin/python tools/make_placeholders.py            # writes into content/
    .venv/bin/python tools/make_placeholders.py --only 05-gallery
    .venv/bin/python tools/make_placeholders.py --no-video

The short intro clip (01-history/media/intro.mp4) needs the ``ffmpeg`` program;
without it the clip is skipped and the existing file is kept. With the clip come its
captions beside it (intro.zh.vtt, intro.en.vtt), which say what the clip shows.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
SC_FACE = 2  # face order in the .ttc: JP, KR, SC, TC, HK

RED_DARK = (110, 14, 18)
RED = (164, 22, 26)
GOLD = (201, 162, 39)
GOLD_LIGHT = (232, 200, 110)
CREAM = (247, 238, 218)
INK = (70, 20, 20)
GREY = (120, 96, 80)

SIZE = (1600, 1000)
LABEL = "示意图 · PLACEHOLDER"

CLIP_SECONDS = 4  # the intro clip's length
# The intro clip's captions per language: (start, end, text), seconds within the clip.
CLIP_CAPTIONS: dict[str, tuple[tuple[float, float, str], ...]] = {
    "zh": ((0.0, 2.0, "示意视频，非实拍画面：卡片上写着“示意图”。"),
           (2.0, CLIP_SECONDS, "一条金色横条从左向右移动。（无声）")),
    "en": ((0.0, 2.0, 'Placeholder clip, not real footage: a card marked "PLACEHOLDER".'),
           (2.0, CLIP_SECONDS, "A gold bar moves from left to right. [No sound]")),
}
NOT_A_PHOTO = "非实拍照片，仅作版式示意 · Not a photograph"


@dataclass(frozen=True)
class Picture:
    path: str  # relative to the content root
    kind: str  # photo | cover | cert | panel | press
    zh: str
    en: str
    extra: str = ""  # cover: section number; cert/press: issuer or year line
    extra_en: str = ""  # the same line for the English variant (cert/press/panel)

    def words(self, lang: str) -> tuple[str, str, str]:
        """(main line, second line, extra line) in the order a reader of ``lang`` wants."""
        if lang == "en":
            return self.en, self.zh, self.extra_en or self.extra
        return self.zh, self.en, self.extra


PICTURES: tuple[Picture, ...] = (
    # section covers
    Picture("01-history/images/cover.jpg", "cover", "发展历程", "History 2015-2017", "01"),
    Picture("02-centers/images/cover.jpg", "cover", "一个平台 · 五大中心 · N项服务",
            "One platform, five centers, N services", "02"),
    Picture("03-achievements/images/cover.jpg", "cover", "工作成效", "Results in figures", "03"),
    Picture("04-honors/images/cover.jpg", "cover", "荣誉与报道", "Honors and press", "04"),
    Picture("05-gallery/images/cover.jpg", "cover", "中心掠影", "Around the center", "05"),
    Picture("06-lessons/images/cover.jpg", "cover", "四条启示", "Four lessons", "06"),
    Picture("07-party-history/images/cover.jpg", "cover", "岐山党史", "Qishan party history",
            "07"),
    Picture("07-party-history/images/sample.jpg", "photo", "示例条目 · 史料图片待补充",
            "Sample entry: archive picture to come"),
    # history
    Picture("01-history/images/approach.jpg", "photo", "融入发展抓党建", "Party building within development"),
    Picture("01-history/images/center-opening.jpg", "photo", "凤鸣镇企业党群服务中心",
            "The service center in Fengming"),
    Picture("01-history/images/upgrade.jpg", "photo", "中心改造提升", "Upgrading the center"),
    Picture("01-history/images/onsite-meeting.jpg", "photo", "现场推进会与观摩", "On-site meetings"),
    Picture("01-history/images/visits.jpg", "photo", "参观学习", "Visiting delegations"),
    Picture("01-history/images/improvement-year.jpg", "photo", "基层党组织建设提升年",
            "Year of stronger grassroots organisations"),
    Picture("01-history/images/innovation-award.jpg", "photo", "全省非公党建创新成果三等奖",
            "Provincial innovation award"),
    Picture("01-history/images/caijiapo.jpg", "photo", "蔡家坡党群服务大厅", "Caijiapo service hall"),
    Picture("01-history/images/reform-award.jpg", "photo", "陕西组织工作改革创新奖",
            "Shaanxi organisational reform award"),
    Picture("01-history/media/intro-poster.jpg", "photo", "中心简介（示意视频）",
            "About the center (placeholder video)"),
    # the centers
    Picture("02-centers/images/platform.jpg", "photo", "一个平台：企业党群服务中心",
            "One platform: the service center"),
    Picture("02-centers/images/enterprise-service.jpg", "photo", "企业服务中心 · 一厅式办公",
            "Enterprise service center"),
    Picture("02-centers/images/training.jpg", "photo", "教育培训中心", "Education and training center"),
    Picture("02-centers/images/activity.jpg", "photo", "党员活动中心", "Party members' activity center"),
    Picture("02-centers/images/exhibition.jpg", "photo", "党建展示中心", "Party-building exhibition center"),
    Picture("02-centers/images/mobile-members.jpg", "photo", "流动党员服务中心",
            "Service center for mobile party members"),
    Picture("02-centers/images/n-services.jpg", "photo", "N项服务：企业需要什么就加什么",
            "N services, added as firms need them"),
    # achievements
    Picture("03-achievements/images/services.jpg", "photo", "服务企业成效", "Serving enterprises"),
    Picture("03-achievements/images/visits.jpg", "photo", "参观学习", "Study visits"),
    Picture("03-achievements/images/facilities.jpg", "photo", "阵地建设", "The center itself"),
    # honors: certificates and press
    Picture("04-honors/images/cert-innovation.jpg", "cert", "全省非公党建创新成果三等奖",
            "Provincial non-public sector party-building innovation, third prize",
            "省非公党建工委 · 2016", "Shaanxi working committee · 2016"),
    Picture("04-honors/images/cert-reform.jpg", "cert", "陕西组织工作改革创新奖三等奖",
            "Shaanxi Organisational Work Reform and Innovation Award, third prize",
            "中共陕西省委组织部 · 2016年度", "Organisation Department of Shaanxi · 2016"),
    Picture("04-honors/images/cert-first.jpg", "panel", "全省首家县级企业党群服务中心",
            "First county-level enterprise service center in the province", "区域性 · 开放性 · 综合性",
            "Regional · open · all-round"),
    Picture("04-honors/images/cert-onsite.jpg", "panel", "现场会观摩点",
            "Site visited by provincial meetings", "全省现场会 · 宝鸡市现场推进会",
            "Provincial and Baoji city on-site meetings"),
    Picture("04-honors/images/press-xinhua.jpg", "press", "新华网", "Xinhuanet", "网络报道",
            "Online report"),
    Picture("04-honors/images/press-qiyedangjian.jpg", "press", "《企业党建》", "Qiye Dangjian (journal)",
            "期刊报道", "Journal article"),
    Picture("04-honors/images/press-shaanxi-daily.jpg", "press", "《陕西日报》", "Shaanxi Daily", "报纸报道",
            "Newspaper report"),
    Picture("04-honors/images/press-contemporary.jpg", "press", "《当代陕西》", "Contemporary Shaanxi",
            "期刊报道", "Journal article"),
    # gallery
    Picture("05-gallery/images/hall-overview.jpg", "photo", "党群服务大厅", "Service hall"),
    Picture("05-gallery/images/hall-windows.jpg", "photo", "一厅式办公窗口", "One-hall service windows"),
    Picture("05-gallery/images/hall-mobile-window.jpg", "photo", "流动党员和人才服务窗口",
            "Window for mobile members and talent"),
    Picture("05-gallery/images/training-room.jpg", "photo", "二楼教育培训区", "Training room, second floor"),
    Picture("05-gallery/images/training-lecture.jpg", "photo", "党校讲师授课", "A party-school lecture"),
    Picture("05-gallery/images/activity-theme.jpg", "photo", "小微企业党建主题活动",
            "Themed activity of small firms"),
    Picture("05-gallery/images/activity-reading.jpg", "photo", "流动党员之家阅览区",
            "Reading corner, Home for mobile members"),
    Picture("05-gallery/images/exhibition-touch.jpg", "photo", "触摸屏与宣传展板",
            "Touch screens and display boards"),
    Picture("05-gallery/images/exhibition-history.jpg", "photo", "岐山党史展示板块",
            "Qishan party history panels"),
    Picture("05-gallery/images/caijiapo-hall.jpg", "photo", "蔡家坡党群服务大厅", "Caijiapo service hall"),
    # lessons
    Picture("06-lessons/images/red-engine.jpg", "photo", "红色引擎", "Red engine"),
    Picture("06-lessons/images/red-base.jpg", "photo", "红色阵地", "Red base"),
    Picture("06-lessons/images/red-drive.jpg", "photo", "红色动力", "Red drive"),
    Picture("06-lessons/images/red-strength.jpg", "photo", "红色力量", "Red strength"),
    Picture("06-lessons/images/heart-bridge.jpg", "photo", "连心桥：企业与党员职工",
            "A bridge between firms and members"),
    Picture("06-lessons/images/july-first.jpg", "photo", "七一专题展板", "July 1st panel"),
)


THEME_FONTS = ROOT / "themes" / "party-red" / "fonts"  # the same design, Chinese face only


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = BOLD if bold and BOLD.exists() else REGULAR
    if not path.exists():
        fallback = THEME_FONTS / ("NotoSansSC-Bold.otf" if bold else "NotoSansSC-Regular.otf")
        if fallback.exists():
            return ImageFont.truetype(str(fallback), size)
        sys.exit(f"font not found: {path} (install the Debian package fonts-noto-cjk)")
    return ImageFont.truetype(str(path), size, index=SC_FACE)


def fitted(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, bold: bool = False):
    """The largest font not above ``size`` in which ``text`` fits ``width`` pixels."""
    while size > 12:
        f = font(size, bold)
        if draw.textlength(text, font=f) <= width:
            return f
        size -= 2
    return font(12, bold)


def centred(draw, y: int, text: str, f, fill, width: int, x0: int = 0) -> None:
    w = draw.textlength(text, font=f)
    draw.text((x0 + (width - w) / 2, y), text, font=f, fill=fill)


def gradient(size: tuple[int, int], top: tuple, bottom: tuple) -> Image.Image:
    w, h = size
    column = Image.new("RGB", (1, h))
    for y in range(h):
        t = y / max(1, h - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize(size)


def lattice(img: Image.Image, colour: tuple, alpha: int, step: int = 100) -> None:
    """A quiet pattern of nested diamonds laid over the whole picture."""
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    rgba = (*colour, alpha)
    w, h = img.size
    for cy in range(0, h + step, step):
        for cx in range(0, w + step, step):
            ox = cx + (step // 2 if (cy // step) % 2 else 0)
            for r in (step // 2, step // 4):
                d.polygon([(ox, cy - r), (ox + r, cy), (ox, cy + r), (ox - r, cy)], outline=rgba)
    img.paste(overlay, (0, 0), overlay)


def frame(draw, box, colour, width: int = 4, gap: int = 10) -> None:
    x0, y0, x1, y1 = box
    draw.rectangle(box, outline=colour, width=width)
    draw.rectangle((x0 + gap, y0 + gap, x1 - gap, y1 - gap), outline=colour, width=max(1, width // 2))


def photo(pic: Picture, size=SIZE, lang: str = "zh") -> Image.Image:
    """A cream card on red. The words stay within the middle third of the width,
    so they survive when a portrait screen crops the picture to its centre."""
    main, second, _extra = pic.words(lang)
    head, sub = ("PLACEHOLDER", "示意图") if lang == "en" else ("示意图", "PLACEHOLDER")
    w, h = size
    s = h / 1000
    img = gradient(size, RED, RED_DARK)
    lattice(img, GOLD, 34)
    d = ImageDraw.Draw(img)
    card = (int(w * 0.12), int(h * 0.1), int(w * 0.88), int(h * 0.9))
    d.rectangle(card, fill=CREAM)
    frame(d, (card[0] + 14, card[1] + 14, card[2] - 14, card[3] - 14), GOLD, 3, 8)
    column = int(w * 0.34)
    centred(d, int(150 * s), head, fitted(d, head, int(110 * s), column, True), RED, w)
    centred(d, int(290 * s), sub, fitted(d, sub, int(64 * s), column, True), RED, w)
    d.line((w * 0.4, 395 * s, w * 0.6, 395 * s), fill=GOLD, width=3)
    centred(d, int(430 * s), main, fitted(d, main, int(64 * s), column, True), INK, w)
    centred(d, int(530 * s), second, fitted(d, second, int(38 * s), column), GREY, w)
    for i, line in enumerate(("非实拍照片，仅作版式示意", "Not a photograph")):
        centred(d, int((690 + i * 42) * s), line, font(int(28 * s)), GREY, w)
    return img


def cover(pic: Picture, lang: str = "zh") -> Image.Image:
    main, second, _extra = pic.words(lang)
    w, h = SIZE
    img = gradient(SIZE, RED_DARK, RED)
    lattice(img, GOLD, 28, 120)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 640, w, 660), fill=GOLD)
    d.text((120, 110), pic.extra, font=font(220, True), fill=GOLD_LIGHT)
    d.text((120, 380), main, font=fitted(d, main, 96, w - 240, True), fill=CREAM)
    d.text((124, 520), second, font=fitted(d, second, 46, w - 240), fill=GOLD_LIGHT)
    label = "PLACEHOLDER · 示意图" if lang == "en" else LABEL
    d.text((120, 720), label, font=font(56, True), fill=CREAM)
    owner = ("Qishan Enterprise Service Center · Party-Building Exhibition" if lang == "en"
             else "岐山县企业党群服务中心 · 党建展示中心")
    d.text((120, 810), owner, font=font(34), fill=GOLD_LIGHT)
    d.text((120, 870), NOT_A_PHOTO, font=font(26), fill=(220, 190, 170))
    return img


def cert(pic: Picture, lang: str = "zh", heading: str = "荣 誉 证 书",
         note: str = "证书样式示意，非原件翻拍 · Not a copy of the real certificate") -> Image.Image:
    main, second, extra = pic.words(lang)
    if lang == "en":
        heading = {"荣 誉 证 书": "CERTIFICATE OF HONOR"}.get(heading, "HONOR PANEL")
    w, h = SIZE
    img = Image.new("RGB", SIZE, CREAM)
    lattice(img, GOLD, 40, 80)
    d = ImageDraw.Draw(img)
    d.rectangle((90, 70, w - 90, h - 70), fill=(252, 246, 232))
    frame(d, (90, 70, w - 90, h - 70), GOLD, 10, 22)
    frame(d, (140, 120, w - 140, h - 120), RED, 2, 6)
    centred(d, 170, heading, fitted(d, heading, 96, w - 360, True), RED, w)
    centred(d, 300, LABEL, font(44, True), GOLD, w)
    centred(d, 400, main, fitted(d, main, 72, w - 360, True), INK, w)
    centred(d, 500, second, fitted(d, second, 36, w - 360), GREY, w)
    centred(d, 610, extra, fitted(d, extra, 40, w - 360), INK, w)
    centred(d, 760, note, font(28), GREY, w)
    return img


def press(pic: Picture, lang: str = "zh") -> Image.Image:
    main, second, extra = pic.words(lang)
    w, h = SIZE
    img = Image.new("RGB", SIZE, (244, 240, 230))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 190), fill=RED)
    d.text((80, 40), main, font=fitted(d, main, 92, w - 700, True), fill=CREAM)
    d.text((w - 80 - d.textlength(second, font=font(40)), 90), second, font=font(40),
           fill=GOLD_LIGHT)
    d.rectangle((0, 190, w, 200), fill=GOLD)
    # rows of grey bars standing in for columns of text
    for col in range(3):
        x0 = 80 + col * 490
        for row in range(14):
            y = 470 + row * 34
            length = 420 if (row + col) % 5 else 260
            d.rectangle((x0, y, x0 + length, y + 12), fill=(214, 206, 190))
    d.rectangle((80, 250, w - 80, 430), fill=CREAM, outline=GOLD, width=3)
    centred(d, 270, LABEL, font(58, True), RED, w)
    text = (f"{extra}: Qishan Enterprise Service Center · 报道示意" if lang == "en"
            else f"{extra}：岐山县企业党群服务中心 · Press coverage (illustration)")
    centred(d, 360, text, fitted(d, text, 34, w - 220), INK, w)
    return img


def logo(path: Path) -> None:
    """A plain mark for the exhibition: '1+5+N' in a ring. Not an emblem of any body."""
    n = 512
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8, 8, n - 8, n - 8), radius=96, fill=(*RED, 255))
    d.ellipse((56, 56, n - 56, n - 56), outline=(*GOLD, 255), width=10)
    d.ellipse((84, 84, n - 84, n - 84), outline=(*GOLD_LIGHT, 160), width=3)
    f = font(96, True)
    centred(d, 170, "1+5+N", f, (*CREAM, 255), n)
    centred(d, 320, "岐山", font(56, True), (*GOLD_LIGHT, 255), n)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)


def video(path: Path, poster: Picture) -> bool:
    """A 4-second 854x480 H.264 clip: the placeholder card with a moving gold bar."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        print("ffmpeg not found: keeping", path)
        return False
    size, fps, seconds = (854, 480), 24, CLIP_SECONDS
    base = photo(Picture("", "photo", "示意视频 · placeholder video", poster.en), size)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(fps * seconds):
            img = base.copy()
            d = ImageDraw.Draw(img)
            t = i / (fps * seconds - 1)
            x = 100 + (size[0] - 200) * t
            d.rectangle((100, 410, size[0] - 100, 418), fill=RED_DARK)
            d.rectangle((100, 410, x, 418), fill=GOLD)
            pulse = 6 + 3 * math.sin(t * math.pi * 4)
            d.ellipse((x - pulse, 414 - pulse, x + pulse, 414 + pulse), fill=GOLD_LIGHT)
            img.save(Path(tmp) / f"f{i:04d}.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [ffmpeg, "-y", "-loglevel", "error", "-framerate", str(fps), "-i", f"{tmp}/f%04d.png",
               "-c:v", "libx264", "-profile:v", "main", "-pix_fmt", "yuv420p", "-crf", "30",
               "-preset", "slow", "-movflags", "+faststart", str(path)]
        subprocess.run(cmd, check=True)
    return True


def vtt_time(seconds: float) -> str:
    """62.5 -> ``"01:02.500"``, the WebVTT time."""
    return f"{int(seconds // 60):02d}:{seconds % 60:06.3f}"


def captions(clip: Path) -> list[Path]:
    """The WebVTT captions of the intro clip beside it (``intro.zh.vtt``, ``intro.en.vtt``)."""
    written = []
    for lang, cues in CLIP_CAPTIONS.items():
        lines = ["WEBVTT", ""]
        for start, end, text in cues:
            lines += [f"{vtt_time(start)} --> {vtt_time(end)}", text, ""]
        out = clip.with_name(f"{clip.stem}.{lang}.vtt")
        out.write_text("\n".join(lines), encoding="utf-8")
        written.append(out)
    return written


def panel(pic: Picture, lang: str = "zh") -> Image.Image:
    """An honor that came without a certificate, shown as a plain panel."""
    return cert(pic, lang, "荣 誉 展 板", "展板样式示意 · Illustration of a display panel")


def variant_path(path: str, lang: str) -> str:
    """``images/cover.jpg`` → ``images/cover.en.jpg``: the picture for readers of ``lang``."""
    stem, dot, ext = path.rpartition(".")
    return f"{stem}.{lang}.{ext}"


DRAWERS = {"photo": photo, "cover": cover, "cert": cert, "panel": panel, "press": press}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", type=Path, default=ROOT / "content", help="content folder")
    ap.add_argument("--only", default="", help="only files whose path starts with this")
    ap.add_argument("--no-video", action="store_true", help="do not make the intro clip")
    args = ap.parse_args(argv)
    root: Path = args.content
    total = 0
    for pic in PICTURES:
        if not pic.path.startswith(args.only):
            continue
        for lang, rel in (("zh", pic.path), ("en", variant_path(pic.path, "en"))):
            out = root / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            DRAWERS[pic.kind](pic, lang=lang).save(out, "JPEG", quality=86, optimize=True,
                                                   progressive=True)
            total += out.stat().st_size
            print(f"{out.stat().st_size // 1024:5d} KB  {rel}")
    if "_shared/logo.png".startswith(args.only):
        logo(root / "_shared/logo.png")
        print("      logo  _shared/logo.png")
    clip = root / "01-history/media/intro.mp4"
    if not args.no_video and str(clip.relative_to(root)).startswith(args.only):
        poster = next(p for p in PICTURES if p.path.endswith("intro-poster.jpg"))
        if video(clip, poster):
            print(f"{clip.stat().st_size // 1024:5d} KB  {clip.relative_to(root)}")
            for vtt in captions(clip):
                print(f"   captions  {vtt.relative_to(root)}")
    print(f"images: {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
