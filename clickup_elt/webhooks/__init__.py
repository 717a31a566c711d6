"""ClickUp webhooks: changes reach the marts within a minute.

ClickUp POSTs an event for every change in a workspace to the project's HTTP service, which checks
its signature and stores it (`store`). A sensor turns the stored events into the smallest runs that
apply them (`plan`): the changed tasks read again (`reread`), deletions recorded, the hierarchy or the
goals reloaded, then the dbt models downstream. The scheduled syncs stay as the safety net for
deliveries ClickUp drops. `registration` creates and keeps one webhook per workspace.
"""
