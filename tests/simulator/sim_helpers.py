"""Helpers of the simulator tests: a validating HTTP client, simulator factories, page walks."""

from __future__ import annotations

import requests

from clickup_simulator import Simulator, SimulatorConfig
from clickup_simulator.api.routing import match
from clickup_spec import errors as schema_errors
from clickup_spec import has_schema

NOW_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: a pinned clock, so answers are reproducible


class Api:
    """`requests` against one served simulator; every 200 JSON answer is schema-checked."""

    def __init__(self, sim: Simulator, server):
        self.sim, self.server = sim, server
        self.session = requests.Session()
        self.validated = 0

    @property
    def url(self) -> str:
        return self.server.url

    def raw(self, method: str, path: str, token: str | None = "primary", **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers.setdefault("Authorization", self.sim.config.token if token == "primary" else token)
        response = self.session.request(method, self.url + path, headers=headers, timeout=30, **kwargs)
        self._check(method, path, response)
        return response

    def get(self, path: str, token: str | None = "primary", **params) -> requests.Response:
        return self.raw("GET", path, token, params=params)

    def json(self, path: str, token: str | None = "primary", **params):
        response = self.get(path, token, **params)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json()

    def _check(self, method: str, path: str, response: requests.Response) -> None:
        if method != "GET" or response.status_code != 200:
            return
        template, _, _ = match(path.partition("?")[0])
        operation = f"GET {template}"
        try:
            body = response.json()
        except ValueError:
            return  # a malformed-JSON fault: the fault tests look at it
        if template and has_schema(operation):
            problems = schema_errors(operation, body)
            assert not problems, f"{operation} answer breaks the spec: {problems[:5]}"
            self.validated += 1

    def control(self, method: str, path: str, body: dict | None = None):
        response = self.session.request(method, self.server.control_url + path, json=body, timeout=30)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.json()


def make_sim(**options) -> Simulator:
    config = {"seed": 11, "tasks": 400, "rate_limit": 0, "now_ms": NOW_MS, **options}
    return Simulator(SimulatorConfig(**config))


def walk_tasks(api: Api, path: str, **params) -> list[dict]:
    """Every page of a task endpoint, until `last_page`."""
    out, page = [], 0
    while True:
        body = api.json(path, page=page, **params)
        out += body["tasks"]
        if body["last_page"]:
            return out
        page += 1
