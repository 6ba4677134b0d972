"""The guide's remote seen from the network: a phone signs in and drives the tour; a
stranger on the same network gets nowhere (wrong PINs, missing and forged tokens,
oversized bodies, paths out of the page, many slow connections). Real sockets on
loopback; the kiosk's side is a stand-in that records the commands."""

from __future__ import annotations

import http.client
import json
import socket
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

from kiosk.pin import FREE_ATTEMPTS, hash_pin, write_pin_file
from kiosk.remote.server import MAX_BODY, MAX_PER_CLIENT, RemoteServer

STAFF, GUIDE = "2468", "13579"
TOURS = [{"id": "walk", "title": {"zh": "测试路线", "en": "Test walk"}, "steps": 3}]


class Kiosk:
    """Stands in for the app: carries commands out at once and says what the tour shows."""

    def __init__(self, picture: Path | None = None):
        self.commands = []
        self.state = {"mode": "browse", "tour": None, "step": 0, "steps": 0, "title": "",
                      "talking_points": "", "tours": TOURS}
        self.picture = picture
        self.server = None

    def submit(self, command):
        self.commands.append(command)
        future = Future()
        if command["action"] == "start":
            self.state.update(mode="tour", tour=command["tour"], step=1, steps=3,
                              title="第一站", talking_points="讲解词一")
        elif self.state["tour"] is None:
            future.set_result((False, ("no tour is running", "当前没有进行中的讲解"), None))
            return future
        elif command["action"] == "next":
            self.state.update(step=self.state["step"] + 1, title="第二站",
                              talking_points="讲解词二")
        future.set_result((True, None, dict(self.state)))  # then publish, as the app does
        self.server.publish(self.state, [self.picture] * 3)
        return future


@pytest.fixture
def pins(tmp_path):
    path = tmp_path / "pins.json"
    write_pin_file(path, "admin", hash_pin(STAFF, n=2**10))
    write_pin_file(path, "guide", hash_pin(GUIDE, n=2**10))
    return path


@pytest.fixture
def remote(pins, tmp_path):
    from kiosk.pin import read_pin_file

    picture = tmp_path / "photo.jpg"
    from PIL import Image

    Image.new("RGB", (1600, 1200), (200, 30, 30)).save(picture)
    kiosk = Kiosk(picture)
    server = RemoteServer("127.0.0.1", 0, pins_provider=lambda: read_pin_file(pins),
                          submit=kiosk.submit, request_seconds=1.0)
    kiosk.server = server
    server.start()
    server.publish(kiosk.state)
    server.kiosk = kiosk
    yield server
    server.stop()


def call(server, method, path, body=None, token=None, source="127.0.0.1", headers=None,
         raw: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10,
                                      source_address=(source, 0))
    send = dict(headers or {})
    if token:
        send["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None:
        send.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=send)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    try:
        parsed = json.loads(payload)
    except ValueError:
        parsed = payload
    return response.status, parsed, response


def sign_in(server, pin=GUIDE, source="127.0.0.1"):
    status, body, _ = call(server, "POST", "/api/session", {"pin": pin}, source=source)
    assert status == 200, body
    return body["token"]


def test_a_phone_signs_in_picks_a_tour_and_moves_it(remote):
    status, page, response = call(remote, "GET", "/")
    assert status == 200 and b"remote.js" in page
    assert "Set-Cookie" not in response.headers  # no cookies at all
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Server"] == "kiosk"
    token = sign_in(remote)
    assert call(remote, "GET", "/api/tours", token=token)[1] == {"tours": TOURS}
    status, state, _ = call(remote, "POST", "/api/command", {"action": "start", "tour": "walk"},
                            token=token)
    assert status == 200 and state["tour"] == "walk" and state["step"] == 1
    status, state, _ = call(remote, "POST", "/api/command", {"action": "next"}, token=token)
    assert state["step"] == 2
    state = call(remote, "GET", "/api/state", token=token)[1]
    assert {k: state[k] for k in ("mode", "tour", "step", "steps", "title", "talking_points")} \
        == {"mode": "tour", "tour": "walk", "step": 2, "steps": 3, "title": "第二站",
            "talking_points": "讲解词二"}
    status, picture, response = call(remote, "GET", "/api/thumbnail?step=2", token=token)
    assert status == 200 and response.headers["Content-Type"] == "image/jpeg"
    assert picture[:2] == b"\xff\xd8" and len(picture) < 200_000  # made small for a phone
    assert remote.kiosk.commands == [{"action": "start", "tour": "walk"}, {"action": "next"}]


def test_the_staff_pin_signs_in_too_and_bad_commands_are_refused(remote):
    token = sign_in(remote, STAFF)
    for body, status in [({"action": "jump"}, 400), ({"action": "goto", "step": "2"}, 400),
                         ({"action": "start", "tour": "../../etc"}, 404),
                         ({"action": "next"}, 409)]:  # no tour running yet
        got, answer, _ = call(remote, "POST", "/api/command", body, token=token)
        assert got == status, body
        assert answer["error"] and answer["error_zh"]
    assert call(remote, "POST", "/api/command", raw=b"not json", token=token)[0] == 400


