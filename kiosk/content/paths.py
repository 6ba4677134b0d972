"""File names and media paths: what to ignore, ids from names, confined media resolution."""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
import stat
from pathlib import Path

from .model import Media, Problem, Text
from .source import problem

IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".heic", ".heif")
VIDEO_EXTS = (".mp4", ".webm", ".mov", ".mkv", ".avi")
AUDIO_EXTS = (".ogg", ".mp3", ".wav", ".flac")  # narration (kiosk/a11y/media.py)
CAPTION_EXTS = (".vtt",)  # WebVTT captions beside a video
_KINDS = {"image": (IMAGE_EXTS, "an image", "图片"), "video": (VIDEO_EXTS, "a video", "视频"),
          "audio": (AUDIO_EXTS, "a sound", "音频"), "captions": (CAPTION_EXTS, "a WebVTT caption", "WebVTT 字幕")}

_PREFIX = re.compile(r"^\d{1,3}[-_]")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_DRIVE = re.compile(r"^[a-zA-Z]:[\\/]")
VARIANT_LANGUAGES = ("zh", "en")  # cover.en.jpg beside cover.jpg: the picture for English
_LANG_SUFFIX = re.compile(r"\.(zh|en)$")

# Editor, office and sync-tool leftovers (matched case-insensitively). Hidden names
# (leading ".") are ignored before these patterns are consulted.
_IGNORED_PATTERNS = (
    "*.swp", "*.swo", "*~", "~$*", "*.tmp", "*.part", "*.crdownload",
)
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
_IGNORED_RE = re.compile("|".join(fnmatch.translate(p) for p in _IGNORED_PATTERNS))


def is_ignored(name: str) -> bool:
    """True for names the loader skips without a word (hidden, temporary, OS clutter)."""
    if name.startswith("."):
        return True  # .DS_Store, .~lock.*, .syncthing.*.tmp, rsync's .NAME.XXXXXX, ...
    low = name.lower()
    if low in _IGNORED_NAMES:
        return True
    return _IGNORED_RE.match(low) is not None


def id_from_name(name: str) -> str:
    """``01-history`` → ``history``; ``2015-center-opens`` keeps its year."""
    return _PREFIX.sub("", name, count=1)


def media_kind(name: str) -> str | None:
    ext = posixpath.splitext(name)[1].lower()
    if ext in IMAGE_EXTS:
        return "image"
    if ext in VIDEO_EXTS:
        return "video"
    if ext in AUDIO_EXTS:
        return "audio"
    if ext in CAPTION_EXTS:
        return "captions"
    return None


def _other_case(root: str, rel: str) -> str | None:
    """``rel`` (root-relative) as it is spelled on disk when only letter case differs, in
    the file name or any folder on the way (None if there is no such file)."""
    folder, parts, changed = root, [], False
    for name in rel.split("/"):
        if os.path.lexists(os.path.join(folder, name)):
            found = name
        else:
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                return None
            low = name.lower()
            found = next((n for n in names if n.lower() == low), None)
            if found is None:
                return None
            changed = True
        parts.append(found)
        folder = os.path.join(folder, found)
    return "/".join(parts) if changed else None


