"""The sync service's HTTP API (`clickup-elt serve`): health, triggering and watching syncs, and the
endpoint ClickUp's webhooks deliver to. FastAPI under uvicorn; the OpenAPI page is at /docs."""
