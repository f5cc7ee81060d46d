"""In a real browser: a participant votes on a phone and the facilitator's screen shows it without a reload."""

import pytest
from playwright.sync_api import expect

from live.services import polls as poll_services

from .factories import UserFactory
from .factories_live import enrol, live_workshop, make_poll, occurrence_of

pytestmark = pytest.mark.browser


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_facilitators_results_update_while_a_participant_votes(live_server, settings, browser):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    facilitator = UserFactory(email="felix@example.org")
    occurrence = occurrence_of(live_workshop(facilitator=facilitator))
    voter = enrol(occurrence.cohort, countries=1)[0]
    poll = make_poll(occurrence.session, question="Which obstacle weighs most?")
    run = poll_services.open_poll(poll, occurrence)

    screen = browser.new_page(viewport={"width": 1366, "height": 768})  # the facilitator's projector
    sign_in(screen, live_server.url, facilitator.email)
    screen.goto(f"{live_server.url}/live/sessions/{occurrence.pk}/polls/")
    card = screen.locator(f"#poll-{poll.pk}")
    assert "0 votes" in card.inner_text()

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, live_server.url, voter.user.email)
    phone.goto(f"{live_server.url}{run.get_absolute_url()}")
    phone.get_by_label("Budget").check()
    phone.get_by_role("button", name="Vote").click()
    phone.wait_for_load_state()
    assert "Your vote is recorded" in phone.content()

    # No reload: htmx fetches the results every few seconds.
    expect(card).to_contain_text("1 vote", timeout=15_000)  # a locator wait: the page's CSP forbids eval
    assert "100%" in card.inner_text()
    screen.goto(f"{live_server.url}/live/sessions/{occurrence.pk}/?theme=dark")
    assert screen.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    screen.screenshot(path=str(settings.VAR_DIR / "live-runsheet-dark.png"), full_page=True)