class MediaResolver:
    """Turns a path written in a content file into a :class:`Media`, or a problem.

    Paths are relative to the file naming them and must stay inside the content
    root. Absolute paths, ``..`` that leaves the root and symlinks that resolve
    outside it are refused, never followed. Every resolution is remembered in
    ``checked`` (absolute path → was it usable) so a cache can tell later whether
    the answer would still be the same.
    """

    def __init__(self, root: str, pictures=None):
        self.root = os.path.abspath(root)
        self.real_root = os.path.realpath(self.root)
        self.checked: dict[str, bool | str | tuple] = {}
        # Opens and decodes each picture (a PictureChecks, remembering answers by
        # size and time); None: pictures are only looked at from outside.
        self.pictures = pictures
        # Shared by every fork: answers stay valid for one load of the content.
        self._usable: dict[str, bool] = {}
        self._verdicts: dict[str, tuple] = {}
        self._links: set[str] = set()
        self._escapes: dict[str, bool] = {}
        self._linked_dirs: dict[str, bool] = {}

    def fork(self) -> MediaResolver:
        """A resolver sharing this one's answers, with an empty ``checked`` record."""
        other = MediaResolver.__new__(MediaResolver)
        other.__dict__.update(self.__dict__)
        other.checked = {}
        return other

    def inside(self, abspath: str) -> bool:
        """True if ``abspath`` (links resolved) lies inside the content root."""
        real = os.path.realpath(abspath)
        return real == self.real_root or real.startswith(self.real_root + os.sep)

    def usable(self, abspath: str) -> bool:
        """Is there a readable file at ``abspath``? (asked once per load)"""
        found = self._usable.get(abspath)
        if found is not None:
            return found
        try:
            st = os.lstat(abspath)  # one system call for the usual plain file
        except OSError:
            found = False
        else:
            mode = st.st_mode
            if stat.S_ISLNK(mode):
                self._links.add(abspath)
                found = os.path.isfile(abspath) and os.access(abspath, os.R_OK) \
                    and os.path.getsize(abspath) > 0
            else:
                found = stat.S_ISREG(mode) and st.st_size > 0 and (
                    bool(mode & stat.S_IROTH) or os.access(abspath, os.R_OK))
        self._usable[abspath] = found
        return found

    def state(self, abspath: str) -> bool | str | tuple:
        """True for a usable file, False for a missing one, else why not ("dangling",
        "empty", "unreadable"): the reason decides the message staff see. A picture
        that opens with remarks gives them instead of True: ((severity, en, zh), ...)."""
        if self.usable(abspath):
            if self.pictures is not None and media_kind(abspath) == "image":
                notes = self._verdicts.get(abspath)
                if notes is None:
                    notes = self._verdicts[abspath] = self.pictures.get(abspath)
                return notes or True
            return True
        if os.path.islink(abspath) and not os.path.exists(abspath):
            return "dangling"
        if os.path.isfile(abspath):
            return "empty" if os.path.getsize(abspath) == 0 else "unreadable"
        return False

    def linked(self, abspath: str) -> bool:
        """Is ``abspath`` (already looked at by :meth:`state`), or a folder on its way
        below the root, a symbolic link? Its state then depends on another path."""
        if abspath in self._links:
            return True
        folder = os.path.dirname(abspath)
        while folder.startswith(self.root + os.sep):
            found = self._linked_dirs.get(folder)
            if found is None:
                found = self._linked_dirs[folder] = os.path.islink(folder)
            if found:
                return True
            folder = os.path.dirname(folder)
        return False

    def still_same(self, checked: dict[str, bool | str]) -> bool:
        """True if every media file in ``checked`` is in the state it was in then."""
        state = self.state
        return all(state(abspath) == was for abspath, was in checked.items())

    def escapes(self, rel: str) -> bool:
        """Does ``rel`` (or a folder on its way) link to a place outside the root?"""
        found = self._escapes.get(rel)
        if found is None:
            head = rel.rpartition("/")[0]
            abspath = os.path.join(self.root, rel)
            if head and self.escapes(head):
                found = True
            else:
                if abspath in self._usable:
                    is_link = abspath in self._links
                else:
                    is_link = self._linked_dirs.get(abspath)
                    if is_link is None:
                        is_link = self._linked_dirs[abspath] = os.path.islink(abspath)
                found = is_link and not self.inside(abspath)
            self._escapes[rel] = found
        return found

    def variants(self, rel: str) -> tuple[tuple[str, str, Path], ...]:
        """Pictures for one language beside ``rel``: ``images/cover.en.jpg`` for
        ``images/cover.jpg``. Each candidate is remembered in ``checked``, so a
        variant added or removed later is noticed like any other picture."""
        stem, ext = posixpath.splitext(rel)
        if _LANG_SUFFIX.search(stem):
            return ()  # the named file is itself a variant
        found = []
        for lang in VARIANT_LANGUAGES:
            candidate = f"{stem}.{lang}{ext}"
            abspath = os.path.join(self.root, candidate)
            try:
                os.lstat(abspath)  # most pictures have no variant: one look is enough
            except OSError:
                self.checked[abspath] = False  # what state() says of a missing file
                continue
            self.checked[abspath] = self.state(abspath)
            if self.checked[abspath] is True and not self.escapes(candidate):
                found.append((lang, candidate, Path(abspath)))
        return tuple(found)

    def relative(self, source: str, src: str) -> str | None:
        """``src`` written in ``source`` as a root-relative path, or None if it escapes."""
        src = src.replace("\\", "/")
        folder = source.rpartition("/")[0]
        if "/." not in "/" + src and "//" not in src and not src.startswith("/"):
            return f"{folder}/{src}" if folder else src  # already normal: nothing to fold
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), src))
        if joined == ".." or joined.startswith("../") or joined.startswith("/"):
            return None
        return joined

    def resolve(self, source: str, value: object, line: int | None, key: str,
                kind: str, problems: list[Problem], caption: Text | None = None,
                poster: Media | None = None, label: str | None = None) -> Media | None:
        """Resolve ``value`` (a path string) named in file ``source`` under ``key``.

        ``kind`` is "image" or "video"; a problem is appended and None returned
        when the file is unsuitable, outside the root, or missing. ``label`` (the
        field name, if any) starts each message, e.g. ``'cover': file not found``.
        """
        pre_en = f"'{label}': " if label else ""
        pre_zh = f"'{label}'：" if label else ""

        def bad(en: str, zh: str) -> None:
            problems.append(problem(source, line, "error", pre_en + en, pre_zh + zh, key))

        if not isinstance(value, str) or not value.strip():
            bad("this should be a file path", "这里应为文件路径")
            return None
        src = value.strip()
        if "://" in src and _URL.match(src):
            bad(f"web addresses are not supported ({src}); put the file in the content folder",
                f"不支持网址（{src}）；请把文件放进内容文件夹")
            return None
        if src.startswith(("/", "\\")) or _DRIVE.match(src):
            bad(f"the path '{src}' is absolute; write it relative to this file",
                f"路径 '{src}' 是绝对路径；请写相对于本文件的路径")
            return None
        rel = self.relative(source, src)
        if rel is None:
            bad(f"the path '{src}' points outside the content folder",
                f"路径 '{src}' 指向内容文件夹以外")
            return None
        if media_kind(rel) != kind:
            kind_exts, what_en, what_zh = _KINDS.get(kind, _KINDS["video"])
            exts = " ".join(kind_exts)
            bad(f"'{src}' is not {what_en} file ({exts})",
                f"'{src}' 不是{what_zh}文件（{exts}）")
            return None
        abspath = os.path.join(self.root, rel)
        state = self.checked[abspath] = self.state(abspath)
        usable = state is True or isinstance(state, tuple)
        if self.escapes(rel):
            bad(f"'{src}' is a link to a place outside the content folder; it is not used",
                f"'{src}' 是指向内容文件夹以外的链接；不会使用")
            return None
        if not usable:
            if os.path.islink(abspath) and not os.path.exists(abspath):
                bad(f"'{src}' is a link that leads nowhere (its target is missing, "
                    f"or it points to itself)",
                    f"'{src}' 是一个链接，指向的位置不存在（目标缺失或指向自身）")
            elif os.path.isfile(abspath) and os.path.getsize(abspath) == 0:
                bad(f"the file '{src}' is empty (0 bytes); copy it again",
                    f"文件 '{src}' 是空的（0 字节）；请重新复制")
            elif os.path.isfile(abspath):
                bad(f"the file '{src}' cannot be read", f"文件 '{src}' 无法读取")
            elif os.path.exists(abspath) and not os.path.isdir(abspath):
                bad(f"'{src}' is not an ordinary file (a pipe, a device or a socket); "
                    f"put a picture or video file there",
                    f"'{src}' 不是普通文件（而是管道、设备或套接字）；请放入图片或视频文件")
            else:
                guess = _other_case(self.root, rel)
                folder = source.rpartition("/")[0]
                if guess and folder and guess.startswith(folder + "/"):
                    guess = guess[len(folder) + 1:]  # as written: from the file's folder
                if guess:
                    bad(f"file not found: {src} — did you mean '{guess}'? "
                        f"(capital and small letters must match)",
                        f"找不到文件 {src}，是不是 '{guess}'？（大小写必须一致）")
                else:
                    bad(f"file not found: {src}", f"找不到文件 {src}")
            return None
        if isinstance(state, tuple):
            for severity, en, zh in state:
                problems.append(problem(source, line, severity, f"{pre_en}'{src}': {en}",
                                        f"{pre_zh}'{src}'：{zh}", key))
            if any(severity == "error" for severity, _, _ in state):
                return None
        return Media(src=rel, path=Path(abspath), kind=kind,
                     caption=caption if caption is not None else Text(),
                     poster=poster, variants=self.variants(rel) if kind == "image" else ())