def test_every_api_call_without_a_valid_token_answers_401(remote):
    good = sign_in(remote)
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    calls = [("GET", "/api/state"), ("GET", "/api/tours"), ("GET", "/api/events"),
             ("GET", "/api/thumbnail?step=1"), ("POST", "/api/command"),
             ("DELETE", "/api/session"), ("GET", "/api/anything"), ("PUT", "/api/state")]
    for token in (None, forged, "x" * 1500, "", good + "x"):
        for method, path in calls:
            body = {"action": "next"} if method == "POST" else None
            status, answer, response = call(remote, method, path, body, token=token)
            assert status == 401, (method, path, token)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    status, _, _ = call(remote, "GET", "/api/state", headers={"Authorization": f"Basic {good}"})
    assert status == 401
    assert remote.kiosk.commands == []
    # signing out ends the token
    assert call(remote, "DELETE", "/api/session", token=good)[0] == 200
    assert call(remote, "GET", "/api/state", token=good)[0] == 401


def test_wrong_pins_lock_out_that_client_only(remote):
    stranger = "127.0.0.2"
    for _ in range(FREE_ATTEMPTS):
        status, answer, _ = call(remote, "POST", "/api/session", {"pin": "0000"}, source=stranger)
        assert status == 401 and answer["error_zh"] == "密码不正确"
    status, answer, _ = call(remote, "POST", "/api/session", {"pin": "0000"}, source=stranger)
    assert status == 429 and answer["wait"] >= 30
    # locked: even the right PIN is not checked from there
    assert call(remote, "POST", "/api/session", {"pin": GUIDE}, source=stranger)[0] == 429
    for pin in (None, 1234, "", "１２３４", "1" * 5000):
        status = call(remote, "POST", "/api/session", {"pin": pin}, source="127.0.0.3")[0]
        assert status in (401, 413, 429)
    # the guide's phone elsewhere on the network is not locked out by the stranger
    assert sign_in(remote, GUIDE, source="127.0.0.1")


def test_guesses_sent_all_at_once_get_no_more_tries(remote):
    from concurrent.futures import ThreadPoolExecutor

    def guess(n):
        return call(remote, "POST", "/api/session", {"pin": f"{1000 + n}"}, source="127.0.0.4")[0]

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(guess, range(10)))
    assert answers.count(401) == FREE_ATTEMPTS and answers.count(429) == 10 - FREE_ATTEMPTS


def test_tokens_expire_and_all_end_when_a_pin_changes(remote, pins):
    token = sign_in(remote)
    assert call(remote, "GET", "/api/state", token=token)[0] == 200
    start = time.monotonic()
    remote.tokens.clock = lambda: start + 4 * 3600 + 1  # four hours later
    assert call(remote, "GET", "/api/state", token=token)[0] == 401
    remote.tokens.clock = time.monotonic
    first, second = sign_in(remote), sign_in(remote, STAFF)
    write_pin_file(pins, "guide", hash_pin("97531", n=2**10))  # `kiosk pin --guide`
    for token in (first, second):
        assert call(remote, "GET", "/api/state", token=token)[0] == 401
    assert call(remote, "POST", "/api/session", {"pin": GUIDE})[0] == 401  # the old PIN
    assert sign_in(remote, "97531")


