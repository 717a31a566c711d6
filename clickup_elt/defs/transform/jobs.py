"""`dbt build` of every model, as a job the CLI can launch after the raw assets."""

import dagster as dg

from clickup_elt.defs.transform.assets import clickup_dbt

DBT_JOB = "clickup_dbt_build"

dbt_job = dg.define_asset_job(DBT_JOB, selection=dg.AssetSelection.assets(clickup_dbt),
                              description="Build and test every dbt model.")
