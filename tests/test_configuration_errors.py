"""A bad setting stops every command with one `error:` line that names the variable and the fix: exit
code 2, no traceback, and no password or token in what is printed."""

from __future__ import annotations

import datetime as dt
import itertools
import socket

import pytest

from clickup_elt import settings
from pg import with_database

TOKEN = "pk_4711_not_for_your_eyes"
SECRET = ("s3cr", "et7")  # a password's halves: neither may be printed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _password_url(char: str) -> str:
    return f"postgresql://u:{SECRET[0]}{char}{SECRET[1]}@127.0.0.1:5432/clickup"


# (case id, variables, what the line must name)
CASES = [
    *[
        (f"password-with-{name}", {"DATABASE_URL": _password_url(char)}, ["DATABASE_URL", code])
        for name, char, code in [
            ("slash", "/", "%2F"),
            ("at", "@", "%40"),
            ("colon", ":", "%3A"),
            ("hash", "#", "%23"),
            ("question-mark", "?", "%3F"),
        ]
    ],
    (
        "refused",
        {"DATABASE_URL": "postgresql://u:{secret}@127.0.0.1:{port}/clickup"},
        ["DATABASE_URL", "127.0.0.1", "port {port}"],
    ),
    (
        "unknown-host",
        {"DATABASE_URL": "postgresql://u:{secret}@no-such-host.invalid:5432/clickup"},
        ["DATABASE_URL", "no-such-host.invalid"],
    ),
    (
        "missing-database",
        {"DATABASE_URL": "{server}/clickup_no_such_database"},
        ["DATABASE_URL", "clickup_no_such_database"],
    ),
    *[
        (f"max-age-{value}", {"CLICKUP_SYNC_MAX_AGE_HOURS": value}, ["CLICKUP_SYNC_MAX_AGE_HOURS"])
        for value in ("tasks=nan", "-1", "tasks=inf", "*=0", "comments=-3")
    ],
    ("start-date-compact", {"CLICKUP_START_DATE": "20200101"}, ["CLICKUP_START_DATE", "YYYY-MM-DD"]),
    ("start-date-future", {"CLICKUP_START_DATE": "{future}"}, ["CLICKUP_START_DATE", "future"]),
    (
        "api-url-plain-http",
        {"CLICKUP_API_URL": "http://api.clickup.com/api/v2"},
        ["CLICKUP_API_URL", "https://"],
    ),
    ("api-url-not-a-url", {"CLICKUP_API_URL": "api.clickup.com"}, ["CLICKUP_API_URL"]),
    ("read-concurrency-zero", {"CLICKUP_READ_CONCURRENCY": "0"}, ["CLICKUP_READ_CONCURRENCY"]),
]
# Every case through `status`, and through one of the other commands in turn. `docs` without serving
# and `dev` would run on; the checks must stop them first.
OTHERS = itertools.cycle([("sync",), ("dev",), ("docs", "--no-serve")])
RUNS = [pytest.param(("status",), *case[1:], id=f"status-{case[0]}") for case in CASES] + [
    pytest.param(command, *case[1:], id=f"{command[0]}-{case[0]}")
    for case, command in zip(CASES, OTHERS, strict=False)
]


@pytest.mark.parametrize("command, variables, named", RUNS)
def test_a_bad_setting_is_one_line(run_cli, pg_server_url, tmp_path, command, variables, named):
    fill = {
        "secret": "".join(SECRET),
        "port": _free_port(),
        "server": pg_server_url.rpartition("/")[0],
        "future": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
    }
    env = {
        "CLICKUP_API_TOKEN": TOKEN,
        "DATABASE_URL": with_database(pg_server_url, "postgres"),
        **{name: value.format(**fill) for name, value in variables.items()},
    }
    result = run_cli(*command, home=tmp_path, env=env)
    printed = result.stdout + result.stderr
    assert result.returncode == 2, printed
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in named:
        assert word.format(**fill) in lines[0]
    assert "Traceback" not in printed
    assert TOKEN not in printed and not any(half in printed for half in SECRET)
    server_password = settings.PostgresParts.parse(pg_server_url).password
    assert not server_password or server_password not in printed


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8123/api/v2",
        "http://localhost:8123/api/v2",
        "http://[::1]:8123/api/v2",
        "https://api.clickup.com/api/v2/",
    ],
)
def test_plain_http_is_fine_on_this_machine_and_https_anywhere(monkeypatch, url):
    monkeypatch.setenv("CLICKUP_API_URL", url)
    assert settings.api_url() == url.rstrip("/")


@pytest.mark.parametrize(
    "name, value",
    [
        ("CLICKUP_START_DATE", dt.date.today().isoformat()),
        ("CLICKUP_SYNC_MAX_AGE_HOURS", "tasks=0.5,*=48"),
        ("CLICKUP_READ_CONCURRENCY", "1"),
    ],
)
def test_good_values_pass(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    settings.check_settings()


@pytest.mark.parametrize("value", ["0", "-2", "eight", "2.5"])
def test_a_read_concurrency_that_is_not_a_whole_number_above_zero_is_named(monkeypatch, value):
    monkeypatch.setenv("CLICKUP_READ_CONCURRENCY", value)
    with pytest.raises(settings.ConfigurationError, match="CLICKUP_READ_CONCURRENCY"):
        settings.check_settings()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:s3cr/et7@db.example",
        "postgresql://u:s3cr?et7@db.example/db",
        "postgresql://u:s3cr:et7@[::1]:5432/db",
    ],
)
def test_an_unescaped_password_is_caught_without_a_database_path_or_with_ipv6(url):
    with pytest.raises(settings.ConfigurationError, match="percent-encoded") as raised:
        settings.PostgresParts.parse(url)
    assert not any(half in str(raised.value) for half in SECRET)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:pa%2Fss%40x@db.example:5432/clickup",
        "postgresql://db.example/clickup?options=-c%20x@y",
        "postgresql+psycopg2://u:Sekr3t@[::1]:5432/clickup",
    ],
)
def test_well_formed_database_urls_pass(url):
    parts = settings.PostgresParts.parse(url)
    assert parts.database == "clickup"
    assert not parts.password or parts.password not in repr(parts)
