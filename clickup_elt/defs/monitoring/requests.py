"""Launches (see clickup_elt.triggers) as the run requests schedules and sensors return."""

import dagster as dg

from clickup_elt.triggers import Launch


def run_request(launch: Launch, run_key: str | None = None) -> dg.RunRequest:
    return dg.RunRequest(job_name=launch.job, run_key=run_key, tags=launch.tags,
                         run_config=launch.run_config)
