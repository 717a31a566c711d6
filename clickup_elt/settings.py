"""Configuration from the environment (and `.env`), with the errors a user can act on.

`prepare_environment()` is what every command runs first: it reads `.env`, starts the embedded Postgres
when DATABASE_URL is unset, and exports what Dagster and dbt read (DAGSTER_HOME, CLICKUP_DBT_*).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dotenv import dotenv_values

from clickup_elt.paths import PROJECT_DIR, state_dir

DEFAULT_API_URL = "https://api.clickup.com/api/v2"
DEFAULT_START_DATE = "2020-01-01"


class ConfigurationError(RuntimeError):
    """A missing or malformed setting; the message names the variable to fix."""


def load_dotenv_file(path: Path | None = None) -> None:
    """Read `NAME=value` lines from `.env` without overriding what the shell already exported."""
    path = path or Path.cwd() / ".env"
    if not path.exists():
        path = PROJECT_DIR / ".env"
    if path.exists():
        for name, value in dotenv_values(path).items():
            if value is not None and name not in os.environ:
                os.environ[name] = value


def split_list(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


@dataclass(frozen=True)
class ClickUpSettings:
    tokens: tuple[str, ...]
    api_url: str
    workspace_ids: tuple[str, ...]

    @classmethod
    def from_env(cls) -> "ClickUpSettings":
        tokens = split_list(os.environ.get("CLICKUP_API_TOKEN"))
        if not tokens:
            raise ConfigurationError(
                "CLICKUP_API_TOKEN is not set: export your ClickUp personal token (pk_...) or put "
                "CLICKUP_API_TOKEN=pk_... in .env; several tokens may be separated by commas."
            )
        return cls(
            tokens=tokens,
            api_url=(os.environ.get("CLICKUP_API_URL") or DEFAULT_API_URL).rstrip("/"),
            workspace_ids=split_list(os.environ.get("CLICKUP_WORKSPACE_IDS")),
        )


def start_date() -> str:
    """First daily partition of tasks and time entries (`CLICKUP_START_DATE`, YYYY-MM-DD)."""
    value = os.environ.get("CLICKUP_START_DATE") or DEFAULT_START_DATE
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(
            f"CLICKUP_START_DATE must be a date like 2020-01-01, not {value!r}") from None
    return value


def days_setting(variable: str, default: int) -> int:
    """A whole number of days from the environment, with an error naming the variable."""
    value = (os.environ.get(variable) or str(default)).strip()
    if not value.isdigit():
        raise ConfigurationError(f"{variable} must be a whole number of days, not {value!r}")
    return int(value)


def time_entries_lookback_days() -> int:
    """Days of time entries an incremental sync re-reads (they have no updated-since filter)."""
    return days_setting("CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS", 30)


def database_url() -> str:
    """DATABASE_URL, or the embedded server's warehouse database (started on demand)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    return EmbeddedPostgres().ensure_running().url()


@dataclass(frozen=True)
class PostgresParts:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def parse(cls, url: str) -> "PostgresParts":
        parts = urlsplit(url)
        if not parts.scheme.startswith("postgres") or not parts.path.strip("/"):
            raise ConfigurationError(
                "DATABASE_URL must look like postgresql://user:password@host:port/database"
            )
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            database=parts.path.strip("/"),
        )


def dbt_env(url: str) -> dict[str, str]:
    """The variables dbt_project/profiles.yml reads."""
    p = PostgresParts.parse(url)
    return {
        "CLICKUP_DBT_HOST": p.host,
        "CLICKUP_DBT_PORT": str(p.port),
        "CLICKUP_DBT_USER": p.user,
        "CLICKUP_DBT_PASSWORD": p.password,
        "CLICKUP_DBT_DBNAME": p.database,
    }


def dagster_storage_env(url: str, embedded: bool) -> dict[str, str]:
    """The variables dagster.yaml reads: the embedded `dagster` database, or DATABASE_URL's database."""
    p = PostgresParts.parse(url)
    if embedded:
        from clickup_elt.warehouse.embedded import DAGSTER_DB

        p = PostgresParts(p.host, p.port, p.user, p.password, DAGSTER_DB)
    return {
        "DAGSTER_PG_HOST": p.host,
        "DAGSTER_PG_PORT": str(p.port),
        "DAGSTER_PG_USER": p.user,
        "DAGSTER_PG_PASSWORD": p.password or "-",
        "DAGSTER_PG_DB": os.environ.get("DAGSTER_PG_DB") or p.database,
    }


def ensure_dagster_home() -> Path:
    """DAGSTER_HOME if set (its dagster.yaml is the user's); else a project-local one from the template."""
    if os.environ.get("DAGSTER_HOME"):
        home = Path(os.environ["DAGSTER_HOME"])
        home.mkdir(parents=True, exist_ok=True)
        if not (home / "dagster.yaml").exists():
            shutil.copy(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
        return home
    home = state_dir() / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def prepare_environment() -> str:
    """Everything a command needs before it touches Dagster or dbt; returns the warehouse URL."""
    load_dotenv_file()
    embedded = not os.environ.get("DATABASE_URL")
    url = database_url()
    os.environ["DATABASE_URL"] = url
    for name, value in {**dbt_env(url), **dagster_storage_env(url, embedded)}.items():
        os.environ[name] = value
    ensure_dagster_home()
    return url


DEFAULT_MAX_AGE = "tasks=3,comments=3,task_time_in_status=3,deletions=192,*=26"


def max_age_hours() -> dict[str, float]:
    """Hours after which an entity's last successful sync is overdue (`*`: any other entity)."""
    text = os.environ.get("CLICKUP_SYNC_MAX_AGE_HOURS") or DEFAULT_MAX_AGE
    limits = dict(item.split("=", 1) for item in DEFAULT_MAX_AGE.split(","))
    try:
        limits.update(item.strip().split("=", 1) for item in text.split(",") if item.strip())
        return {entity.strip(): float(hours) for entity, hours in limits.items()}
    except ValueError:
        raise ConfigurationError(
            f"CLICKUP_SYNC_MAX_AGE_HOURS must look like 'tasks=3,*=26', not {text!r}") from None
