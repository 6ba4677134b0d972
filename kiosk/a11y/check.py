"""The accessibility part of ``kiosk check``: theme contrast, the panel's touch targets
and reach, narration and caption files, label text and alt text. No Kivy.

Whether sound and speech can play is judged from what is installed (Kivy's SDL2 audio
module, ffpyplayer, espeak-ng), without starting them.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from kiosk.a11y import lint
from kiosk.a11y.media import check_media
from kiosk.a11y.settings import AccessConfig, PanelConfig
from kiosk.content.model import Problem
from kiosk.content.source import problem

DEFAULT_SIZE = (1080, 1920)


def audio_backend() -> str | None:
    """Name of an installed audio library Kivy can play narration with, or None."""
    spec = importlib.util.find_spec("kivy")
    if spec and spec.submodule_search_locations:
        audio = Path(list(spec.submodule_search_locations)[0]) / "core" / "audio"
        if any(audio.glob("audio_sdl2*.so")) or any(audio.glob("audio_sdl2*.pyd")):
            return "sdl2"
    if importlib.util.find_spec("ffpyplayer") is not None:
        return "ffpyplayer"
    return None


def speech_engine(access: AccessConfig | None = None) -> str | None:
    """Path of the speech program (espeak-ng by default), or None if it is not installed."""
    name = (access or AccessConfig()).speech_engine
    return shutil.which(name) if name else None


def accessibility_problems(content, prefix: str, config=None, theme=None,
                           config_path: str = "") -> list[tuple[str, Problem]]:
    """(path prefix, problem) pairs, as :func:`kiosk.check.collect` lists them."""
    found: list[tuple[str, Problem]] = [(prefix, p) for p in check_media(content)]
    panel = getattr(config, "panel", None) or PanelConfig()
    size = getattr(config, "size", None) or DEFAULT_SIZE
    column = font = 0.0
    font_path = ""
    if theme is not None:
        theme_file = str(theme.folder / "theme.yaml")
        found += [("", p) for p in lint.contrast_problems(theme, theme_file)]
        where = config_path or "kiosk.yaml"
        found += [("", p) for p in lint.nominal_problems(theme, size, panel, where)]
        w, h = size
        column = w - 2 * theme.px("margin", w, h)
        font = theme.px("body", w, h)
        font_path = theme.fonts.regular
    found += [(prefix, p) for p in lint.content_problems(content, column, font, font_path)]
    has_narration = any(getattr(ex, "narration", ()) for s in content.sections for ex in s.exhibits)
    if has_narration and audio_backend() is None:
        found.append(("", problem(
            config_path or "kiosk.yaml", None, "warning",
            "narration is in the content but no audio player is installed (Kivy's SDL2 audio or "
            "ffpyplayer): the play buttons stay hidden",
            "内容中有讲解录音，但本机没有安装音频播放组件（Kivy 的 SDL2 音频或 ffpyplayer）：播放按钮不会显示",
            "accessibility")))
    access = getattr(config, "accessibility", None)  # only with a kiosk.yaml: the kiosk's own check
    if access is not None and access.read_aloud and speech_engine(access) is None:
        name = (access or AccessConfig()).speech_engine
        found.append(("", problem(
            config_path or "kiosk.yaml", None, "warning",
            f"no speech engine: '{name}' is not installed, so the read-aloud button is hidden "
            "(Debian: apt install espeak-ng)",
            f"没有语音合成程序：未安装 '{name}'，朗读按钮不会显示（Debian：apt install espeak-ng）",
            "accessibility.speech_engine")))
    return found


def load_theme_for(theme_dir, config):
    """The theme ``kiosk check`` looks at: the one given, else the configured one."""
    from kiosk.theme import find_theme, load_theme

    folder = None
    if theme_dir is not None:
        root = config.path(config.themes_dir) if config is not None else Path("themes")
        folder = find_theme(str(theme_dir), root)
    elif config is not None and (Path(config.theme_dir) / "theme.yaml").is_file():
        folder = Path(config.theme_dir)
    if folder is None:
        return None
    return load_theme(folder)[0]
