"""The guide's phone and the kiosk together: the real app with its remote on loopback.
A phone signs in, starts a tour and moves it; the clicker and the phone move the same
tour; while a phone listens the talking points stay off the public screen; the tour menu
shows the remote's address as a QR code; each PIN opens only its own menu."""

from __future__ import annotations

import http.client
import io
import json
import socket
import threading
import time

import pytest
from conftest import FIXTURES

from kiosk.config import AdminConfig, RemoteConfig
from kiosk.pin import hash_pin, pin_command, write_pin_file

WALK = FIXTURES / "tour-basic"
STAFF, GUIDE = "2468", "13579"


def start(kiosk, tmp_path, remote=True):
    pins = tmp_path / "pins.json"
    write_pin_file(pins, "admin", hash_pin(STAFF, n=2**10))
    write_pin_file(pins, "guide", hash_pin(GUIDE, n=2**10))
    app = kiosk.start(WALK, admin=AdminConfig(pin_file=str(pins)),
                      remote=RemoteConfig(enabled=remote, host="127.0.0.1", port=0))
    return app


def pump_until(kiosk, done, seconds=10.0):
    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "timed out"
        kiosk.frames(1)
        time.sleep(0.005)


def phone_call(kiosk, method, path, body=None, token=None):
    """An HTTP call from a phone, while the kiosk keeps drawing frames."""
    port = kiosk.app.tour_control.remote.server.port
    result = {}

    def go():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        response = conn.getresponse()
        result["status"], result["body"] = response.status, json.loads(response.read())
        conn.close()

    thread = threading.Thread(target=go)
    thread.start()
    pump_until(kiosk, lambda: not thread.is_alive())
    return result["status"], result["body"]


def sign_in(kiosk, pin=GUIDE):
    status, body = phone_call(kiosk, "POST", "/api/session", {"pin": pin})
    assert status == 200, body
    return body["token"]


class Phone:
    """A phone listening for the tour's state (the page's event stream)."""

    def __init__(self, kiosk, token):
        port = kiosk.app.tour_control.remote.server.port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=0.05)
        self.sock.sendall(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          f"Authorization: Bearer {token}\r\n\r\n".encode())
        self.data = b""

    def states(self) -> list[dict]:
        try:
            while chunk := self.sock.recv(65536):
                self.data += chunk
        except (TimeoutError, BlockingIOError):
            pass
        found = []
        for block in self.data.split(b"\n\n"):
            if b"event: state" in block:
                line = next(x for x in block.split(b"\n") if x.startswith(b"data: "))
                found.append(json.loads(line[6:]))
        return found

    def close(self):
        self.sock.close()


def test_the_remote_is_off_unless_switched_on(kiosk, tmp_path):
    app = start(kiosk, tmp_path, remote=False)
    assert not app.tour_control.remote.running
    assert app.tour_control.remote.address is None


def test_a_phone_starts_the_tour_and_moves_it_with_the_clicker(kiosk, tmp_path):
    app = start(kiosk, tmp_path)
    token = sign_in(kiosk)
    status, state = phone_call(kiosk, "GET", "/api/state", token=token)
    assert status == 200 and state["mode"] == "browse" and state["tour"] is None
    status, tours = phone_call(kiosk, "GET", "/api/tours", token=token)
    assert {t["id"] for t in tours["tours"]} == {"walk", "short"}
    status, state = phone_call(kiosk, "POST", "/api/command", {"action": "start", "tour": "walk"},
                         token=token)
    assert status == 200 and kiosk.route == "tour/walk/1"
    assert state == {**state, "mode": "tour", "tour": "walk", "step": 1, "steps": 5,
                     "title": "开场", "talking_points": "欢迎各位来宾，这里是**序厅**。"}
    phone = Phone(kiosk, token)
    kiosk.settle()
    kiosk.key("pagedown")  # the clicker
    kiosk.settle()
    pump_until(kiosk, lambda: phone.states() and phone.states()[-1]["step"] == 2)
    assert phone.states()[-1]["title"] == "第一站"
    phone_call(kiosk, "POST", "/api/command", {"action": "goto", "step": 4}, token=token)
    kiosk.settle()
    assert kiosk.status()["tour"]["step"] == 4
    status, body = phone_call(kiosk, "POST", "/api/command", {"action": "goto", "step": 9},
                        token=token)
    assert status == 409 and kiosk.status()["tour"]["step"] == 4
    phone_call(kiosk, "POST", "/api/command", {"action": "prev"}, token=token)
    phone_call(kiosk, "POST", "/api/command", {"action": "blank"}, token=token)
    assert kiosk.status()["tour"] == {**kiosk.status()["tour"], "step": 3, "blanked": True}
    assert kiosk.screen.ids.blank.opacity == 1
    phone_call(kiosk, "POST", "/api/command", {"action": "pause"}, token=token)
    assert kiosk.status()["tour"]["paused"]
    status, state = phone_call(kiosk, "POST", "/api/command", {"action": "end"}, token=token)
    assert status == 200 and state["mode"] == "browse" and state["tour"] is None
    kiosk.settle()
    assert kiosk.route == "home" and app.tour_control.run is None
    pump_until(kiosk, lambda: phone.states()[-1]["tour"] is None)
    phone.close()


