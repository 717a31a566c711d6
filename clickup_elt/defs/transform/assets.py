"""`dbt build` as Dagster assets: staging views, marts, and dbt tests as asset checks."""


import os

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from clickup_elt import liveness, settings
from clickup_elt.defs.resources import WarehouseResource
from clickup_elt.defs.transform.project import dbt_executable, dbt_project, translator


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=translator, name="clickup_dbt", pool="warehouse")
def clickup_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                warehouse: WarehouseResource):
    os.environ.update(settings.dbt_env(warehouse.url()))
    # tagged with its process like the sync steps, so a build killed mid-way is found and released
    with liveness.beating(context.instance, context.run.run_id):
        yield from dbt.cli(["build"], context=context).stream()


@dg.definitions
def dbt_resources() -> dg.Definitions:
    return dg.Definitions(resources={
        "dbt": DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir),
                              dbt_executable=dbt_executable()),
    })
