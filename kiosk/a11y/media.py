"""Narration and captions: found for the loader, checked for ``kiosk check``.

An exhibit's narration is an ``audio:`` field (one file, or one per language) or files
beside the page named ``NAME.LANG.EXT`` (``2015-opening.zh.ogg``, ``2015-opening.en.mp3``).
A video's captions are WebVTT files beside it: ``film.mp4`` -> ``film.zh.vtt``,
``film.en.vtt``. No Kivy here.
"""

from __future__ import annotations

import os
import posixpath
import wave
from pathlib import Path

from kiosk.content.model import Media, Problem, Text
from kiosk.content.paths import AUDIO_EXTS
from kiosk.content.source import problem

Tracks = tuple[tuple[str, Media], ...]  # (language, file), in the site's language order


def _beside(stem_rel: str, exts, languages, resolver, found: dict[str, Media], kind: str):
    # the files of the folder, when the loader has just listed it (no need to ask the disk)
    listed = getattr(resolver, "folder_files", None)
    folder = posixpath.dirname(stem_rel)
    if listed is not None and getattr(resolver, "folder", None) != folder:
        listed = None
    for lang in languages:
        for ext in exts:
            rel = f"{stem_rel}.{lang}{ext}"
            abspath = os.path.join(resolver.root, rel)
            state = resolver.state(abspath) if listed is None or rel in listed else False
            resolver.checked[abspath] = state  # a file added later is noticed on reload
            if state is True and lang not in found:
                found[lang] = Media(src=rel, path=Path(abspath), kind=kind, caption=Text())


def narration_for(f, page_rel: str, resolver, languages: tuple[str, ...], lang: str) -> Tracks:
    """The narration of the page ``page_rel`` (its ``audio:`` field first, then files
    beside it), one file per language."""
    found: dict[str, Media] = {}
    value = f.get("audio")
    if isinstance(value, dict):
        lines = getattr(value, "lines", {})
        for key, src in value.items():
            key = str(key)
            if key not in languages:
                f.warning("audio", f"'audio': '{key}' is not one of the site languages "
                          f"({', '.join(languages)}); write e.g. 'zh: file.ogg'",
                          f"'audio'：'{key}' 不是网站语言（{'、'.join(languages)}）；"
                          "应写成 'zh: 文件.ogg' 这样的形式", line=lines.get(key))
                continue
            media = f.media("audio", "audio", value=src, line=lines.get(key))
            if media is not None:
                found[key] = media
    elif value is not None:
        media = f.media("audio", "audio")
        if media is not None:
            found[lang] = media
    stem = page_rel.rsplit(".", 1)[0]
    _beside(stem, AUDIO_EXTS, languages, resolver, found, "audio")
    return tuple((code, found[code]) for code in languages if code in found)


def captions_for(video: Media | None, resolver, languages: tuple[str, ...]) -> Tracks:
    """WebVTT files beside ``video``: ``NAME.LANG.vtt``."""
    if video is None:
        return ()
    found: dict[str, Media] = {}
    _beside(video.src.rsplit(".", 1)[0], (".vtt",), languages, resolver, found, "captions")
    return tuple((code, found[code]) for code in languages if code in found)


# ------------------------------------------------------------------ checking files

def sniff_audio(path: str | os.PathLike) -> str | None:
    """The audio format of a file from its first bytes (ogg, mp3, wav, flac), else None.
    A WAV file is also read through to its end."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:
        return None
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        try:
            with wave.open(str(path), "rb") as w:
                frames = w.getnframes()
                if frames <= 0 or w.getframerate() <= 0:
                    return None
                w.readframes(frames)
        except (wave.Error, EOFError, OSError):
            return None
        return "wav"
    return None


def audio_length(path: str | os.PathLike) -> float | None:
    """Seconds of a WAV file (other formats: None)."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / float(w.getframerate())
    except (wave.Error, EOFError, OSError):
        return None


def check_media(content) -> list[Problem]:
    """Narration that will not play, caption files that do not parse, videos without
    captions."""
    from kiosk.a11y.webvtt import parse_webvtt

    problems: list[Problem] = []
    languages = content.site.languages
    for section in content.sections:
        for ex in section.exhibits:
            for lang, media in getattr(ex, "narration", ()):
                kind = sniff_audio(media.path)
                ext = posixpath.splitext(media.src)[1].lower().lstrip(".")
                if kind is None:
                    problems.append(problem(
                        ex.source, None, "error",
                        f"the narration '{media.src}' ({lang}) is not a sound file that can be played "
                        "(OGG, MP3, WAV or FLAC); export it again",
                        f"讲解录音 '{media.src}'（{lang}）不是可以播放的音频文件（OGG、MP3、WAV 或 FLAC）；请重新导出",
                        "audio"))
                elif kind != ext and not (kind == "ogg" and ext == "opus"):
                    problems.append(problem(
                        ex.source, None, "warning",
                        f"the narration '{media.src}' is {kind.upper()} inside, not {ext.upper()}; "
                        "rename it so players recognise it",
                        f"讲解录音 '{media.src}' 实际是 {kind.upper()} 格式，不是 {ext.upper()}；请改正扩展名",
                        "audio"))
            if ex.video is None:
                continue
            tracks = dict(getattr(ex, "captions", ()))
            for lang, media in tracks.items():
                try:
                    text = media.path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    problems.append(problem(
                        media.src, None, "error", "the caption file cannot be read as UTF-8 text",
                        "字幕文件无法按 UTF-8 文本读取"))
                    continue
                track = parse_webvtt(text)
                for line, en, zh in track.problems:
                    problems.append(problem(media.src, line, "error", en, zh))
                if track.cues and lang == "en" and _mostly_cjk(" ".join(c.text for c in track.cues)):
                    problems.append(problem(media.src, None, "warning",
                                            "these English captions are mostly Chinese characters",
                                            "这份英文字幕大部分是中文字符"))
                if track.cues and lang == "zh" and not _mostly_cjk(" ".join(c.text for c in track.cues)):
                    problems.append(problem(media.src, None, "warning",
                                            "these Chinese captions hold almost no Chinese characters",
                                            "这份中文字幕几乎没有中文字符"))
            missing = [lang for lang in languages if lang not in tracks]
            if missing:
                stem = ex.video.src.rsplit(".", 1)[0]
                names = ", ".join(f"{stem}.{lang}.vtt" for lang in missing)
                problems.append(problem(
                    ex.source, None, "warning",
                    f"the video '{ex.video.src}' has no captions for {', '.join(missing)}: "
                    f"add {names} (WebVTT) beside it",
                    f"视频 '{ex.video.src}' 缺少 {'、'.join(missing)} 字幕：请在旁边放入 {names}（WebVTT 格式）",
                    "video"))
    return problems


def _mostly_cjk(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    cjk = sum(1 for ch in letters if "\u3400" <= ch <= "\u9fff")
    return cjk / len(letters) > 0.5
