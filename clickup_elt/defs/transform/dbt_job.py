"""`dbt build` of every model, as a job the CLI can launch after the raw assets.

The job also selects the checks dbt's source tests become: they sit on the raw assets `clickup/*`,
outside the dbt assets, so selecting the dbt assets alone would leave them out of `dbt build`.
"""

import dagster as dg

from clickup_elt.defs.transform.assets import clickup_dbt

DBT_JOB = "clickup_dbt_build"

# Everything `dbt build` covers: models, their tests and the source tests on the raw assets.
dbt_selection = dg.AssetSelection.assets(clickup_dbt) | dg.AssetSelection.checks(*clickup_dbt.check_keys)

dbt_job = dg.define_asset_job(
    DBT_JOB, selection=dbt_selection, description="Build and test every dbt model, and test the raw tables."
)
