"""What an injected fault looks like on the wire (which request gets one: `injection`).

Some kinds replace the endpoint's answer before it is computed, as something between the client and
ClickUp would (a 429 storm, a 5xx, a proxy's HTML page); others spoil a computed 200 (broken JSON, a
missing main key). Drops, cut bodies and delays are the server's, as they concern the socket.
"""

from __future__ import annotations

import orjson

from clickup_simulator.api import errors
from clickup_simulator.api.routing import Raw
from clickup_simulator.rendering import jsonio

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
GATEWAY_REASONS = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
GATEWAY_HTML = (
    b"<html><head><title>{status}</title></head><body><center><h1>{status}</h1></center></body></html>\n"
)
PORTAL_HTML = (
    b'<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>Network login</title></head>\n'
    b"<body>\n<h1>Sign in to continue</h1>\n<p>This network requires you to sign in before you can "
    b'reach api.clickup.com.</p>\n<form method="post" action="/login"><button>Accept and continue'
    b"</button></form>\n</body>\n</html>\n"
)


def replacement(kind: str | None, status: int, headers: list, storm_headers: bool):
    """(status, body, content type, headers) of an answer that replaces the endpoint's, or None."""
    if kind == "storm":
        if not storm_headers:
            return 429, orjson.dumps(errors.rate_limited().body), JSON, []
        spent = [(k, "0" if k == "X-RateLimit-Remaining" else v) for k, v in headers]
        return 429, orjson.dumps(errors.rate_limited().body), JSON, spent
    if kind == "error":
        if status == 500:
            return 500, orjson.dumps({"err": "Internal Server Error", "ECODE": "APP_500"}), JSON, headers
        page = GATEWAY_HTML.replace(b"{status}", f"{status} {GATEWAY_REASONS[status]}".encode())
        return status, page, "text/html", headers
    if kind == "html":
        return 200, PORTAL_HTML, HTML, headers
    return None


def _whole(body) -> bytes:
    return b"".join(body) if isinstance(body, Raw) else body


def malformed(body) -> bytes:
    """A complete answer whose JSON breaks off halfway."""
    whole = _whole(body)
    return whole[: len(whole) // 2] + b"\x00<!-- upstream reset -->"


def without_main_key(body) -> bytes:
    """The answer without the first key of its object: `{}` for `{"folders": [...]}`, a page without
    `tasks`, a task without `id`."""
    data = jsonio.loads(_whole(body))
    if isinstance(data, dict) and data:
        del data[next(iter(data))]
    else:
        data = {}
    return jsonio.dumps(data)
