"""The loader's memory kept between runs, so a restart reads only what changed.

Loading a big exhibition means parsing every file (about 0.8 s for 2,000
exhibits here). The :class:`~kiosk.content.loader.ContentLoader` already
remembers what it parsed and built, keyed by each file's size, times and
inode, and re-reads only files whose key moved. Saving that memory to the
kiosk's state folder (never to the content folder: ``kiosk check`` and ``kiosk
run`` refuse a state folder there) and restoring it at the next start makes a
restart cost one walk of the tree plus the files that changed meanwhile.

The saved state is JSON, written and read by the small codec below, which can
only rebuild plain data (numbers, text, lists, dicts, dates, paths) and
instances of the content classes of ``kiosk.content`` (filled in field by field,
without calling anything of theirs). Reading a state file therefore cannot run
code, whoever wrote it (unlike a pickle, which can call anything).

The saved state is used only by the same code that wrote it, for the same
content folder: a different version of the loader, another folder, or a file
written by anything else mean a normal full load. A damaged file is moved aside
with the date in its name (:mod:`kiosk.recovery` tells the status file and the
admin panel). Nothing here imports Kivy.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import logging
import os
import sys
import tempfile
from pathlib import Path, PurePath

from kiosk import recovery
from kiosk.images.verify import PictureChecks

from .loader import ContentLoader
from .paths import MediaResolver

log = logging.getLogger("kiosk.content")

STATE_FILE = "content-state.json"
OLD_STATE_FILE = "content-state.pickle"  # written by earlier versions; never read
FORMAT = "kiosk-content-state/1"


def code_version() -> str:
    """A fingerprint of the content code: a saved state from other code is not used."""
    digest = hashlib.sha1()
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------ the codec
# None, booleans, numbers and strings are themselves. Every other value is a JSON
# list whose first item says what it is:
#   ["l", item, ...] list         ["t", item, ...] tuple     ["s"/"f", item, ...] set/frozenset
#   ["d", k, v, k, v, ...] dict   ["dt"/"da"/"tm", iso] datetime/date/time
#   ["p", text] path              ["b", base64] bytes
#   ["o", layout, base, value, ...] an instance of a content class: ``layouts[layout]``
#       names its class ("module:Class") and fields; base: the items of a dict or list
#       subclass, else null
#   ["r", n] the n-th list, dict or object met before (what was shared stays shared)

_PLAIN = (type(None), bool, int, float, str)


class StateError(ValueError):
    """The saved state is not one this code wrote."""


def _content_class(name: str) -> type:
    """The class named ``module:Class``, only from the content modules already loaded."""
    module_name, _, qualname = str(name).partition(":")
    if not module_name.startswith("kiosk.content.") or module_name == __name__ \
            or module_name not in sys.modules:
        raise StateError(f"not a content class: {name!r}")
    obj = sys.modules[module_name]
    for part in qualname.split("."):
        if not part.isidentifier() or part.startswith("__"):
            raise StateError(f"not a content class: {name!r}")
        obj = getattr(obj, part, None)
    if not isinstance(obj, type) or issubclass(obj, type | BaseException) \
            or obj.__module__ != module_name:
        raise StateError(f"not a content class: {name!r}")
    return obj


def _fields(obj) -> list[tuple[str, object]]:
    items = list(vars(obj).items()) if hasattr(obj, "__dict__") else []
    for cls in type(obj).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot not in ("__dict__", "__weakref__") and hasattr(obj, slot):
                items.append((slot, getattr(obj, slot)))
    return items


class _Encoder:
    def __init__(self):
        self.memo: dict[int, int] = {}
        self.keep: list = []  # holds what is in memo, so no id is reused meanwhile
        self.layouts: list[list] = []
        self._layout_ids: dict[tuple, int] = {}

    def __call__(self, value):
        kind = type(value)
        if kind in _PLAIN:
            return value
        if isinstance(value, PictureChecks):
            return None  # kept in a file of its own (kiosk/images/verify.py); made anew on restore
        if kind is tuple:
            return ["t", *map(self, value)]
        if kind is _dt.datetime:
            return ["dt", value.isoformat()]
        if kind is _dt.date:
            return ["da", value.isoformat()]
        if kind is _dt.time:
            return ["tm", value.isoformat()]
        if kind in (set, frozenset):
            return ["s" if kind is set else "f", *map(self, value)]
        if isinstance(value, PurePath):
            return ["p", str(value)]
        if kind is bytes:
            return ["b", base64.b64encode(value).decode("ascii")]
        seen = self.memo.get(id(value))
        if seen is not None:
            return ["r", seen]
        self.memo[id(value)] = len(self.keep)
        self.keep.append(value)
        if kind is list:
            return ["l", *map(self, value)]
        if kind is dict:
            return ["d", *(x for k, v in value.items() for x in (self(k), self(v)))]
        return self._object(value, kind)

    def _object(self, value, kind: type) -> list:
        name = f"{kind.__module__}:{kind.__qualname__}"
        if _content_class(name) is not kind:
            raise StateError(f"cannot save a {name}")
        base = None
        if isinstance(value, dict):
            base = [x for k, v in value.items() for x in (self(k), self(v))]
        elif isinstance(value, list):
            base = [self(v) for v in value]
        elif isinstance(value, tuple | set | frozenset | str | int | float | bytes):
            raise StateError(f"cannot save a {name}")
        fields = _fields(value)
        key = (name, *(k for k, _ in fields))
        layout = self._layout_ids.get(key)
        if layout is None:
            layout = self._layout_ids[key] = len(self.layouts)
            self.layouts.append([name, [k for k, _ in fields]])
        return ["o", layout, base, *(self(v) for _, v in fields)]


class _Decoder:
    def __init__(self, layouts):
        self.memo: list = []
        self.layouts = [self._layout(item) for item in _seq(layouts)]
        self.kinds = {"t": self._tuple, "l": self._list, "d": self._dict, "o": self._object,
                      "r": self._ref, "s": self._set, "f": self._frozenset,
                      "dt": self._moment, "da": self._moment, "tm": self._moment,
                      "p": self._path, "b": self._bytes}

    @staticmethod
    def _layout(item):
        if type(item) is not list or len(item) != 2:
            raise StateError("not a saved layout")
        cls, names = _content_class(item[0]), _seq(item[1])
        for n in names:
            if not isinstance(n, str) or not n.isidentifier() or n.startswith("__"):
                raise StateError("not a saved field")
        # fields go straight into the instance's __dict__ unless the class has slots
        plain = not any(getattr(c, "__slots__", ()) for c in cls.__mro__ if c is not object)
        if issubclass(cls, dict):
            new = dict.__new__
        elif issubclass(cls, list):
            new = list.__new__
        else:
            new = object.__new__  # nothing of the class is called
        return cls, tuple(names), plain, new

    def __call__(self, value):
        if type(value) is list:
            try:
                kind = self.kinds[value[0]]
            except (KeyError, IndexError, TypeError):
                raise StateError("not a saved value") from None
            return kind(value)
        if type(value) in _PLAIN:
            return value
        raise StateError("not a saved value")

    def _tuple(self, value):
        return tuple(map(self, value[1:]))

    def _set(self, value):
        return set(map(self, value[1:]))

    def _frozenset(self, value):
        return frozenset(map(self, value[1:]))

    def _list(self, value):
        out: list = []
        self.memo.append(out)
        out.extend(map(self, value[1:]))
        return out

    def _dict(self, value):
        out: dict = {}
        self.memo.append(out)
        self._fill(out, value, 1)
        return out

    def _fill(self, target: dict, flat: list, start: int) -> None:
        if (len(flat) - start) % 2:
            raise StateError("not a saved dict")
        setitem = dict.__setitem__
        for i in range(start, len(flat), 2):
            setitem(target, self(flat[i]), self(flat[i + 1]))

    def _ref(self, value):
        return self.memo[value[1]]

    @staticmethod
    def _moment(value):
        kind = {"dt": _dt.datetime, "da": _dt.date, "tm": _dt.time}[value[0]]
        return kind.fromisoformat(value[1])

    @staticmethod
    def _path(value):
        return Path(str(value[1]))

    @staticmethod
    def _bytes(value):
        return base64.b64decode(str(value[1]), validate=True)

    def _object(self, value):
        cls, names, plain, new = self.layouts[value[1]]
        if len(value) != 3 + len(names):
            raise StateError("not a saved object")
        obj = new(cls)
        self.memo.append(obj)  # before its fields: they may refer back to it
        values = map(self, value[3:])
        if plain:
            obj.__dict__.update(zip(names, values, strict=True))
        else:
            for name, item in zip(names, values, strict=True):
                object.__setattr__(obj, name, item)
        base = value[2]
        if isinstance(obj, dict):
            self._fill(obj, ["d", *_seq(base or [])], 1)
        elif isinstance(obj, list):
            list.extend(obj, map(self, _seq(base or [])))
        return obj


def _seq(value) -> list:
    if type(value) is not list:
        raise StateError("not a saved list")
    return value


def dumps(value) -> str:
    """``value`` as JSON text (only plain data and content classes)."""
    encoder = _Encoder()
    data = encoder(value)
    return json.dumps({"layouts": encoder.layouts, "value": data}, ensure_ascii=False,
                      separators=(",", ":"))


def loads(text: str):
    """The value of :func:`dumps` text; nothing but plain data and content classes is made."""
    doc = json.loads(text)
    if not isinstance(doc, dict):
        raise StateError("not a saved value")
    return _Decoder(doc.get("layouts"))(doc.get("value"))


# ---------------------------------------------------------------- the file
def restore_loader(state_file: str | os.PathLike, root: str | os.PathLike) -> ContentLoader | None:
    """The loader saved for ``root``, or None when there is none that can be trusted.
    A file that cannot be read as a saved state is moved aside (dated) and noted."""
    path = Path(state_file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("the saved content state %s cannot be read (%s)", path, exc)
        return None
    try:
        head = json.loads(data.decode("utf-8")) if data.strip() else None
        if not isinstance(head, dict) or head.get("format") != FORMAT:
            raise StateError("not a content state written by the kiosk")
        if head.get("code") != code_version():
            return None  # other code wrote it: a full load, then it is replaced
        if head.get("root") != os.path.abspath(os.fspath(root)):
            return None  # saved for another content folder
        loader = _Decoder(head.get("layouts"))(head.get("loader"))
        if not isinstance(loader, ContentLoader):
            raise StateError("no loader in it")
        loader.pictures = PictureChecks()  # its answers come from their own file
        loader._resolver = MediaResolver(loader.root, loader.pictures)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        recovery.move_aside(path, "content state", str(exc))
        return None
    return loader


def save_loader(loader: ContentLoader, state_file: str | os.PathLike) -> bool:
    """Write the loader's memory (atomically). False, logged, when it cannot be written."""
    path = Path(state_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        encoder = _Encoder()
        saved = encoder(loader)
        data = json.dumps({"format": FORMAT, "code": code_version(), "root": loader.root,
                           "layouts": encoder.layouts, "loader": saved},
                          ensure_ascii=False, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(prefix=".content-state-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        old = path.with_name(OLD_STATE_FILE)
        if old.is_file():  # an earlier version's pickle: never read, so not kept
            old.unlink()
    except Exception as exc:  # a full disk or a read-only state folder: only slower starts
        log.warning("the content state cannot be saved to %s (%s)", path, exc)
        return False
    return True


def load_with_state(root: str | os.PathLike, state_file: str | os.PathLike | None):
    """``(loader, snapshot)`` for ``root``: through the saved state when there is one,
    saving it again when the load had to read files."""
    loader = restore_loader(state_file, root) if state_file else None
    if loader is None:
        loader = ContentLoader(root)
    snapshot = loader.load()
    if state_file and loader.last_parsed:
        save_loader(loader, state_file)
    return loader, snapshot
