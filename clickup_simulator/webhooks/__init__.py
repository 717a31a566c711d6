"""Webhooks the way ClickUp delivers them: registration over `/api/v2`, an event for every change the
mutations make, signed POSTs from a background queue, ClickUp's retry and health rules, and optional
delivery faults.

    events        the 28 event names; "*"; which specific event accompanies a taskUpdated
    registry      webhooks, their location filter, secret and health (active, failing, suspended)
    api           POST/GET /team/{id}/webhook, PUT/DELETE /webhook/{id}
    history       history items (ids, dates, users) and the task field diffs
    shapes        the documented shapes of statuses, priorities, tags, comments, intervals…
    emitter       which webhooks an event goes to (event, location, owner's access); one body each
    delivery      per-webhook queues and threads, attempts and backoff, drain, the delivery log
    sending       one signed POST (X-Signature: hex HMAC-SHA256 of the raw body) and its outcome
    faults        dropped, duplicated and reordered deliveries, from the seed
    observe_*     the mutations with their events; `mutations` puts them together
    service       `sim.webhooks`                control   `/_sim/webhooks...`
"""
