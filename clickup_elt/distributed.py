"""Where the ingestion jobs' steps run: in the run's own process (the default), or on Celery workers
over Redis (CLICKUP_EXECUTOR=celery, deploy/celery), so the steps of many runs spread over machines.

Workers and the processes that launch runs must agree on the broker (CLICKUP_CELERY_BROKER), so both
read it here. A worker that dies mid-step leaves its task unacknowledged: the broker hands it to
another worker once CLICKUP_CELERY_VISIBILITY_TIMEOUT has passed, and the step runs again (a load
replaces the days or workspace it read in one transaction, so a rerun neither loses nor duplicates rows). That
timeout must exceed the longest step, or a slow step is handed out twice while it still runs.

Every step of an ingestion run uses the run's one token, and a token serves one step at a time (its
pool), so a run hands the workers one step at a time: a second step submitted at once would only hold
a worker while it waits for the token, instead of that worker running another run's step.
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg
from dagster._core.definitions.executor_definition import multiple_process_executor_requirements
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode
from dagster_celery.executor import CELERY_CONFIG, CeleryExecutor

from clickup_elt.settings import ConfigurationError

EXECUTOR_ENV = "CLICKUP_EXECUTOR"
BROKER_ENV = "CLICKUP_CELERY_BROKER"
BACKEND_ENV = "CLICKUP_CELERY_BACKEND"
VISIBILITY_ENV = "CLICKUP_CELERY_VISIBILITY_TIMEOUT"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_VISIBILITY_S = 3 * 3600  # above the longest step of a full sync of a large workspace
EXECUTORS = ("in_process", "celery")


def executor_name() -> str:
    name = (os.environ.get(EXECUTOR_ENV) or "in_process").strip().lower()
    if name not in EXECUTORS:
        raise ConfigurationError(f"{EXECUTOR_ENV}={name!r}: use one of {', '.join(EXECUTORS)}")
    return name


def celery_config() -> dict[str, Any]:
    """The celery executor's config; `clickup-elt worker` starts workers with the same."""
    broker = os.environ.get(BROKER_ENV) or DEFAULT_BROKER
    visibility = os.environ.get(VISIBILITY_ENV) or str(DEFAULT_VISIBILITY_S)
    try:
        visibility_s = int(float(visibility))
    except ValueError:
        raise ConfigurationError(f"{VISIBILITY_ENV}={visibility!r}: give seconds") from None
    return {
        "broker": broker,
        "backend": os.environ.get(BACKEND_ENV) or broker,
        "config_source": {
            # acknowledged when the step ends, and given back when the worker dies: a killed
            # worker's step runs again elsewhere instead of leaving its run waiting forever
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "broker_transport_options": {
                "visibility_timeout": visibility_s,
                "max_retries": 3,
                "interval_start": 0,
                "interval_step": 0.2,
                "interval_max": 0.5,
            },
        },
    }


def ingestion_executor() -> dg.ExecutorDefinition:
    """The executor of the ingestion jobs: steps in the run's process, or on Celery workers."""
    if executor_name() == "celery":
        return celery_one_step_per_run.configured(celery_config(), name="celery")
    return dg.in_process_executor


class OneStepAtATime(ExecutionPlan):
    """A run's plan that starts at most one step at a time."""

    def start(self, *args: Any, **kwargs: Any) -> Any:
        return super().start(*args, **{**kwargs, "max_concurrent": 1})


class OneStepPerRunExecutor(CeleryExecutor):
    """dagster-celery's executor, handing the workers one step of the run at a time."""

    def execute(self, plan_context: Any, execution_plan: ExecutionPlan) -> Any:
        return super().execute(plan_context, OneStepAtATime._make(execution_plan))


@dg.executor(
    name="celery", config_schema=CELERY_CONFIG, requirements=multiple_process_executor_requirements()
)
def celery_one_step_per_run(init_context: dg.InitExecutorContext) -> OneStepPerRunExecutor:
    config: dict[str, Any] = dict(init_context.executor_config)
    return OneStepPerRunExecutor(
        retries=RetryMode.from_config(config["retries"]),
        broker=config.get("broker"),
        backend=config.get("backend"),
        include=config.get("include"),
        config_source=config.get("config_source"),
    )


def job_named(name: str) -> dg.JobDefinition:
    """A job of the code location by name (what a Celery worker rebuilds a run's job from)."""
    from clickup_elt.definitions import defs

    return defs().resolve_job_def(name)


def reconstructable_job(name: str) -> Any:
    """A job other processes can rebuild, for runs whose steps leave this process."""
    return dg.build_reconstructable_job("clickup_elt.distributed", "job_named", reconstructable_args=(name,))


def run_worker(concurrency: int, name: str | None, loglevel: str = "INFO") -> None:
    """A Celery worker that runs the steps of runs using the celery executor (blocks)."""
    from dagster_celery.make_app import make_app
    from dagster_celery.tasks import create_task

    config = celery_config()
    app = make_app(CeleryExecutor.for_cli(**config).app_args())
    create_task(app)
    args = ["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}", "-Q", "dagster"]
    if name:
        args.append(f"--hostname={name}@%h")
    app.worker_main(args)
