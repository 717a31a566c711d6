"""The dbt project and how its nodes become Dagster assets."""


import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

from clickup_elt.paths import DBT_PROJECT_DIR


def dbt_executable() -> str:
    """The venv's dbt, so an un-activated shell (or the Dagster daemon) finds the right one."""
    local = Path(sys.executable).with_name("dbt")
    return str(local) if local.exists() else (shutil.which("dbt") or "dbt")


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


class ClickUpDbtTranslator(DagsterDbtTranslator):
    """Sources `clickup.<table>` are the raw assets `clickup/<table>`; models are `<layer>/<name>`,
    grouped by layer (staging, intermediate, marts), and refresh when their inputs change."""

    def get_asset_key(self, dbt_resource_props) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["clickup", dbt_resource_props["name"]])
        return dg.AssetKey([self._layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "clickup_raw"
        return self._layer(dbt_resource_props)

    def get_automation_condition(self, dbt_resource_props) -> dg.AutomationCondition | None:
        return dg.AutomationCondition.eager()

    @staticmethod
    def _layer(props) -> str:
        fqn = props.get("fqn") or []
        return fqn[1] if len(fqn) > 2 else "dbt"


translator = ClickUpDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))