def test_oversized_bodies_are_refused_without_being_read(remote):
    token = sign_in(remote)
    big = json.dumps({"action": "next", "pad": "x" * (MAX_BODY * 4)}).encode()
    status, answer, _ = call(remote, "POST", "/api/command", raw=big, token=token)
    assert status == 413
    status, _, _ = call(remote, "POST", "/api/session", raw=json.dumps({"pin": "1" * MAX_BODY * 2}).encode())
    assert status == 413
    # a body announced as 1 GB: refused at once, nothing waits for it
    with socket.create_connection(("127.0.0.1", remote.port), timeout=5) as s:
        s.sendall(f"POST /api/command HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                  "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{".encode())
        t0 = time.monotonic()
        answer = s.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413") and time.monotonic() - t0 < 3.0
    # chunked, no length given: stopped once it passes the limit
    with socket.create_connection(("127.0.0.1", remote.port), timeout=5) as s:
        s.sendall(f"POST /api/command HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"x" * 1024
        try:
            for _ in range(64):
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass
        assert s.recv(4096).startswith(b"HTTP/1.1 413")
    # a very long header line
    status = call(remote, "GET", "/", headers={"X-Junk": "y" * 20000})[0]
    assert status in (400, 431)
    assert remote.kiosk.commands == []


def raw_get(server, target: str) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_nothing_but_the_page_is_served(remote):
    token = sign_in(remote)
    secrets_on_disk = (b"scrypt$", b"def ", b"import ", b"root:", b"steps:")
    for target in ["/../pins.json", "/%2e%2e/%2e%2e/etc/passwd", "/remote.js/../../server.py",
                   "/..%2f..%2fkiosk.yaml", "//etc/passwd", "/page/index.html",
                   "/content/site.yaml", "/kiosk/remote/server.py", "/remote.js%00.html",
                   "/static/../../auth.py", "/index.html", "/.git/config"]:
        answer = raw_get(remote, target)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.split()[1] in (b"400", b"404"), target
        assert not any(s in body for s in secrets_on_disk), target
    # thumbnails: only by stop number of the current tour, never by path
    call(remote, "POST", "/api/command", {"action": "start", "tour": "walk"}, token=token)
    for query in ("step=../../etc/passwd", "step=0", "step=4", "step=-1", "path=/etc/passwd"):
        status, _, _ = call(remote, "GET", f"/api/thumbnail?{query}", token=token)
        assert status in (400, 404) or query.startswith("path"), query


def test_many_slow_connections_are_bounded_and_dropped(remote):
    """A client that opens many connections and sends its headers a byte at a time: at most
    MAX_PER_CLIENT are kept, each for at most the request time limit (1 s here)."""
    slow = []
    for _ in range(MAX_PER_CLIENT * 3):
        s = socket.create_connection(("127.0.0.1", remote.port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the end of the headers
        slow.append(s)
    time.sleep(0.3)
    open_now = 0
    for s in slow:
        s.setblocking(False)
        try:
            open_now += s.recv(1) != b""
        except BlockingIOError:
            open_now += 1  # still open, waiting
        except OSError:
            pass
    assert open_now <= MAX_PER_CLIENT
    # meanwhile the guide's phone, at another address, is served
    assert sign_in(remote, GUIDE, source="127.0.0.2")
    time.sleep(1.5)  # past the time limit: every slow one is gone
    for s in slow:
        s.setblocking(True)
        s.settimeout(2)
        try:
            assert s.recv(1) == b""
        except OSError:
            pass
        s.close()
    assert remote._open <= 1
    assert call(remote, "GET", "/")[0] == 200


def test_a_request_sent_slowly_on_a_kept_connection_is_dropped(remote):
    with socket.create_connection(("127.0.0.1", remote.port), timeout=5) as s:
        s.sendall(b"GET /remote.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        time.sleep(0.2)
        assert s.recv(65536).startswith(b"HTTP/1.1 200")
        t0 = time.monotonic()
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the rest never comes
        while s.recv(65536):
            pass
        assert time.monotonic() - t0 < 3.0  # dropped at the 1-second limit


def test_a_page_under_another_name_is_refused(remote):
    """DNS rebinding: a web page elsewhere points its own name at the kiosk's address."""
    for path, method, body in (("/", "GET", None), ("/api/session", "POST", {"pin": GUIDE})):
        status, answer, _ = call(remote, method, path, body, headers={"Host": "evil.example:8080"})
        assert status == 400 and "address" in answer["error"]
    assert call(remote, "GET", "/", headers={"Host": f"127.0.0.1:{remote.port}"})[0] == 200
    assert call(remote, "GET", "/", headers={"Host": "localhost"})[0] == 200


def test_it_listens_only_on_the_configured_address(remote):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", remote.port), timeout=2).close()


def read_events(server, token, count, timeout=5.0):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    sock.sendall(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
                 .encode())
    return sock


def events_in(sock, until: int, timeout=5.0) -> list[dict]:
    data = b""
    end = time.monotonic() + timeout
    while data.count(b"event: state") < until and time.monotonic() < end:
        data += sock.recv(65536)
    found = []
    for block in data.split(b"\n\n"):
        for line in block.split(b"\n"):
            if line.startswith(b"data: ") and b"event: state" in block:
                found.append(json.loads(line[6:]))
    return found


def test_two_phones_see_the_same_state_pushed(remote):
    first, second = sign_in(remote), sign_in(remote, STAFF)
    a, b = read_events(remote, first, 1), read_events(remote, second, 1)
    try:
        assert events_in(a, 1)[0]["tour"] is None and events_in(b, 1)[0]["tour"] is None
        deadline = time.monotonic() + 5
        while remote.phones < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert remote.phones == 2
        call(remote, "POST", "/api/command", {"action": "start", "tour": "walk"}, token=first)
        call(remote, "POST", "/api/command", {"action": "next"}, token=second)
        seen_a, seen_b = events_in(a, 2), events_in(b, 2)
        assert seen_a[-1]["step"] == seen_b[-1]["step"] == 2
        assert seen_a[-1]["talking_points"] == "讲解词二"
    finally:
        a.close()
        b.close()
    deadline = time.monotonic() + 5
    while remote.phones and time.monotonic() < deadline:
        time.sleep(0.02)
    assert remote.phones == 0
