"""Whole-pipeline fixtures: the simulator over HTTP and an environment pointing the project at it."""

import pytest

from clickup_elt.simulator import Simulator, SimulatorConfig


@pytest.fixture
def sim_env(monkeypatch, database_url, tmp_path):
    """Returns a function that serves a simulator and points CLICKUP_*/DATABASE_URL/DAGSTER_HOME at it."""
    servers = []

    def start(**config) -> Simulator:
        cfg = SimulatorConfig(**{"rate_limit": 0, **config})
        sim = Simulator(cfg)
        server = sim.serve(host="127.0.0.1", port=0)
        servers.append(server)
        monkeypatch.setenv("CLICKUP_API_URL", server.url)
        monkeypatch.setenv("CLICKUP_API_TOKEN", cfg.token)
        monkeypatch.delenv("CLICKUP_WORKSPACE_IDS", raising=False)
        monkeypatch.setenv("DATABASE_URL", database_url)
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
        for name in ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD",
                     "DAGSTER_PG_DB", "CLICKUP_DBT_HOST", "CLICKUP_DBT_PORT", "CLICKUP_DBT_USER",
                     "CLICKUP_DBT_PASSWORD", "CLICKUP_DBT_DBNAME"):
            monkeypatch.delenv(name, raising=False)
        return sim

    yield start
    for server in servers:
        server.stop()
