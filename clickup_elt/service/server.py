"""`clickup-elt serve`: the API under uvicorn, over the warehouse and Dagster instance of this
environment."""

from __future__ import annotations

import dagster as dg
import uvicorn

from clickup_elt import settings
from clickup_elt.service.access import check_bind
from clickup_elt.service.app import create_app


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    check_bind(host)
    url = settings.prepare_environment()
    with dg.DagsterInstance.get() as instance:
        uvicorn.run(
            create_app(url, instance), host=host, port=port, log_level="info", timeout_graceful_shutdown=5
        )
