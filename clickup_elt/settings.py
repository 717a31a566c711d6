"""Configuration from the environment (and `.env`), with the errors a user can act on.

`prepare_environment()` is what every command runs first: it reads `.env`, checks the settings, starts
the embedded Postgres when DATABASE_URL is unset (else checks that DATABASE_URL answers), and exports what
Dagster and dbt read (DAGSTER_HOME, CLICKUP_DBT_*). Messages never contain a password or a token.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dotenv import dotenv_values

from clickup_elt.paths import PROJECT_DIR, state_dir

DEFAULT_API_URL = "https://api.clickup.com/api/v2"
DEFAULT_START_DATE = "2020-01-01"
CONNECT_TIMEOUT_SECONDS = 5


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


def tokens(value: str | None = None) -> tuple[str, ...]:
    """The ClickUp tokens of CLICKUP_API_TOKEN (or `value`), in the order given: the first one that
    reaches a workspace is the one it syncs with. Empty when none is configured."""
    return split_list(os.environ.get("CLICKUP_API_TOKEN") if value is None else value)


@dataclass(frozen=True)
class ClickUpSettings:
    tokens: tuple[str, ...]
    api_url: str
    workspace_ids: tuple[str, ...]

    @classmethod
    def from_env(cls) -> ClickUpSettings:
        configured = tokens()
        if not configured:
            raise ConfigurationError(
                "CLICKUP_API_TOKEN is not set: export your ClickUp personal token (pk_...) or put "
                "CLICKUP_API_TOKEN=pk_... in .env; several tokens may be separated by commas."
            )
        return cls(
            tokens=configured,
            api_url=api_url(),
            workspace_ids=split_list(os.environ.get("CLICKUP_WORKSPACE_IDS")),
        )


def api_url() -> str:
    """`CLICKUP_API_URL`: https, or plain http on this machine only (the simulator), since every request
    carries the token."""
    value = (os.environ.get("CLICKUP_API_URL") or DEFAULT_API_URL).strip().rstrip("/")
    parts = urlsplit(value)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigurationError(
            "CLICKUP_API_URL is not a URL: set it to https://api.clickup.com/api/v2 (the default), or "
            "to http://127.0.0.1:PORT/api/v2 for `clickup-elt simulator`"
        )
    if parts.scheme == "http" and not loopback(host):
        raise ConfigurationError(
            f"CLICKUP_API_URL must use https:// for {host}: over plain http the ClickUp token would "
            "travel unencrypted (http:// is accepted only for 127.0.0.1, localhost and [::1])"
        )
    return value


def loopback(host: str | None) -> bool:
    """Whether `host` is this machine (127.0.0.0/8, ::1, localhost)."""
    host = (host or "").strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def start_date() -> str:
    """First day of tasks and time entries read (`CLICKUP_START_DATE`, YYYY-MM-DD, not in the
    future: there is nothing to read after today)."""
    value = (os.environ.get("CLICKUP_START_DATE") or DEFAULT_START_DATE).strip()
    try:
        day = dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        day = None
    if day is None:
        raise ConfigurationError(
            f"CLICKUP_START_DATE must be a date written YYYY-MM-DD, like 2020-01-01, not {value!r}"
        )
    if day > _latest_today():
        raise ConfigurationError(
            f"CLICKUP_START_DATE {value} is in the future: set the first day to sync, today or earlier"
        )
    return value


def _latest_today() -> dt.date:
    """Today here or in UTC, whichever is later (days are UTC days)."""
    return max(dt.date.today(), dt.datetime.now(dt.timezone.utc).date())


def days_setting(variable: str, default: int, unit: str = "days") -> int:
    """A whole number (of days) from the environment, with an error naming the variable."""
    value = (os.environ.get(variable) or str(default)).strip()
    if not value.isdigit():
        raise ConfigurationError(f"{variable} must be a whole number of {unit}, not {value!r}")
    return int(value)


def confirm_budget() -> int:
    """Requests a task load may spend per workspace confirming tasks that left the partitions it
    re-read (`CLICKUP_CONFIRM_BUDGET`); the rest are kept as stored and confirmed by the next run."""
    return days_setting("CLICKUP_CONFIRM_BUDGET", 500, unit="requests")


def read_concurrency() -> int:
    """Per-task reads (comments, time in status) of one workspace in flight at once
    (`CLICKUP_READ_CONCURRENCY`, default 8; 1 reads one after another). The token's rate limit still
    paces them all."""
    value = days_setting("CLICKUP_READ_CONCURRENCY", 8, unit="requests at a time")
    if value < 1:
        raise ConfigurationError("CLICKUP_READ_CONCURRENCY must be at least 1 (1 reads one task at a time)")
    return value


def time_entries_lookback_days() -> int:
    """Days of time entries an incremental sync re-reads (they have no updated-since filter)."""
    return days_setting("CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS", 30)


def database_url() -> str:
    """DATABASE_URL (checked for shape), or the embedded server's warehouse database (started on demand)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        PostgresParts.parse(url)
        return url
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    return EmbeddedPostgres().ensure_running().url()


