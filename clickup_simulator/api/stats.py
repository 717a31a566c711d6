"""Request statistics: per endpoint template and per token fingerprint, requests, statuses and bytes
sent (headers and body, as written to the socket). Reset-able; read as a JSON-ready snapshot."""

from __future__ import annotations

import threading
from collections import defaultdict

from clickup_simulator.access.tokens import token_fingerprint


def _bucket():
    return {"requests": 0, "bytes": 0, "statuses": defaultdict(int)}


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._total = _bucket()
            self._by_endpoint = defaultdict(_bucket)
            self._by_token = defaultdict(_bucket)
            self._by_pair = defaultdict(_bucket)

    def record(self, endpoint: str, fingerprint: str, status: int, sent: int) -> None:
        with self._lock:
            for bucket in (
                self._total,
                self._by_endpoint[endpoint],
                self._by_token[fingerprint],
                self._by_pair[(endpoint, fingerprint)],
            ):
                bucket["requests"] += 1
                bucket["bytes"] += sent
                bucket["statuses"][str(status)] += 1

    @staticmethod
    def _plain(bucket) -> dict:
        return {
            "requests": bucket["requests"],
            "bytes": bucket["bytes"],
            "statuses": dict(bucket["statuses"]),
        }

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "total": self._plain(self._total),
                "by_endpoint": {k: self._plain(v) for k, v in sorted(self._by_endpoint.items())},
                "by_token": {k: self._plain(v) for k, v in sorted(self._by_token.items())},
                "by_endpoint_and_token": {
                    f"{e} {t}": self._plain(v) for (e, t), v in sorted(self._by_pair.items())
                },
            }

    def requests(self, endpoint: str | None = None, token: str | None = None) -> int:
        """Requests served, optionally only of one endpoint template and/or token (value or fingerprint)."""
        return self._pick(endpoint, token)["requests"]

    def bytes_sent(self, endpoint: str | None = None, token: str | None = None) -> int:
        return self._pick(endpoint, token)["bytes"]

    def _pick(self, endpoint, token):
        fp = token if token is None or token.startswith("tok_") or token == "-" else token_fingerprint(token)
        with self._lock:
            if endpoint and fp:
                return dict(self._by_pair.get((endpoint, fp)) or _bucket())
            if endpoint:
                return dict(self._by_endpoint.get(endpoint) or _bucket())
            if fp:
                return dict(self._by_token.get(fp) or _bucket())
            return dict(self._total)
