"""One journey in a real browser: the demo participant signs in and reads the next session."""

import os
import shutil
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium); `make test` installs it where it can.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls happen outside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        yield page
        browser.close()


def test_demo_participant_signs_in_and_reads_the_next_session(live_server, settings, browser_page):
    settings.DEBUG = True
    start = (timezone.now() + timedelta(days=3)).date()
    call_command("load_demo", "--shift-to", start.isoformat(), stdout=StringIO())
    # Playwright's sync API runs this test in its own context, whose database connection
    # would outlive the test and keep the test database from being dropped.
    connection.close()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "participant@demo.test")
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    next_session = page.locator("#next-session")
    assert "next session" in next_session.inner_text().lower()
    assert "Session 1: Innovation and Digital Government Transformation" in next_session.inner_text()
    # 10:00 ECT shown as 09:00 in Jamaica, the demo participant's country.
    assert "09:00" in next_session.inner_text() and "10:00 ECT" in next_session.inner_text()
    assert "Transforming our world" in next_session.inner_text()
    page.screenshot(path=str(settings.VAR_DIR / "home-participant.png"), full_page=True)
