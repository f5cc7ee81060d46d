"""In a real browser: the run-sheet's countdowns, rewritten by runsheet.js every second, stay in French."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .factories import UserFactory
from .factories_live import live_workshop, occurrence_of
from .test_live_browser import sign_in

pytestmark = pytest.mark.browser


def test_french_run_sheet_countdown_still_reads_french_after_a_few_seconds(live_server, settings, browser):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    facilitator = UserFactory(email="felix@example.org", language="fr")
    occurrence = occurrence_of(live_workshop(facilitator=facilitator))
    # Running since 2 minutes: "Welcome" ends in 13 min, when the next item starts.
    occurrence.starts_at = timezone.now() - timedelta(minutes=2)
    occurrence.ends_at = occurrence.starts_at + timedelta(minutes=135)
    occurrence.save()

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)
    sign_in(page, live_server.url, facilitator.email)
    page.goto(f"{live_server.url}/live/sessions/{occurrence.pk}/")
    words = page.locator("#runsheet-next [data-countdown-words]")
    expect(words).to_have_text(re.compile(r"^dans 1[23] min$"))
    # Only the script writes it from now on: blank the server's text; its next tick (once a second) writes it again.
    page.evaluate("document.querySelector('#runsheet-next [data-countdown-words]').textContent = ''")
    expect(words).to_have_text(re.compile(r"^dans 1[23] min$"), timeout=3_000)
    expect(page.locator("#runsheet-now [data-countdown]")).to_have_text(re.compile(r"^1[23]:\d\d$"))
    assert page.evaluate("document.documentElement.lang") == "fr"
    # The catalogue came as a script of the portal's own origin: no CSP complaint.
    assert not violations
