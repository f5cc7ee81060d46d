"""One journey in a real browser: the demo participant signs in and reads the next session."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.browser


def test_demo_participant_signs_in_and_reads_the_next_session(live_server, settings, browser_page):
    settings.DEBUG = True
    start = (timezone.now() + timedelta(days=3)).date()
    call_command("load_demo", "--shift-to", start.isoformat(), stdout=StringIO())
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
    assert "09:00" in next_session.inner_text() and "10:00–12:15 ECT" in next_session.inner_text()
    # The preparation is in the to-do list, with its status and due moment.
    assert "Transforming our world" in page.locator("#todo").inner_text()
    page.screenshot(path=str(settings.VAR_DIR / "home-participant.png"), full_page=True)
