"""The admin and guide PINs: kept only as salted hashes, compared in constant time,
and wrong attempts slowed down by a lock-out that grows with each further miss.

A PIN is 4 to 12 digits. ``kiosk pin`` stores its hash (scrypt, a random salt
per PIN) in a small JSON file readable only by its owner: ``admin.pin_file``
in kiosk.yaml, by default ``pins.json`` in the kiosk's state folder; a hash may
also be written in kiosk.yaml as ``admin.pin_hash`` / ``admin.guide_pin_hash``.
The file wins when both have one. No PIN set means the admin gesture opens
nothing. Plain Python, no Kivy.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import pin_file_path
from kiosk.fileio import write_json
from kiosk.pinhash import (  # noqa: F401  (part of this module's interface)
    HASH_BYTES,
    PIN_PATTERN,
    SCHEME,
    SCRYPT_N,
    SCRYPT_P,
    SCRYPT_R,
    PinError,
    check_pin_format,
    hash_pin,
    parse_hash,
    verify_pin,
)

ROLES = ("admin", "guide")

FREE_ATTEMPTS = 3  # wrong PINs allowed before the first lock-out
FIRST_LOCK = 30.0  # seconds; doubles with each further wrong PIN
MAX_LOCK = 15 * 60.0


# ------------------------------------------------------------------ storage


def read_pin_file(path: str | Path) -> dict[str, str]:
    """Role → hash from the PIN file; a missing or unreadable file gives ``{}``."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {role: data[role] for role in ROLES
            if isinstance(data.get(role), str) and parse_hash(data[role])}


def write_pin_file(path: str | Path, role: str, stored: str | None) -> Path:
    """Set (or with None, remove) one role's hash; the file is replaced atomically, mode 0600."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = read_pin_file(path)
    if stored is None:
        data.pop(role, None)
    else:
        if parse_hash(stored) is None:
            raise ValueError("not a PIN hash")
        data[role] = stored
    write_json(path, data, permissions=0o600)
    return path


def configured_pins(config) -> dict[str, str]:
    """Role → hash for this machine: kiosk.yaml's hashes, replaced by the PIN file's."""
    pins: dict[str, str] = {}
    admin = config.admin
    for role, stored in (("admin", getattr(admin, "pin_hash", None)),
                         ("guide", getattr(admin, "guide_pin_hash", None))):
        if stored and parse_hash(stored):
            pins[role] = stored
    pins.update(read_pin_file(pin_file_path(config)))
    return pins


# ------------------------------------------------------------------ the gate
@dataclass(frozen=True)
class PinResult:
    ok: bool
    role: str | None = None  # "admin" or "guide" when ok
    wait: float = 0.0  # seconds before the next try is accepted


class PinGate:
    """Checks PINs typed on the screen, slowing down whoever guesses.

    After :data:`FREE_ATTEMPTS` wrong PINs every further wrong PIN locks the
    pad for :data:`FIRST_LOCK` seconds, doubled each time (at most
    :data:`MAX_LOCK`). A right PIN clears the count. While locked, nothing is
    checked at all. ``clock`` gives monotonic seconds (the Kivy Clock in the app).
    """

    def __init__(self, pins: dict[str, str], clock=time.monotonic):
        self.pins = {role: h for role, h in pins.items() if role in ROLES and parse_hash(h)}
        self.clock = clock
        self.failures = 0
        self.locked_until = 0.0

    @property
    def configured(self) -> bool:
        return bool(self.pins)

    def locked_for(self) -> float:
        return max(0.0, self.locked_until - self.clock())

    def check(self, pin: str) -> PinResult:
        wait = self.locked_for()
        if wait > 0:
            return PinResult(False, None, wait)
        role = None
        for name in ROLES:  # every stored hash is tried, so timing does not tell which matched
            if name in self.pins and verify_pin(pin, self.pins[name]) and role is None:
                role = name
        if role is not None:
            self.failures = 0
            self.locked_until = 0.0
            return PinResult(True, role, 0.0)
        self.failures += 1
        extra = self.failures - FREE_ATTEMPTS
        if extra > 0:
            self.locked_until = self.clock() + min(MAX_LOCK, FIRST_LOCK * 2 ** (extra - 1))
        return PinResult(False, None, self.locked_for())


# ------------------------------------------------------------------ kiosk pin
def _read_new_pin(stream) -> str:
    """Ask twice on a terminal; read one line from a pipe (for scripts)."""
    import getpass

    if stream.isatty():
        first = getpass.getpass("新密码 New PIN (4-12 digits): ")
        again = getpass.getpass("再输入一次 Again: ")
        if first != again:
            raise PinError("the two PINs differ", "两次输入的密码不一致")
        return check_pin_format(first)
    return check_pin_format(stream.readline())


def _refuse_the_other_roles_pin(pin: str, role: str, config, path: Path) -> None:
    """The guide PIN must differ from the staff PIN (else one PIN would open both menus)."""
    others = configured_pins(config)
    others.update(read_pin_file(path))
    other = "guide" if role == "admin" else "admin"
    if verify_pin(pin, others.get(other)):
        if role == "guide":
            raise PinError("the guide PIN must differ from the staff PIN; choose another",
                           "讲解员密码不能与管理密码相同，请换一个")
        raise PinError("the staff PIN must differ from the guide PIN; choose another",
                       "管理密码不能与讲解员密码相同，请换一个")


def pins_fingerprint(pins: dict[str, str]) -> str:
    """A short digest of the stored hashes: it changes whenever any PIN is set or removed."""
    text = "\n".join(f"{role}={pins.get(role, '')}" for role in ROLES)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def pin_command(config_path: str | None, *, guide: bool = False, clear: bool = False,
                print_hash: bool = False, file: str | None = None, stdin=None, out=None) -> int:
    """``kiosk pin``: store the staff (or guide) PIN as a salted hash. Returns the exit code."""
    import sys

    from kiosk.config import load_config

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    role = "guide" if guide else "admin"
    name = ("讲解员密码", "guide PIN") if guide else ("管理密码", "staff PIN")
    config, _ = load_config(config_path)
    path = Path(file).expanduser() if file else pin_file_path(config)
    try:
        if clear:
            write_pin_file(path, role, None)
            print(f"已删除{name[0]} / {name[1]} removed: {path}", file=out)
            return 0
        pin = _read_new_pin(stdin)
        _refuse_the_other_roles_pin(pin, role, config, path)
        stored = hash_pin(pin)
        if print_hash:
            key = "guide_pin_hash" if guide else "pin_hash"
            print(f'# kiosk.yaml, under admin:\n  {key}: "{stored}"', file=out)
            return 0
        write_pin_file(path, role, stored)
    except PinError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"错误：无法写入 {path} / error: cannot write {path}: {exc}", file=sys.stderr)
        return 1
    print(f"已保存{name[0]}（只保存加盐散列值）/ {name[1]} saved (as a salted hash only): {path}",
          file=out)
    return 0
