"""Decoding ClickUp's JSON answers, dirty text included.

Real workspaces hold text Postgres cannot store or strict JSON parsers refuse: a NUL character
(`\\u0000`, which jsonb rejects) pasted into a description, or half of an emoji (a lone UTF-16
surrogate escape such as `\\ud83d`) left by a cut. Such text is kept as far as Postgres allows: NUL is
removed, a lone surrogate (or a byte that is not UTF-8) becomes U+FFFD. Clean answers take orjson's
fast path untouched; only an answer that needs it is walked and cleaned.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_SURROGATE = re.compile("[\ud800-\udfff]")


class MalformedBody(ValueError):
    """The answer is not JSON at all (truncated, an HTML page, garbage): worth asking again."""


def decode(body: bytes) -> Any:
    """The JSON value of an answer, with text cleaned where it needs it."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        try:  # lone surrogate escapes and stray bytes: the stdlib parser accepts them
            value = json.loads(body.decode("utf-8", errors="replace"), strict=False)
        except ValueError as exc:
            raise MalformedBody(str(exc)) from None
        return clean(value)
    if b"\\u0000" in body:
        return clean(value)
    return value


def clean_text(text: str) -> str:
    """`text` without NUL and with lone surrogates replaced by U+FFFD."""
    if text.isascii():
        return text.replace("\x00", "") if "\x00" in text else text
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def clean(value: Any) -> Any:
    """`value` with every string (keys included) passed through `clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
