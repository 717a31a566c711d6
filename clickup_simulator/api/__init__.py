"""ClickUp's `/api/v2` as the simulator answers it: routing, the read endpoints, task queries, error
answers, per-token rate limits and request statistics."""
