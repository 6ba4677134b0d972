"""The remote's web server: aiohttp on its own thread and asyncio loop, beside the Kivy loop.

What it serves, and nothing else: the page (three bundled files), the JSON API
under ``/api/`` (docs/guided-tours.md) and the thumbnails of the current tour's
stops, made from the content's pictures on request (never a path from the
URL). Every ``/api/`` call but signing in needs ``Authorization: Bearer
TOKEN``; there are no cookies.

The app talks to it from the Kivy main thread through two thread-safe calls:
:meth:`RemoteServer.publish` (the tour's new state, pushed to every phone as
a Server-Sent Event) and the ``submit`` callable it was given (a phone's
command, carried out on the main thread; it returns a
:class:`concurrent.futures.Future`).

Hostile clients are bounded: request bodies of at most :data:`MAX_BODY`
bytes, short header lines, :data:`REQUEST_SECONDS` to send a whole request,
at most :data:`MAX_CONNECTIONS` connections (:data:`MAX_PER_CLIENT` from one
address) and :data:`MAX_STREAMS` open event streams.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket
import threading
from collections import OrderedDict
from pathlib import Path

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from kiosk.remote.auth import ClientGates, TokenStore

log = logging.getLogger("kiosk.remote")

PAGE = Path(__file__).resolve().parent / "page"
FILES = {  # URL → (file in page/, type): the page is these and only these
    "/": ("index.html", "text/html; charset=utf-8"),
    "/remote.js": ("remote.js", "text/javascript; charset=utf-8"),
    "/remote.css": ("remote.css", "text/css; charset=utf-8"),
}
ACTIONS = ("start", "next", "prev", "goto", "blank", "pause", "end")
MAX_BODY = 4096  # bytes of a request body
MAX_LINE = 2048  # bytes of the request line and of each header
REQUEST_SECONDS = 10.0  # to send a whole request (headers and body)
KEEPALIVE_SECONDS = 15.0
COMMAND_SECONDS = 5.0  # for the kiosk to carry out a command
MAX_CONNECTIONS = 48
MAX_PER_CLIENT = 12
MAX_STREAMS = 16  # phones listening at once
PING_SECONDS = 15.0  # a comment line on each event stream, which also re-checks its token
THUMB_SIZE = 640
PIN_CHECKS = 2  # PINs checked at the same time
HEADERS = {
    "Server": "kiosk",  # not the web library and its version
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' blob:; connect-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
}


def page_address(host: str, port: int) -> str:
    """The page's address for a phone: the configured address, or for 0.0.0.0 (every
    network) this machine's address on the network that leads outwards."""
    if host in ("0.0.0.0", "::", ""):
        host = _lan_address() or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _lan_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent: this only picks a route
            return s.getsockname()[0]
    except OSError:
        return None


class _Guarded(RequestHandler):
    """aiohttp's connection handler with a cap on connections and a deadline for requests:
    a new connection, and each request from its first byte, has ``request_seconds`` to
    be sent whole; between requests aiohttp's keep-alive time limit applies."""

    def connection_made(self, transport):
        super().connection_made(transport)
        remote: RemoteServer = self._remote
        peer = transport.get_extra_info("peername")
        self._client = peer[0] if isinstance(peer, tuple) and peer else "?"
        self._deadline = None
        self._busy = False
        counts = remote._clients
        if remote._open >= MAX_CONNECTIONS or counts.get(self._client, 0) >= MAX_PER_CLIENT:
            self._counted = False
            transport.abort()
            return
        self._counted = True
        remote._open += 1
        counts[self._client] = counts.get(self._client, 0) + 1
        self.arm()

    def connection_lost(self, exc):
        if getattr(self, "_counted", False):
            remote: RemoteServer = self._remote
            remote._open -= 1
            left = remote._clients.get(self._client, 1) - 1
            if left > 0:
                remote._clients[self._client] = left
            else:
                remote._clients.pop(self._client, None)
            self._counted = False
        self.disarm()
        super().connection_lost(exc)

    def data_received(self, data):
        if not getattr(self, "_busy", True) and getattr(self, "_deadline", None) is None:
            self.arm()  # the first bytes of a request: it must be whole in time
        super().data_received(data)

    def arm(self):
        """The client has REQUEST_SECONDS from now to send a whole request."""
        self.disarm()
        self._deadline = self._loop.call_later(self._remote.request_seconds, self._too_slow)

    def disarm(self):
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self):
        self._deadline = None
        if not self._busy and self.transport is not None:
            self.transport.abort()


