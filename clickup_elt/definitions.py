"""The code location `clickup_elt`: everything under clickup_elt/defs, loaded by convention."""

import dagster as dg

from clickup_elt.paths import PROJECT_DIR


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(project_root=PROJECT_DIR)
