"""A real browser for the UI tests: Debian's Chromium driven by Playwright, and a screenshot of the
page whenever a UI test fails."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own background traffic (updates, sync, field trials) is refused on a closed network and
# can stall start-up: turn it off, and start from an empty profile every time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).with_name("screenshots")


def pytest_addoption(parser):
    parser.addoption(
        "--asset-graph-png",
        metavar="PATH",
        default=None,
        help=(
            "Also save the asset graph of the UI test's deployment to PATH "
            "(docs/asset-graph.png in the README)."
        ),
    )


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    """A headless Chromium with a fresh profile; skipped where Debian's chromium is not installed
    (`make test` installs it when it runs as root)."""
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: install Debian's chromium package to run the UI tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1600, "height": 1000},
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed UI test leaves a screenshot of what the browser showed; the report names it."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or page is None:
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{item.name}-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
        note = f"the browser showed {page.url}: {path}"
    except Exception as exc:  # a crashed browser still leaves the failure itself to read
        note = f"no screenshot ({exc})"
    report.sections.append(("screenshot", note + "\n"))
