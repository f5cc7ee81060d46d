"""In a real browser, under the portal's Content-Security-Policy: the main pages raise no CSP violation."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sessions_app.models import SessionOccurrence, Workshop

pytestmark = pytest.mark.browser

# Until the fonts are in and no htmx request is in flight: what a page loads after its load event (htmx swaps) is
# checked too, without Playwright's "networkidle" (half a second of quiet per page, 9 s of this test's 19).
SETTLED = """async () => {
  await document.fonts.ready;
  while (document.querySelector(".htmx-request")) await new Promise((resolve) => setTimeout(resolve, 20));
}"""

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def visit_all(browser, base_url, email, password, paths):
    """Sign in, open each page, and return every CSP violation the browser reported, with the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console = []
    page.on("console", lambda message: console.append(f"{page.url}: {message.text}"))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    # Participants land on the home, facilitators on Facilitate.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    violations = []
    for path in ["/", *paths]:
        response = page.goto(f"{base_url}{path}")
        assert response.status == 200, path
        assert "Content-Security-Policy" in {name.title(): 1 for name in response.headers}, path
        page.evaluate(SETTLED)
        violations += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
        if not path.startswith("/admin/"):
            # htmx was told not to inject its indicator <style>, which the policy would refuse.
            assert page.evaluate("htmx.config.includeIndicatorStyles") is False, path
    page.close()
    return violations + [line for line in console if "Content Security Policy" in line]


def test_the_main_pages_raise_no_content_security_policy_violation(live_server, settings, browser):
    settings.DEBUG = True
    start = (timezone.now() - timedelta(days=1)).date()
    call_command("load_demo", "--shift-to", start.isoformat(), stdout=StringIO())
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    workshop = Workshop.objects.get(slug="caribbean-2021")
    occurrence = SessionOccurrence.objects.filter(cohort__workshop=workshop).order_by("starts_at").first()

    participant_pages = [
        "/schedule/",
        "/preparation/",
        "/dtca/",
        "/action-plan/",
        "/evaluations/",
        "/profile/",
        f"/programme/{workshop.slug}/",
    ]
    facilitator_pages = [
        "/facilitate/",
        f"/live/sessions/{occurrence.pk}/?theme=dark",
        f"/live/sessions/{occurrence.pk}/attendance/",
        f"/live/sessions/{occurrence.pk}/polls/",
        f"/live/sessions/{occurrence.pk}/key-messages/",
    ]
    violations = visit_all(browser, live_server.url, "participant@demo.test", settings.DEMO_PASSWORD, participant_pages)
    violations += visit_all(
        browser, live_server.url, "facilitator@demo.test", settings.DEMO_PASSWORD, facilitator_pages
    )
    organizer_pages = [
        "/admin/",
        "/admin/reminders/reminderrule/",
        f"/admin/sessions_app/workshop/{workshop.pk}/change/",
    ]
    violations += visit_all(browser, live_server.url, "organizer@demo.test", settings.DEMO_PASSWORD, organizer_pages)
    assert violations == []


def test_an_inline_script_is_refused_and_reported(live_server, settings, browser, db):
    """The check above can fail: a page with an inline script shows up as a violation."""
    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__cspViolations"))
