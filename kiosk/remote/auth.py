"""Signing in from a phone: the same PIN check as the on-screen pad, counted per client,
and short random tokens that expire and all end when a PIN changes.

Plain Python, no Kivy and no asyncio: the server calls these from its thread.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from kiosk.pin import PinGate, PinResult, pins_fingerprint

MAX_CLIENTS = 256  # addresses whose wrong PINs are remembered (the oldest unlocked go first)
MAX_TOKENS = 64  # phones signed in at once; the oldest sign-in ends first


class ClientGates:
    """One :class:`kiosk.pin.PinGate` per client address: a guesser on the network is
    locked out as the on-screen pad locks a guesser at the screen, without locking the
    guide's own phone out."""

    def __init__(self, pins_provider, clock=time.monotonic):
        self.pins_provider = pins_provider  # () -> role → hash, read again at every try
        self.clock = clock
        self._gates: OrderedDict[str, PinGate] = OrderedDict()
        self._lock = threading.Lock()
        self._checking = threading.Lock()  # one PIN at a time: no guesses racing the count

    def gate(self, client: str) -> PinGate:
        with self._lock:
            gate = self._gates.get(client)
            if gate is None:
                while len(self._gates) >= MAX_CLIENTS:
                    self._forget_one()
                gate = self._gates[client] = PinGate({}, clock=self.clock)
            self._gates.move_to_end(client)
            return gate

    def _forget_one(self) -> None:
        for client, gate in self._gates.items():
            if gate.locked_for() <= 0:
                del self._gates[client]
                return
        self._gates.popitem(last=False)

    def check(self, client: str, pin: str) -> tuple[PinResult, str]:
        """The result and the PIN set's fingerprint it was checked against."""
        pins = self.pins_provider()
        gate = self.gate(client)
        gate.pins = PinGate(pins).pins
        if not gate.configured:
            return PinResult(False, None, 0.0), pins_fingerprint(pins)
        with self._checking:
            return gate.check(pin if isinstance(pin, str) else ""), pins_fingerprint(pins)


@dataclass
class Token:
    role: str
    client: str
    expires: float
    pins: str  # fingerprint of the PINs when it was given


class TokenStore:
    """Random bearer tokens held in memory only (a restart signs every phone out)."""

    def __init__(self, lifetime: float, pins_provider, clock=time.monotonic):
        self.lifetime = lifetime
        self.pins_provider = pins_provider
        self.clock = clock
        self._tokens: OrderedDict[str, Token] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, role: str, client: str, fingerprint: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            while len(self._tokens) >= MAX_TOKENS:
                self._tokens.popitem(last=False)
            self._tokens[token] = Token(role, client, self.clock() + self.lifetime, fingerprint)
        return token

    def check(self, token: str | None) -> Token | None:
        """The token's record if it is valid now; expired tokens and tokens given before a
        PIN changed are dropped."""
        if not token or not isinstance(token, str) or len(token) > 128:
            return None
        fingerprint = pins_fingerprint(self.pins_provider())
        now = self.clock()
        with self._lock:
            found = None
            for key in list(self._tokens):  # compare every one, in constant time each
                record = self._tokens[key]
                if record.expires <= now or record.pins != fingerprint:
                    del self._tokens[key]
                    continue
                if hmac.compare_digest(key.encode(), token.encode()):
                    found = record
            return found

    def revoke(self, token: str) -> None:
        with self._lock:
            self._tokens.pop(token, None)

    def __len__(self) -> int:
        return len(self._tokens)
