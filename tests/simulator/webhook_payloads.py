"""Helpers of the webhook event tests: the documented payloads, a key-by-key comparison with them, and
a way to collect what one change sends."""

from __future__ import annotations

import orjson

from clickup_spec import EXAMPLES_DIR

SKIP = {"type_config"}  # a field's configuration depends on its type


def example(name: str) -> dict:
    return orjson.loads((EXAMPLES_DIR / f"webhook_{name}.docs.json").read_bytes())


def assert_keys(actual, documented, where: str = "body") -> None:
    """The same keys as the documented payload in every object (lists: their first items)."""
    if isinstance(documented, dict) and isinstance(actual, dict):
        assert actual.keys() == documented.keys(), (where, sorted(actual.keys() ^ documented.keys()))
        for key in documented:
            if key not in SKIP:
                assert_keys(actual[key], documented[key], f"{where}.{key}")
    elif isinstance(documented, list) and isinstance(actual, list) and documented and actual:
        assert_keys(actual[0], documented[0], f"{where}[0]")


def sent(api, receiver, change) -> list[dict]:
    """Run a change, wait for its deliveries, return their bodies (and forget them)."""
    change()
    assert api.sim.webhooks.drain(10)
    bodies = receiver.bodies()
    receiver.clear()
    return bodies


def world_of(hooked):
    """(api, workspace id, webhook, live top-level tasks: not archived, not in an archived list)."""
    api, ws, webhook = hooked
    truth = api.sim.truth
    hidden = set(truth.archived_list_ids(ws))
    tasks = [
        t for t in truth.tasks(ws) if not t["archived"] and t["list"]["id"] not in hidden and not t["parent"]
    ]
    return api, ws, webhook, tasks


def events(bodies) -> list[str]:
    return [b["event"] for b in bodies]
