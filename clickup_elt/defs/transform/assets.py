"""`dbt build` as Dagster assets: staging views, marts, and dbt tests as asset checks."""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import dbt_assets

from clickup_elt import liveness
from clickup_elt.defs.ingestion.sync_jobs import CHANGED_JOBS
from clickup_elt.defs.resources import DbtResource
from clickup_elt.defs.transform.project import dbt_project, translator


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="clickup_dbt",
    pool="warehouse",
)
def clickup_dbt(
    context: dg.AssetExecutionContext, dbt: DbtResource
) -> Iterator[
    dg.Output | dg.AssetMaterialization | dg.AssetObservation | dg.AssetCheckResult | dg.AssetCheckEvaluation
]:
    # tagged with its process like the sync steps, so a build killed mid-way is found and released
    with liveness.beating(context.instance, context.run.run_id):
        yield from dbt.cli(build_args(context.run.job_name), context=context).stream()


def build_args(job_name: str) -> list[str]:
    """`dbt build`; runs applying webhook events leave out the unit tests: they test the models'
    logic on fixed inputs, not the data, so the scheduled builds running them is enough, and a
    change reaches the marts sooner."""
    if job_name in CHANGED_JOBS:
        return ["build", "--exclude-resource-type", "unit_test"]
    return ["build"]
