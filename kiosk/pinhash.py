"""A PIN's salted hash: made, read back and checked (scrypt, compared in constant time).

Used by :mod:`kiosk.pin` (storing PINs, the lock-out) and by :mod:`kiosk.config` (a hash
written in kiosk.yaml is checked at load). Plain Python, no Kivy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

SCHEME = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
HASH_BYTES = 32
PIN_PATTERN = re.compile(r"^[0-9]{4,12}$")


class PinError(ValueError):
    """A PIN that cannot be used, with the reason in Chinese and English."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def check_pin_format(pin: str) -> str:
    """The PIN itself if it is 4 to 12 digits; otherwise :class:`PinError`."""
    pin = (pin or "").strip()
    if not PIN_PATTERN.match(pin):
        raise PinError("a PIN is 4 to 12 digits (0-9)", "密码须为 4 到 12 位数字（0-9）")
    return pin


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * r * (n + p + 2) + 1024 * 1024, dklen=HASH_BYTES)


def hash_pin(pin: str, *, n: int = SCRYPT_N) -> str:
    """``scrypt$N$r$p$SALT$HASH`` for a valid PIN, with a fresh random salt."""
    pin = check_pin_format(pin)
    salt = secrets.token_bytes(16)
    digest = _derive(pin, salt, n, SCRYPT_R, SCRYPT_P)
    return f"{SCHEME}${n}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    """The parameters of a stored hash, or None if it is not one this module wrote."""
    parts = str(stored or "").strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if n < 2 or n & (n - 1) or n > 2**20 or not 1 <= r <= 32 or not 1 <= p <= 16:
        return None
    if len(salt) < 8 or len(digest) != HASH_BYTES:
        return None
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches ``stored`` (compared in constant time). A bad hash never matches."""
    parsed = parse_hash(stored) if stored else None
    if parsed is None or not isinstance(pin, str):
        return False
    n, r, p, salt, digest = parsed
    candidate = _derive(pin.strip(), salt, n, r, p)
    return hmac.compare_digest(candidate, digest)
