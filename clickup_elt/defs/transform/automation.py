"""dbt models rebuild on their own after the raw tables they read change."""

import dagster as dg

dbt_automation = dg.AutomationConditionSensorDefinition(
    "clickup_dbt_automation",
    target=dg.AssetSelection.groups("staging", "intermediate", "marts"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
    description="Rebuilds the dbt models after the raw assets they read change.",
)
