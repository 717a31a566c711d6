"""`sim.webhooks`: the webhooks of a simulator, from Python.

Registration goes through the same functions as `/api/v2` (`webhooks.api`), with the primary token
unless another is given, and raises `api.errors.ApiError` (`.status`, `.body`) where the HTTP API
answers an error. The rest drives and watches deliveries: `configure` (timeout, attempts, backoff),
`faults` (drop, duplicate, reorder), `drain` and `log`.
"""

from __future__ import annotations

from clickup_simulator.api import errors
from clickup_simulator.api.routing import Request
from clickup_simulator.rendering import jsonio
from clickup_simulator.webhooks import api
from clickup_simulator.webhooks.delivery import Deliveries
from clickup_simulator.webhooks.emitter import Emitter
from clickup_simulator.webhooks.faults import WebhookFaults
from clickup_simulator.webhooks.history import History
from clickup_simulator.webhooks.registry import Registry


class Webhooks:
    def __init__(self, sim):
        self._sim = sim
        self.registry = Registry(sim.config.seed)
        self.faults = WebhookFaults(sim.config.seed)
        self.deliveries = Deliveries(self.registry, self.faults, sim.clock)
        self.history = History(sim.state, sim.config.seed)
        self.emitter = Emitter(sim, self.registry, self.deliveries)

    # -- registration, as over HTTP -----------------------------------------------------------------
    def _request(self, token: str | None, body: dict | None = None) -> Request:
        found = self._sim.access.token(token or self._sim.config.token)
        if found is None:
            raise errors.bad_token()
        return Request(self._sim, found, "", {}, b"" if body is None else jsonio.dumps(body))

    def create(
        self,
        workspace_id: str,
        endpoint: str,
        events="*",
        *,
        token: str | None = None,
        space_id=None,
        folder_id=None,
        list_id=None,
        task_id=None,
    ) -> dict:
        """`POST /team/{id}/webhook`: {"id", "webhook"}."""
        body = {"endpoint": endpoint, "events": events}
        where = {"space_id": space_id, "folder_id": folder_id, "list_id": list_id, "task_id": task_id}
        body.update({k: v for k, v in where.items() if v is not None})
        with self._sim.state.lock:
            return api.create_webhook(self._request(token, body), str(workspace_id))

    def list(self, workspace_id: str, token: str | None = None) -> list[dict]:
        """`GET /team/{id}/webhook`: the token's user's webhooks, with health and secret."""
        with self._sim.state.lock:
            return api.list_webhooks(self._request(token), str(workspace_id))["webhooks"]

    def update(self, webhook_id: str, *, endpoint=None, events=None, status=None, token=None) -> dict:
        """`PUT /webhook/{id}` (by default with the token that created it): {"id", "webhook"}."""
        body = {
            k: v for k, v in (("endpoint", endpoint), ("events", events), ("status", status)) if v is not None
        }
        hook = self.registry.get(str(webhook_id))
        with self._sim.state.lock:
            return api.update_webhook(self._request(token or (hook and hook.token), body), str(webhook_id))

    def delete(self, webhook_id: str, token: str | None = None) -> None:
        hook = self.registry.get(str(webhook_id))
        with self._sim.state.lock:
            api.delete_webhook(self._request(token or (hook and hook.token)), str(webhook_id))

    def all(self, workspace_id: str | None = None) -> list[dict]:
        """Every user's webhooks (of one workspace when given), as `GET /team/{id}/webhook` renders them."""
        if workspace_id is None:
            return [
                h.render()
                for ws in range(len(self._sim.state.world.workspaces))
                for h in self.registry.of(ws)
            ]
        return [h.render() for h in self.registry.of(self._sim.workspace(workspace_id).pos)]

    # -- deliveries ---------------------------------------------------------------------------------
    def configure(self, **settings) -> dict:
        """Delivery settings: timeout_s (7), attempts (5), backoff_s (1, doubling), backoff_max_s (30),
        reorder_hold_s (1), log_size (1000)."""
        return dict(self.deliveries.configure(**settings).__dict__)

    @property
    def settings(self) -> dict:
        return dict(self.deliveries.settings.__dict__)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every queued delivery went out or was given up; False on timeout."""
        return self.deliveries.drain(timeout)

    @property
    def pending(self) -> int:
        return self.deliveries.pending

    def log(self, webhook_id: str | None = None, event: str | None = None) -> list[dict]:
        """Recent deliveries, oldest first: number, webhook_id, event, the resource id, history_item_ids,
        fault, outcome (queued | held | delivered | failed | suspended | discarded | dropped), status,
        error, attempts, copies, queued_at and sent_at (simulated ms), took_ms."""
        return self.deliveries.log(webhook_id, event)

    def clear_log(self) -> None:
        self.deliveries.clear_log()
