"""Playwright in Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
around it are synchronous and safe, hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import time

import pytest
from django.db import connection
from playwright.sync_api import sync_playwright

from tests.coach.factories import TEST_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page


def _close(context, timeout=10):
    """Close the browser, then wait for the live server to finish what it was still answering
    (a queued set, a page the service worker keeps): the database flush after the test
    deadlocks with a request still in a transaction."""
    context.close()
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.05)


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _page(browser, PHONE, is_mobile=True, has_touch=True)
    yield page
    _close(context)


@pytest.fixture
def laptop_page(browser, live_server):
    context, page = _page(browser, LAPTOP)
    yield page
    _close(context)


@pytest.fixture
def policy_violations(request):
    """Content-Security-Policy refusals the page reports on its console, for the test's page."""
    found = []

    def watch(page):
        page.on(
            "console",
            lambda message: (
                found.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return found

    return watch


def log_in(page, live_server, username, password=TEST_PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
