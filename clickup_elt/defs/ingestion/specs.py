"""What every raw asset declares: its key, group, kinds, partitions, checks and freshness policy."""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypedDict

import dagster as dg

from clickup_elt import settings
from clickup_elt.defs.ingestion.partitions import workspaces_partitions
from clickup_elt.defs.ingestion.raw_checks import raw_check_specs

RAW_GROUP = "clickup_raw"
KINDS = {"clickup", "postgres"}


def raw_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey(["clickup", entity])


def raw_checks(*entities: str) -> list[dg.AssetCheckSpec]:
    """The raw-table checks of these entities' assets (see raw_checks.py)."""
    return [spec for entity in entities for spec in raw_check_specs(entity, raw_key(entity))]


def freshness(entity: str, slack_hours: float = 0) -> dg.FreshnessPolicy:
    """Overdue after the same hours as the sync-health check (CLICKUP_SYNC_MAX_AGE_HOURS), plus
    `slack_hours`; a warning at two thirds of that."""
    limits = settings.max_age_hours()
    hours = limits.get(entity, limits["*"]) + slack_hours
    return dg.FreshnessPolicy.time_window(
        fail_window=dt.timedelta(hours=hours), warn_window=dt.timedelta(hours=hours * 2 / 3)
    )


def raw_spec(entity: str, description: str) -> dg.AssetSpec:
    """The spec of `clickup/<entity>` inside a multi-asset that loads several raw tables."""
    return dg.AssetSpec(
        raw_key(entity),
        group_name=RAW_GROUP,
        kinds=KINDS,
        description=description,
        freshness_policy=freshness(entity),
    )


def raw_asset(entity: str, **kwargs: Any) -> Callable[[Callable[..., Any]], dg.AssetsDefinition]:
    """`@dg.asset` for `clickup/<entity>`, loading `clickup_raw.<entity>`, with its checks."""
    return dg.asset(
        key=raw_key(entity),
        check_specs=raw_checks(entity),
        group_name=RAW_GROUP,
        kinds=KINDS,
        freshness_policy=freshness(entity),
        **kwargs,
    )


class Partitioning(TypedDict):
    """The partitioning arguments of a raw asset (`**BY_WORKSPACE`); the days of the day-windowed
    ones are run config (run_configs.DaysConfig)."""

    partitions_def: dg.PartitionsDefinition
    backfill_policy: dg.BackfillPolicy


# No static `pool=`: API steps hold the pool of the token they use (token_pool), known only at run time.
BY_WORKSPACE = Partitioning(
    partitions_def=workspaces_partitions, backfill_policy=dg.BackfillPolicy.single_run()
)
