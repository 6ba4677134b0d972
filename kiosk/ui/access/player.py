"""One sound at a time for the visitor: recorded narration or speech from the engine.

Playback goes through Kivy's SoundLoader (SDL2's mixer in Kivy's wheels; ffpyplayer
when installed). Position is counted on the Clock from when the sound started, so
progress shows the same with any audio library and tests can move time. Without a
working audio output (no sound card, no library) ``available`` is False and the
controls that would play stay hidden.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import wave
from pathlib import Path

from kivy.clock import Clock, mainthread
from kivy.event import EventDispatcher
from kivy.properties import AliasProperty, BooleanProperty, NumericProperty, StringProperty

from kiosk.a11y.speech import synthesize

log = logging.getLogger("kiosk.player")
TICK = 0.1  # seconds between progress updates


def _probe_file() -> Path:
    """A 50 ms silent WAV, to ask the audio library whether it can play at all. Made
    fresh in a folder of the kiosk's own (a shared temporary name could be planted)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-audio-"))
    path = folder / "probe.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\0\0" * 1102)
    return path


def audio_output() -> str | None:
    """Name of the audio library that can play here, or None (no library, no device)."""
    probe = None
    try:
        from kivy.core.audio import SoundLoader

        probe = _probe_file()
        sound = SoundLoader.load(str(probe))
        if sound is None or not sound.length or sound.length <= 0:
            return None
        name = type(sound).__module__.rsplit(".", 1)[-1].replace("audio_", "")
        sound.unload()
        return name
    except Exception as exc:  # noqa: BLE001 - a broken library means no sound, not a crash
        log.warning("no audio output: %s", exc)
        return None
    finally:
        if probe is not None:
            shutil.rmtree(probe.parent, ignore_errors=True)


class Player(EventDispatcher):
    state = StringProperty("stop")  # stop | play | pause | loading
    kind = StringProperty("")  # narration | speech
    source = StringProperty("")  # the file playing
    position = NumericProperty(0.0)  # seconds
    length = NumericProperty(0.0)
    progress = NumericProperty(0.0)  # 0..1
    volume = NumericProperty(0.8)
    available = BooleanProperty(False)
    speech_engine = StringProperty("")  # path of the speech program, "" without one

    def _get_clock(self) -> str:
        if not self.length:
            return ""
        p, n = self.position, self.length
        return f"{int(p // 60)}:{int(p % 60):02d} / {int(n // 60)}:{int(n % 60):02d}"

    # where in it: m:ss / m:ss, once the length is known
    clock = AliasProperty(_get_clock, None, bind=("position", "length"))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._sound = None
        self._started_at = 0.0  # Clock time when position 0 would have been
        self._event = None
        self._request = 0  # a newer request makes a pending synthesis void
        self._speech_dir: Path | None = None
        self._speech_file: Path | None = None  # deleted when it has been played

    # ------------------------------------------------------------- playing
    def play_file(self, path, kind: str = "narration") -> bool:
        """Play a sound file from its start (stopping whatever played)."""
        self.stop()
        if not self.available:
            return False
        from kivy.core.audio import SoundLoader

        sound = SoundLoader.load(str(path))
        if sound is None or not sound.length or sound.length <= 0:
            log.error("cannot play %s", path)
            return False
        sound.volume = self.volume
        self._sound = sound
        self.kind = kind
        self.source = str(path)
        self.length = float(sound.length)
        self.position = 0.0
        self.progress = 0.0
        sound.play()
        self._started_at = Clock.time()
        self.state = "play"
        self._event = Clock.schedule_interval(self._tick, TICK)
        return True

    def speak(self, text: str, lang: str) -> bool:
        """Speak ``text`` with the speech engine (synthesised on a thread, then played)."""
        self.stop()
        if not (self.available and self.speech_engine and text.strip()):
            return False
        self._request += 1
        request = self._request
        if self._speech_dir is None:
            self._speech_dir = Path(tempfile.mkdtemp(prefix="kiosk-speech-"))
        out = self._speech_dir / f"speech-{request}.wav"
        self.state = "loading"
        self.kind = "speech"

        def work():
            ok = synthesize(self.speech_engine, text, lang, out)
            self._spoken(request, out if ok else None)

        threading.Thread(target=work, name="kiosk-speech", daemon=True).start()
        return True

    @mainthread
    def _spoken(self, request: int, path):
        if request != self._request or self.state != "loading":
            if path is not None:
                path.unlink(missing_ok=True)
            return  # stopped or replaced meanwhile
        self.state = "stop"
        if path is not None:
            self.play_file(path, kind="speech")
            self._speech_file = path

    def toggle(self):
        if self.state == "play":
            self.pause()
        elif self.state == "pause":
            self.resume()

    def pause(self):
        if self.state != "play" or self._sound is None:
            return
        self.position = min(self.length, Clock.time() - self._started_at)
        self._sound.stop()
        self.state = "pause"

    def resume(self):
        if self.state != "pause" or self._sound is None:
            return
        self._sound.play()
        if self.position > 0:
            try:
                self._sound.seek(self.position)
            except Exception:  # noqa: BLE001 - a library that cannot seek starts over
                self.position = 0.0
        self._started_at = Clock.time() - self.position
        self.state = "play"

    def stop(self):
        self._request += 1
        if self._event is not None:
            self._event.cancel()
            self._event = None
        sound, self._sound = self._sound, None
        if sound is not None:
            try:
                sound.stop()
                sound.unload()
            except Exception:  # noqa: BLE001 - stopping must never fail
                pass
        spoken, self._speech_file = self._speech_file, None
        if spoken is not None:
            spoken.unlink(missing_ok=True)  # months of reading aloud must not fill the disk
        self.state = "stop"
        self.kind = ""
        self.source = ""
        self.position = 0.0
        self.progress = 0.0
        self.length = 0.0

    def on_volume(self, *_):
        if self._sound is not None:
            self._sound.volume = self.volume

    def _tick(self, dt):
        if self.state != "play":
            return
        self.position = min(self.length, Clock.time() - self._started_at)
        self.progress = self.position / self.length if self.length else 0.0
        if self.position >= self.length:
            self.stop()
