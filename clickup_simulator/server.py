"""The HTTP server: a threading, keep-alive HTTP/1.1 server over the stdlib, with full control of the
socket so faults can drop connections and cut bodies short.

Order of checks for `/api/v2`, as ClickUp answers: the Authorization header (401 `OAUTH_017`), the token
(401 `OAUTH_025`), the token's rate-limit window (429 `APP_002`), injected faults, the route (404
`APP_001` JSON; a known path with an unsupported method: 404 HTML), then the endpoint itself. Rate-limit
headers go on every answer but 401s, with or without a limit; `Date` is the simulated clock. Answers
are serialised by `rendering.jsonio` (dirty strings as JSON escapes). Each answer is counted in the
statistics, then completes the triggers waiting for it (`mutations.triggers`), then is written. Routes
are GETs, plus the webhook routes (`webhooks.api`), which read a JSON request body.
"""

from __future__ import annotations

import functools
import socket
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

import orjson

from clickup_simulator.access.tokens import token_fingerprint
from clickup_simulator.api import activity, errors, hierarchy, tasks, workspace  # noqa: F401 (registers routes)
from clickup_simulator.api.routing import Raw, Request, match, write_handler
from clickup_simulator.control import changes, housekeeping  # noqa: F401 (registers controls)
from clickup_simulator.control.routing import dispatch
from clickup_simulator.faults import answers as fault_answers
from clickup_simulator.rendering import jsonio
from clickup_simulator.webhooks import api as webhook_api  # noqa: F401 (registers routes)
from clickup_simulator.webhooks import control as webhook_control  # noqa: F401 (registers controls)

API_PREFIX = "/api/v2"
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
JSON = "application/json; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "clickup-simulator"

    def do_GET(self):
        self.server.app.handle(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, *args):  # quiet: the stats count requests
        pass


