"""Speech output with an offline engine (espeak-ng): text to a WAV file, which the
kiosk then plays like recorded narration (same volume, progress and stop). No Kivy.

espeak-ng ships Mandarin (``cmn``) and English voices in Debian's ``espeak-ng`` package::

    synthesize("espeak-ng", "欢迎参观", "zh", Path("/tmp/x.wav"))   # -> True
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger("kiosk.speech")

VOICES = {"zh": "cmn", "en": "en-gb"}
WORDS_PER_MINUTE = {"zh": 150, "en": 160}  # a little slower than espeak-ng's 175
MAX_CHARS = 6000  # a long article is read from its start; the rest stays on screen
TIMEOUT = 60.0  # seconds


def engine_path(name: str | None) -> str | None:
    return shutil.which(name) if name else None


def synthesize(engine: str, text: str, lang: str, out: Path) -> bool:
    """Write ``text`` spoken in ``lang`` to the WAV file ``out``; False if it failed."""
    path = engine_path(engine)
    text = text.strip()[:MAX_CHARS]
    if path is None or not text:
        return False
    voice = VOICES.get(lang, lang)
    speed = str(WORDS_PER_MINUTE.get(lang, 160))
    try:
        done = subprocess.run([path, "-v", voice, "-s", speed, "-w", str(out), "--stdin"],
                              input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("speech engine %s failed: %s", engine, exc)
        return False
    if done.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
        log.error("speech engine %s failed (%s): %s", engine, done.returncode,
                  done.stderr.decode("utf-8", "replace")[-300:])
        return False
    return True
