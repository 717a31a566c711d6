"""The dbt project and how its nodes become Dagster assets."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

from clickup_elt.dbt_cli import parse
from clickup_elt.defs.ingestion.specs import freshness
from clickup_elt.paths import DBT_PROJECT_DIR

RAW_PREFIX = "clickup"


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
if dbt_project.preparer.using_dagster_dev():
    # Under `dagster dev`, reloading the code location shows edits to the dbt project. Not through
    # dagster-dbt's `prepare_if_dev`: it runs whichever `dbt` is on PATH, and the code server started
    # from a plain shell has none.
    parse(DBT_PROJECT_DIR, only_if_stale=True)


def model_automation() -> dg.AutomationCondition:
    """Rebuild after any raw asset it reads was materialized, once nothing it reads is still being
    written. Unlike plain `eager()`, never-synced partitions of the raw assets (workspaces not
    synced yet, an external sync log) do not hold the models back."""
    return dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())


def source_check_automation() -> dg.AutomationCondition:
    """Source tests run when the raw table they check was written (with the models reading it)."""
    return (
        dg.AutomationCondition.any_deps_updated().since_last_handled()
        & ~dg.AutomationCondition.any_deps_in_progress()
    )


class ClickUpDbtTranslator(DagsterDbtTranslator):
    """Sources `clickup.<table>` are the raw assets `clickup/<table>` (one node in the asset graph, their
    tests its checks); models are `<layer>/<name>`, grouped by layer (staging, intermediate, marts), and
    refresh when their inputs change."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([RAW_PREFIX, dbt_resource_props["name"]])
        return dg.AssetKey([self._layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "clickup_raw"
        return self._layer(dbt_resource_props)

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        if dbt_resource_props["resource_type"] == "source":
            return None
        return model_automation()

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        """Marts are overdue an hour after the raw tasks they follow."""
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.group_name == "marts":
            spec = spec.replace_attributes(freshness_policy=freshness("tasks", slack_hours=1))
        return spec

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is not None and asset_spec.key.path[0] == RAW_PREFIX:
            spec = spec._replace(automation_condition=source_check_automation())
        return spec

    @staticmethod
    def _layer(props: Mapping[str, Any]) -> str:
        fqn = props.get("fqn") or []
        return fqn[1] if len(fqn) > 2 else "dbt"


translator = ClickUpDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))