@dataclass(frozen=True)
class PostgresParts:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    database: str

    @classmethod
    def parse(cls, url: str) -> PostgresParts:
        """The parts of DATABASE_URL; errors never quote it, since it may hold a password."""
        _check_userinfo(url)
        parts = urlsplit(url)
        if not parts.scheme.startswith("postgres") or not parts.path.strip("/"):
            raise ConfigurationError(
                "DATABASE_URL must look like postgresql://user:password@host:port/database"
            )
        try:
            port = parts.port or 5432
        except ValueError:
            raise ConfigurationError(
                "DATABASE_URL's port must be a number from 1 to 65535 "
                "(postgresql://user:password@host:5432/database)"
            ) from None
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=port,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            database=parts.path.strip("/"),
        )


def _check_userinfo(url: str) -> None:
    """A password with `/`, `@`, `:`, `#` or `?` left as is breaks the URL apart: the host, port or
    database read from it would be wrong, and parts of the password would end up in messages."""
    rest = url.partition("://")[2]
    userinfo, at, hostpart = rest.rpartition("@")
    if not at or ("/" not in hostpart and "@" in urlsplit(url).query):  # an `@` in the options
        return
    if any(char in userinfo for char in "/@#?") or userinfo.count(":") > 1:
        raise ConfigurationError(
            "DATABASE_URL: the password (or user name) holds a character that must be percent-encoded: "
            "write / as %2F, @ as %40, : as %3A, # as %23 and ? as %3F "
            "(postgresql://user:pa%2Fss@host:5432/database)"
        )


def check_database_reachable(url: str) -> None:
    """One quick connection, so a wrong DATABASE_URL is one clear line rather than a failed run."""
    import psycopg2

    from clickup_elt.warehouse import db

    try:
        db.connect(url, connect_timeout=CONNECT_TIMEOUT_SECONDS).close()
    except psycopg2.OperationalError as exc:
        p = PostgresParts.parse(url)
        raise ConfigurationError(
            f"cannot connect to the database in DATABASE_URL (host {p.host}, port {p.port}, "
            f"database {p.database}, user {p.user}): {_connect_advice(str(exc), p)}"
        ) from None


def _connect_advice(message: str, p: PostgresParts) -> str:
    """What libpq's error means and what to check, without the password."""
    if "password" in message or ("role" in message and "does not exist" in message):
        return (
            "the server refused the user name or password: check both in DATABASE_URL "
            "(special characters in the password percent-encoded)"
        )
    if "could not translate host name" in message:
        return f"unknown host {p.host}: check the host name in DATABASE_URL"
    if "Connection refused" in message:
        return "nothing listens there: check that PostgreSQL runs and the host and port in DATABASE_URL"
    if "timeout expired" in message:
        return (
            f"no answer within {CONNECT_TIMEOUT_SECONDS} s: check the host and port in DATABASE_URL "
            "and any firewall between"
        )
    if "database" in message and "does not exist" in message:
        return f"database {p.database} does not exist: create it (createdb {p.database}) or fix its name"
    first = message.strip().splitlines()[0] if message.strip() else "no reason given"
    return first.replace(p.password, "***") if p.password else first


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
    check_settings()
    embedded = not os.environ.get("DATABASE_URL")
    url = database_url()
    if not embedded:
        check_database_reachable(url)
    os.environ["DATABASE_URL"] = url
    for name, value in {**dbt_env(url), **dagster_storage_env(url, embedded)}.items():
        os.environ[name] = value
    ensure_dagster_home()
    return url


def check_settings() -> None:
    """Fail fast on a malformed setting, before a server starts or Dagster loads the definitions."""
    start_date()
    api_url()
    max_age_hours()
    time_entries_lookback_days()
    confirm_budget()
    read_concurrency()
    for variable in ("CLICKUP_HTTP_TIMEOUT_SECONDS", "CLICKUP_POOL_WAIT_MINUTES", "CLICKUP_PROGRESS_SECONDS"):
        positive_number(variable)


def positive_number(variable: str) -> float | None:
    """A number above zero from the environment (None when unset), with an error naming it."""
    value = (os.environ.get(variable) or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not math.isfinite(number) or number <= 0:
        raise ConfigurationError(f"{variable} must be a number above zero, not {value!r}")
    return number


DEFAULT_MAX_AGE = "tasks=3,comments=3,task_time_in_status=3,deletions=192,*=26"


def _entity_hours(item: str) -> tuple[str, str]:
    entity, equals, hours = item.partition("=")
    if not equals:
        raise ValueError(f"{item!r} is not entity=hours")
    return entity, hours


def max_age_hours() -> dict[str, float]:
    """Hours after which an entity's last successful sync is overdue (`*`: any other entity)."""
    text = os.environ.get("CLICKUP_SYNC_MAX_AGE_HOURS") or DEFAULT_MAX_AGE
    limits = dict(_entity_hours(item) for item in DEFAULT_MAX_AGE.split(","))
    try:
        limits.update(_entity_hours(item.strip()) for item in text.split(",") if item.strip())
        hours = {entity.strip(): float(value) for entity, value in limits.items()}
    except ValueError:
        hours = {}
    if not hours or not all(entity and math.isfinite(h) and h > 0 for entity, h in hours.items()):
        raise ConfigurationError(
            f"CLICKUP_SYNC_MAX_AGE_HOURS must look like 'tasks=3,*=26' (entity=hours, hours above "
            f"zero), not {text!r}"
        )
    return hours