def test_while_a_phone_listens_the_talking_points_stay_off_the_screen(kiosk, tmp_path):
    app = start(kiosk, tmp_path)
    app.start_tour("walk")
    kiosk.settle()
    screen = kiosk.screen
    assert screen.ids.notes.opacity == 1  # no phone: the drawer as before
    phone = Phone(kiosk, sign_in(kiosk))
    pump_until(kiosk, lambda: app.tour_control.remote.phones == 1)
    kiosk.frames(3)
    assert screen.ids.notes.opacity == 0 and screen.ids.notes.disabled
    kiosk.key("n")
    kiosk.settle()
    assert not screen.notes_open and screen.ids.drawer.opacity == 0
    assert not any("欢迎各位来宾" in t for t in kiosk.texts(screen))
    assert "序厅" in phone.states()[-1]["talking_points"]  # on the phone instead
    phone.close()
    pump_until(kiosk, lambda: app.tour_control.remote.phones == 0)
    kiosk.frames(3)
    assert screen.ids.notes.opacity == 1
    kiosk.tap(screen.ids.notes)
    assert screen.notes_open and screen.ids.drawer.opacity == 1


# ------------------------------------------------------------- the tour menu
from test_tour_admin import hold_corner, panel, type_pin  # noqa: E402


def test_the_tour_menu_shows_the_remote_address_as_a_qr_code(kiosk, tmp_path):
    app = start(kiosk, tmp_path)
    hold_corner(kiosk)
    type_pin(kiosk, GUIDE)
    p = panel(kiosk)
    from kiosk.ui.admin_panel import RemoteQR

    qr = kiosk.widgets(RemoteQR, p)
    address = f"http://127.0.0.1:{app.tour_control.remote.server.port}/"
    assert len(qr) == 1 and qr[0].address == address
    kiosk.find_text(address.rstrip("/"), p)  # written out too, for typing
    code = qr[0].ids.code
    assert code.texture is not None and code.texture.size[0] == code.texture.size[1] > 100


def test_a_port_already_taken_is_told_in_the_tour_menu(kiosk, tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        pins = tmp_path / "pins.json"
        write_pin_file(pins, "guide", hash_pin(GUIDE, n=2**10))
        app = kiosk.start(WALK, admin=AdminConfig(pin_file=str(pins)),
                          remote=RemoteConfig(enabled=True, host="127.0.0.1", port=port))
        assert not app.tour_control.remote.running  # the kiosk itself runs on
        hold_corner(kiosk)
        type_pin(kiosk, GUIDE)
        texts = kiosk.texts(panel(kiosk).ids.remote_box)
        assert len(texts) == 1 and texts[0].startswith("讲解遥控未能启动（127.0.0.1:")
    finally:
        taken.close()


def test_no_qr_code_when_the_remote_is_off(kiosk, tmp_path):
    start(kiosk, tmp_path, remote=False)
    hold_corner(kiosk)
    type_pin(kiosk, GUIDE)
    assert not panel(kiosk).ids.remote_box.children


def test_each_pin_opens_only_its_own_menu(kiosk, tmp_path):
    from kiosk.ui.widgets.adminpanel import AdminSections

    start(kiosk, tmp_path, remote=False)
    hold_corner(kiosk)
    type_pin(kiosk, GUIDE)
    p = panel(kiosk)
    assert p.role == "guide"
    assert not kiosk.widgets(AdminSections, p)  # no reload, figures, screen test, exit
    texts = kiosk.texts(p)
    assert "讲解模式" in texts and "管理面板" not in texts
    assert not any(t in texts for t in ("立即重新载入", "退出到桌面"))
    p.close()
    kiosk.frames(2)
    hold_corner(kiosk)
    type_pin(kiosk, STAFF)
    p = panel(kiosk)
    assert p.role == "admin" and len(kiosk.widgets(AdminSections, p)) == 1
    assert "管理面板" in kiosk.texts(p)


@pytest.mark.parametrize("guide", [True, False])
def test_kiosk_pin_refuses_the_same_pin_for_both_roles(tmp_path, guide):
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"admin:\n  pin_file: {tmp_path / 'pins.json'}\n", encoding="utf-8")
    first, second = ("2468", "13579") if guide else ("13579", "2468")
    assert pin_command(str(config), guide=not guide, stdin=io.StringIO(f"{first}\n"),
                       out=io.StringIO()) == 0
    assert pin_command(str(config), guide=guide, stdin=io.StringIO(f"{first}\n"),
                       out=io.StringIO()) == 2  # the other role's PIN: refused
    assert pin_command(str(config), guide=guide, stdin=io.StringIO(f"{second}\n"),
                       out=io.StringIO()) == 0


def test_while_the_guide_talks_the_next_stop_is_made_ready(kiosk, tmp_path):
    app = start(kiosk, tmp_path, remote=False)
    app.start_tour("walk")
    kiosk.advance(1.0)
    assert app.manager.has_screen("tour/walk/2")  # built unseen
    prepared = app.manager.get_screen("tour/walk/2")
    assert kiosk.route == "tour/walk/1"
    # laid out unseen at the size it is shown at, its text set: "next" has only to draw it
    from kivy.core.window import Window

    assert tuple(prepared.size) == tuple(Window.size) == tuple(app.manager.size)
    title = prepared.ids.step_title
    assert title.texture is not None and title.width > Window.width / 4
    kiosk.key("pagedown")
    kiosk.settle()
    assert kiosk.screen is prepared and kiosk.route == "tour/walk/2"
    assert kiosk.find_text("第一站", kiosk.screen.ids.bar)
    kiosk.key("end")
    kiosk.advance(1.0)
    assert not app.manager.has_screen("tour/walk/6")  # nothing after the last stop
