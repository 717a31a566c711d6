"""JSON in and out, dirty strings included.

orjson is the fast path, but it refuses lone UTF-16 surrogates (a cut emoji, "\\ud83d") both ways, and
real ClickUp data holds them. When orjson gives up, the stdlib takes over and writes such strings the
way ClickUp's servers do, as JSON escapes (`"\\ud83d"`); NUL is always written as `\\u0000`. Clean
values never leave the fast path, so nothing costs more until a dirty string is stored.
"""

from __future__ import annotations

import json

import orjson


def dumps(value, option: int = 0) -> bytes:
    """`orjson.dumps`, or compact stdlib JSON whose lone surrogates are escaped."""
    try:
        return orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")  # a lone surrogate becomes the escape \udXXX


def loads(data):
    """`orjson.loads`, or the stdlib decoder for what orjson refuses (lone-surrogate escapes)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = bytes(data).decode("utf-8", "surrogatepass")
        return json.loads(data)