class App:
    def __init__(self, sim):
        self.sim = sim

    # -- writing ------------------------------------------------------------------------------------
    def _send(
        self, h, status: int, body, content_type: str = JSON, headers=(), cut: int | None = None, record=None
    ) -> int:
        """Write one answer; `body` is bytes or `Raw` pieces; `cut` stops the body after that many bytes
        (the connection then closes). `record(status, size)` runs before the write, so statistics are
        complete by the time a client has read its answer. Returns the bytes written."""
        pieces = body if isinstance(body, Raw) else [body]
        length = sum(len(p) for p in pieces)
        lines = [
            f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}",
            f"Content-Type: {content_type}",
            f"Content-Length: {length}",
            f"Date: {_http_date(self.sim.now_ms() // 1000)}",
        ]
        lines += [f"{k}: {v}" for k, v in headers]
        if cut is not None:
            lines.append("Connection: close")
            pieces = _first_bytes(pieces, cut)
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        size = len(head) + sum(len(p) for p in pieces)
        if record is not None:
            record(status, size)
        try:
            _send_pieces(h.connection, [head, *pieces])
        except OSError:
            h.close_connection = True
            return 0
        if cut is not None:
            h.close_connection = True
        return size

    def _error(self, h, exc: errors.ApiError, headers=(), record=None) -> int:
        if exc.html:
            path = h.path.partition("?")[0]
            body = errors.HTML_404.replace(b"{method}", h.command.encode()).replace(b"{path}", path.encode())
            return self._send(h, exc.status, body, "text/html; charset=utf-8", headers, record=record)
        return self._send(h, exc.status, orjson.dumps(exc.body), JSON, headers, record=record)

    # -- dispatch -----------------------------------------------------------------------------------
    def handle(self, h) -> None:
        path, _, qs = h.path.partition("?")
        if path == "/_sim" or path.startswith("/_sim/"):
            return self._control(h, path[len("/_sim") :], qs)
        return self._api(h, path, qs)

    def _read_body(self, h) -> bytes:
        length = int(h.headers.get("Content-Length") or 0)
        return h.rfile.read(length) if length else b""

    def _control(self, h, path: str, qs: str) -> None:
        raw = self._read_body(h)
        try:
            body = jsonio.loads(raw) if raw else {}
        except ValueError:
            self._send(h, 400, orjson.dumps({"error": "the body is not JSON"}))
            return
        status, answer = dispatch(
            self.sim,
            h.command,
            path or "/",
            body if isinstance(body, dict) else {},
            parse_qs(qs, keep_blank_values=True),
        )
        self._send(h, status, jsonio.dumps(answer, option=orjson.OPT_NON_STR_KEYS))

    def _api(self, h, path: str, qs: str) -> None:
        sim = self.sim
        raw = self._read_body(h)
        relative = unquote(path[len(API_PREFIX) :]) if path.startswith(API_PREFIX + "/") else None
        template, handler, params = match(relative) if relative is not None else (None, None, {})
        endpoint = f"{h.command} {template or '<unknown route>'}"
        auth = (h.headers.get("Authorization") or "").strip()
        value = auth[7:].strip() if auth[:7].lower() == "bearer " else auth
        fingerprint = token_fingerprint(value) if value else "-"

        def record(status: int, size: int) -> None:
            sim.stats.record(endpoint, fingerprint, status, size)
            if status and sim.triggers.pending:
                sim.triggers.answered(endpoint)  # before the answer is written: see `mutations.triggers`

        if not auth:
            self._error(h, errors.missing_header(), record=record)
            return
        token = sim.access.token(value)
        if token is None:
            self._error(h, errors.bad_token(), record=record)
            return
        self._answer(h, token, relative, template, handler, params, qs, endpoint, record, raw)

    def _answer(self, h, token, relative, template, handler, params, qs, endpoint, record, raw=b"") -> None:
        sim = self.sim
        decision = sim.limiter.check(token.token)
        headers = decision.headers()
        if not decision.allowed:
            self._error(h, errors.rate_limited(), headers, record)
            return
        fault, wait, error_status = sim.faults.draw(endpoint)
        if wait:
            time.sleep(wait)
        if fault == "drop":
            record(0, 0)
            h.close_connection = True
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        replaced = fault_answers.replacement(fault, error_status, headers, sim.faults.config.storm_headers)
        if replaced is not None:
            status, body, content_type, extra = replaced
            self._send(h, status, body, content_type, extra, record=record)
            return
        if template is None:
            self._error(h, errors.route_not_found(), headers, record)
            return
        if h.command != "GET":
            handler = write_handler(h.command, template)
        if handler is None:
            self._error(h, errors.method_not_supported(), headers, record)
            return
        request = Request(sim, token, relative, parse_qs(qs, keep_blank_values=True), raw)
        try:
            with sim.state.lock:
                result = handler(request, **params)
        except errors.ApiError as exc:
            if fault == "truncate" and not exc.html:
                body = orjson.dumps(exc.body)
                self._send(h, exc.status, body, JSON, headers, cut=len(body) // 2, record=record)
                return
            self._error(h, exc, headers, record)
            return
        body = result if isinstance(result, (bytes, Raw)) else jsonio.dumps(result)
        if fault == "malformed":
            body = fault_answers.malformed(body)
        elif fault == "missing_key":
            body = fault_answers.without_main_key(body)
        cut = None
        if fault == "truncate":
            cut = max(1, (body.size() if isinstance(body, Raw) else len(body)) // 2)
        self._send(h, 200, body, JSON, headers, cut=cut, record=record)


@functools.lru_cache(maxsize=4)
def _http_date(seconds: int) -> str:
    """The `Date` header of a second (the same for every answer while the clock stands still)."""
    return formatdate(seconds, usegmt=True)


def _first_bytes(pieces, count: int) -> list:
    out = []
    for piece in pieces:
        if count <= 0:
            break
        out.append(piece[:count])
        count -= len(piece)
    return out


def _send_pieces(sock, pieces) -> int:
    """Scatter-gather write of every piece (no joined copy of a large body)."""
    views = [memoryview(p) for p in pieces if len(p)]
    total, first = 0, 0
    while first < len(views):
        sent = sock.sendmsg(views[first : first + 512])
        total += sent
        while sent:
            size = len(views[first])
            if sent >= size:
                sent -= size
                first += 1
            else:
                views[first] = views[first][sent:]
                sent = 0
    return total


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        """A client that went away mid-answer (killed, timed out) is normal here: say nothing."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Server:
    """A running simulator server: `.url` (the API base), `.base_url`, `.stop()`; a context manager."""

    def __init__(self, sim, host: str, port: int):
        self._httpd = _Server((host, port), _Handler)
        self._httpd.app = App(sim)
        self.host = host
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self.url = self.base_url + API_PREFIX
        self.control_url = self.base_url + "/_sim"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"clickup-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def wait(self) -> None:
        """Block until the server stops (the CLI's foreground mode)."""
        self._thread.join()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(sim, host: str = "127.0.0.1", port: int = 0) -> Server:
    return Server(sim, host, port)