class RemoteServer:
    """The web server, on a thread of its own. ``start()`` binds (or raises OSError)."""

    def __init__(self, host: str, port: int, *, pins_provider, submit, token_hours: float = 4.0,
                 on_phones=None, request_seconds: float = REQUEST_SECONDS):
        self.host = host
        self.port = port
        self.submit = submit  # dict -> concurrent.futures.Future of (ok, message, state)
        self.on_phones = on_phones  # called (on this server's thread) with the number of phones
        self.request_seconds = request_seconds
        self.gates = ClientGates(pins_provider)
        self.tokens = TokenStore(token_hours * 3600.0, pins_provider)
        self._state: dict = {"mode": "browse", "tour": None, "step": 0, "steps": 0, "title": "",
                             "talking_points": "", "tours": []}
        self._thumbs: list = []
        self._thumb_cache: OrderedDict = OrderedDict()
        self._thumb_lock = threading.Lock()  # thumbnails are made on the executor's threads
        self._changed: asyncio.Event | None = None
        self._streams = 0
        self._open = 0
        self._clients: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._closing = False

    # ------------------------------------------------------------ life
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kiosk-remote", daemon=True)
        self._thread.start()
        self._ready.wait(15)
        if self._error is not None:
            raise self._error
        log.info("remote listening on %s:%d", self.host, self.port)

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._thread = None

    @property
    def address(self) -> str:
        return page_address(self.host, self.port)

    @property
    def phones(self) -> int:
        return self._streams

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._setup())
        except BaseException as exc:  # the port is taken, the address is not this machine's...
            self._error = exc
            self._ready.set()
            loop.close()
            self._loop = None
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._teardown())
            loop.close()
            self._loop = None

    async def _setup(self) -> None:
        self._changed = asyncio.Event()
        self._checking = asyncio.Semaphore(PIN_CHECKS)
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._middleware],
                              handler_args={"max_line_size": MAX_LINE, "max_field_size": MAX_LINE,
                                            "keepalive_timeout": KEEPALIVE_SECONDS})
        app.router.add_get("/", self._page)
        app.router.add_get("/remote.js", self._page)
        app.router.add_get("/remote.css", self._page)
        app.router.add_post("/api/session", self._session)
        app.router.add_delete("/api/session", self._sign_out)
        app.router.add_get("/api/state", self._get_state)
        app.router.add_get("/api/tours", self._get_tours)
        app.router.add_post("/api/command", self._command)
        app.router.add_get("/api/events", self._events)
        app.router.add_get("/api/thumbnail", self._thumbnail)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     handler_cancellation=True,  # a phone gone: its stream ends
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        manager = self._runner.server
        kwargs = dict(manager._kwargs)
        remote = self

        def factory():
            handler = _Guarded(manager, loop=asyncio.get_running_loop(), **kwargs)
            handler._remote = remote
            return handler

        self._server = await asyncio.get_running_loop().create_server(
            factory, self.host, self.port, backlog=64, reuse_address=True)
        if self.port == 0:
            self.port = self._server.sockets[0].getsockname()[1]

    async def _teardown(self) -> None:
        self._closing = True
        self._wake()
        self._server.close()
        await self._runner.cleanup()

    # ---------------------------------------------------- from the main thread
    def publish(self, state: dict, thumbnails=()) -> None:
        """The tour's state changed (any thread): tell every phone."""
        loop = self._loop
        if loop is None:
            return
        state, thumbs = dict(state), list(thumbnails)

        def apply():
            if state == self._state and thumbs == self._thumbs:
                return
            self._state, self._thumbs = state, thumbs
            self._wake()

        try:
            loop.call_soon_threadsafe(apply)
        except RuntimeError:  # the loop just closed
            pass

    def _wake(self) -> None:
        old, self._changed = self._changed, asyncio.Event()
        if old is not None:
            old.set()

    # ------------------------------------------------------------ plumbing
    @web.middleware
    async def _middleware(self, request: web.Request, handler):
        protocol = request.protocol
        if isinstance(protocol, _Guarded):
            protocol._busy = True
            protocol.disarm()
        try:
            if request.path.startswith("/api/") and (
                    request.path != "/api/session" or request.method != "POST"):
                if self.tokens.check(_bearer(request)) is None:
                    raise _error(401, "sign in first", "请先登录")
            if not host_allowed(request.host):  # a web page elsewhere, renamed to this address
                raise _error(400, "open the remote by this machine's address",
                             "请用本机的 IP 地址打开讲解遥控")
            response = await handler(request)
        except ApiError as exc:
            response = exc.response()
        except web.HTTPException as exc:  # aiohttp's own: no such page, wrong method...
            response = ApiError(exc.status, exc.reason, exc.reason).response()
            if "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
        finally:
            if isinstance(protocol, _Guarded):  # idle between requests: aiohttp's keep-alive
                protocol._busy = False
                protocol.disarm()
        if not response.prepared:
            response.headers.update(HEADERS)
        return response

    async def _body(self, request: web.Request) -> dict:
        length = request.content_length
        if length is not None and length > MAX_BODY:
            raise _error(413, "request too large", "请求过大")
        try:
            raw = await asyncio.wait_for(request.read(), self.request_seconds)
        except web.HTTPRequestEntityTooLarge:  # no Content-Length, but too many bytes
            raise _error(413, "request too large", "请求过大") from None
        except TimeoutError:
            raise _error(408, "request too slow", "请求超时") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise _error(400, "the body should be JSON", "请求内容应为 JSON") from None
        if not isinstance(data, dict):
            raise _error(400, "the body should be a JSON object", "请求内容应为 JSON 对象")
        return data

    # ------------------------------------------------------------ handlers
    async def _page(self, request: web.Request) -> web.Response:
        name, kind = FILES[request.path]
        body = await asyncio.get_running_loop().run_in_executor(None, (PAGE / name).read_bytes)
        return web.Response(body=body, content_type=kind.split(";")[0], charset="utf-8")

    async def _session(self, request: web.Request) -> web.Response:
        data = await self._body(request)
        pin = data.get("pin")
        client = request.remote or "?"
        loop = asyncio.get_running_loop()
        async with self._checking:  # scrypt takes memory and time: a few at once, no more
            result, fingerprint = await loop.run_in_executor(
                None, self.gates.check, client, pin if isinstance(pin, str) else "")
        if result.ok:
            log.info("remote: a phone at %s signed in with the %s PIN", client, result.role)
            token = self.tokens.issue(result.role, client, fingerprint)
            return _json({"token": token, "role": result.role,
                          "expires_in": int(self.tokens.lifetime)})
        if result.wait > 0:
            log.warning("remote: wrong PINs from %s; locked for %.0f s", client, result.wait)
            raise _error(429, f"too many tries: try again in {int(result.wait + 0.999)} s",
                         f"尝试次数过多，请 {int(result.wait + 0.999)} 秒后再试",
                         wait=int(result.wait + 0.999))
        log.warning("remote: wrong PIN from %s", client)
        raise _error(401, "wrong PIN", "密码不正确")

    async def _sign_out(self, request: web.Request) -> web.Response:
        self.tokens.revoke(_bearer(request) or "")
        return _json({"ok": True})

    async def _get_state(self, request: web.Request) -> web.Response:
        return _json(self._public_state())

    async def _get_tours(self, request: web.Request) -> web.Response:
        return _json({"tours": self._state.get("tours", [])})

    def _public_state(self) -> dict:
        return {k: v for k, v in self._state.items() if k != "tours"}

    async def _command(self, request: web.Request) -> web.Response:
        data = await self._body(request)
        action = data.get("action")
        if action not in ACTIONS:
            raise _error(400, f"'action' should be one of {', '.join(ACTIONS)}",
                         f"'action' 应为 {', '.join(ACTIONS)} 之一")
        command = {"action": action}
        if action == "start":
            tour = data.get("tour")
            if not isinstance(tour, str) or tour not in {t["id"] for t in self._state["tours"]}:
                raise _error(404, "no such tour", "没有这条讲解路线")
            command["tour"] = tour
        if action == "goto":
            step = data.get("step")
            if isinstance(step, bool) or not isinstance(step, int):
                raise _error(400, "'step' should be a stop number (from 1)", "'step' 应为站号（从 1 开始）")
            command["step"] = step
        future = self.submit(command)
        try:
            ok, message, state = await asyncio.wait_for(asyncio.wrap_future(future), COMMAND_SECONDS)
        except TimeoutError:
            raise _error(503, "the kiosk did not answer", "大屏没有响应") from None
        if not ok:  # message: (English, 中文)
            raise _error(409, message[0], message[1])
        if state is not None:
            merged = {**self._state, **state}
            if merged != self._state:  # (the kiosk's own publish may come just after: no matter)
                self._state = merged
                self._wake()
        return _json(self._public_state())

    async def _events(self, request: web.Request) -> web.StreamResponse:
        token = _bearer(request)
        if self._streams >= MAX_STREAMS:
            raise _error(503, "too many phones", "连接的手机过多")
        response = web.StreamResponse(headers={**HEADERS, "Content-Type": "text/event-stream",
                                               "X-Accel-Buffering": "no"})
        await response.prepare(request)
        self._phones(+1)
        try:
            sent = None
            while not self._closing:
                changed = self._changed
                if self._state is not sent:
                    sent = self._state
                    data = json.dumps(self._public_state(), ensure_ascii=False)
                    await response.write(f"event: state\ndata: {data}\n\n".encode())
                try:
                    await asyncio.wait_for(changed.wait(), PING_SECONDS)
                except TimeoutError:
                    if self.tokens.check(token) is None:
                        await response.write(b"event: signed-out\ndata: {}\n\n")
                        break
                    await response.write(b": ping\n\n")
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._phones(-1)
        return response

    def _phones(self, change: int) -> None:
        self._streams += change
        if self.on_phones is not None:
            try:
                self.on_phones(self._streams)
            except Exception:  # the app's side must never stop the server
                log.exception("remote: phone count callback failed")

    async def _thumbnail(self, request: web.Request) -> web.Response:
        try:
            step = int(request.query.get("step", self._state.get("step") or 0))
        except ValueError:
            raise _error(400, "'step' should be a stop number", "'step' 应为站号") from None
        thumbs = self._thumbs
        if not 1 <= step <= len(thumbs) or thumbs[step - 1] is None:
            raise _error(404, "no picture for this stop", "这一站没有图片")
        path = Path(thumbs[step - 1])
        body = await asyncio.get_running_loop().run_in_executor(None, self._thumb_bytes, path)
        if body is None:
            raise _error(404, "no picture for this stop", "这一站没有图片")
        return web.Response(body=body, content_type="image/jpeg")

    def _thumb_bytes(self, path: Path) -> bytes | None:
        try:
            key = (str(path), path.stat().st_mtime_ns)
        except OSError:
            return None
        with self._thumb_lock:
            cached = self._thumb_cache.get(key)
        if cached is not None:
            return cached
        try:
            from PIL import Image, ImageOps

            with Image.open(path) as im:
                im.draft("RGB", (THUMB_SIZE, THUMB_SIZE))
                im = ImageOps.exif_transpose(im).convert("RGB")
                im.thumbnail((THUMB_SIZE, THUMB_SIZE))
                out = io.BytesIO()
                im.save(out, "JPEG", quality=80)
        except Exception as exc:  # a broken picture gives no thumbnail, nothing worse
            log.warning("remote: no thumbnail from %s: %s", path, exc)
            return None
        body = out.getvalue()
        with self._thumb_lock:
            self._thumb_cache[key] = body
            while len(self._thumb_cache) > 24:
                self._thumb_cache.popitem(last=False)
        return body


def host_allowed(host: str | None) -> bool:
    """The Host a browser sent: an IP address (as in the QR code), localhost or this
    machine's name. Any other name means a page elsewhere pointed its name at this kiosk
    (DNS rebinding), so it is refused."""
    import ipaddress

    if not host:
        return False
    name = host.strip().lower()
    if name.startswith("["):  # [IPv6]:port
        name = name[1:name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.rsplit(":", 1)[0]
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    machine = socket.gethostname().lower()
    return name in ("localhost", machine, f"{machine}.local", f"{machine.split('.')[0]}.local")


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _json(data: dict, status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(data, ensure_ascii=False), status=status,
                        content_type="application/json", headers=HEADERS)


class ApiError(Exception):
    """An answer other than 200, as JSON: ``{"error": English, "error_zh": 中文, ...}``."""

    def __init__(self, status: int, en: str, zh: str, **extra):
        super().__init__(en)
        self.status = status
        self.payload = {"error": en, "error_zh": zh, **extra}

    def response(self) -> web.Response:
        response = _json(self.payload, self.status)
        if self.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="kiosk"'
        return response


def _error(status: int, en: str, zh: str, **extra) -> ApiError:
    return ApiError(status, en, zh, **extra)
