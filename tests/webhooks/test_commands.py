"""`clickup-elt webhooks register | list | remove` as a user runs them, against the simulator: one
webhook per workspace, re-running changes nothing, a suspended webhook comes back, secrets are only
ever shown by fingerprint."""

from __future__ import annotations

import os

from clickup_elt.webhooks.registration import secret_fingerprint

URL = "http://127.0.0.1:8000/webhooks/clickup"


def hooks(sim) -> dict[str, list[dict]]:
    """The simulator's webhooks per workspace id, as ClickUp lists them."""
    return {ws: sim.webhooks.all(ws) for ws in sim.truth.workspace_ids()}


def pointed_at(sim) -> dict[str, str]:
    """What a user exports to reach the simulator's ClickUp and the warehouse (set by sim_env)."""
    assert os.environ["CLICKUP_API_TOKEN"] == sim.config.token
    return {k: os.environ[k] for k in ("CLICKUP_API_URL", "CLICKUP_API_TOKEN", "DATABASE_URL")}


def test_register_is_idempotent_reactivates_and_never_prints_a_secret(sim_env, run_cli, tmp_path):
    sim = sim_env(seed=31, tasks=20, workspaces=2)
    env = pointed_at(sim)

    def cli(*args: str):
        done = run_cli("webhooks", *args, home=tmp_path, env=env, timeout=120)
        secrets = [h["secret"] for found in hooks(sim).values() for h in found]
        assert not any(s in done.stdout + done.stderr for s in secrets)  # shown by fingerprint only
        return done

    created = cli("register", "--url", URL)
    assert created.returncode == 0, created.stderr
    registered = hooks(sim)
    assert [len(found) for found in registered.values()] == [1, 1]
    for ws, (hook,) in registered.items():
        assert hook["endpoint"] == URL and hook["health"]["status"] == "active"
        line = next(line for line in created.stdout.splitlines() if ws in line)
        assert hook["id"] in line and secret_fingerprint(hook["secret"]) in line and "created" in line

    again = cli("register", "--url", URL)
    assert again.returncode == 0 and again.stdout.count("unchanged") == 2, again.stdout
    assert hooks(sim) == registered  # nothing new in ClickUp

    first, second = sorted(registered)
    (suspended,) = registered[first]
    sim.webhooks.registry.suspend(suspended["id"])
    listed = cli("list")
    assert "suspended" in next(line for line in listed.stdout.splitlines() if first in line)
    back = cli("register", "--url", URL)
    assert "reactivated" in next(line for line in back.stdout.splitlines() if first in line)
    assert "unchanged" in next(line for line in back.stdout.splitlines() if second in line)
    assert hooks(sim)[first][0]["health"]["status"] == "active"

    removed = cli("remove", "--workspace", first)
    assert removed.returncode == 0 and hooks(sim)[first] == [] and len(hooks(sim)[second]) == 1
    remaining = cli("list")
    assert first not in remaining.stdout and second in remaining.stdout
    cli("remove")
    assert hooks(sim) == {first: [], second: []}
    assert "no webhooks registered" in cli("list").stdout


def test_register_refuses_a_url_clickup_cannot_deliver_to(sim_env, run_cli, tmp_path):
    sim = sim_env(seed=32, tasks=10)
    url = "http://sync.example.com/hook"
    refused = run_cli("webhooks", "register", "--url", url, home=tmp_path, env=pointed_at(sim))
    assert refused.returncode == 2 and "public https URL" in refused.stderr, refused.stderr
    assert hooks(sim) == {ws: [] for ws in sim.truth.workspace_ids()}
