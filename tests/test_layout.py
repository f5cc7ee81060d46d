"""Layout on a laptop (1366 px) and a phone (390 px): nothing wider than the window, navbar on one line, the
session agenda readable on a phone, the progress board's scrollbar and first column in view.

Full-page screenshots of every page at both widths are written to test-results/ (ignored by git) to look at.
"""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from .test_accessibility import sign_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = django_settings.BASE_DIR / "test-results"


def demo_options():
    """The demo moved so that its first session is three days away: open tasks, a next session."""
    return ["--shift-to", (timezone.now() + timedelta(days=3)).date().isoformat()]


@pytest.fixture
def shifted_demo(committed_demo, live_server, settings):  # one demo for the module's tests: they only look
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    SHOTS.mkdir(exist_ok=True)
    from sessions_app.models import Workshop

    return Workshop.objects.get(slug="caribbean-2021")


def overflow(page):
    """How many pixels the page is wider than the window (0 when nothing sticks out)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def visit(page, url, name, width):
    page.goto(url, wait_until="load")
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert overflow(page) <= 0, f"{name} at {width} px is {overflow(page)} px wider than the window"


def test_portal_pages_fit_a_laptop_and_a_phone(shifted_demo, live_server, browser):
    from participants.models import Participant

    participant = Participant.objects.select_related("cohort").get(user__email="participant@demo.test")
    occurrence = participant.cohort.occurrences.order_by("starts_at").first()
    pages = {
        "participant": [
            ("home", "/"),
            ("session", occurrence.get_absolute_url()),
            ("my-preparation", "/preparation/"),
        ],
        "facilitator": [("progress-board", f"/facilitate/groups/{participant.cohort_id}/preparation/")],
        None: [("sign-in", "/accounts/login/")],
    }
    for viewport in (LAPTOP, PHONE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for role, urls in pages.items():
            context.clear_cookies()
            if role:
                sign_in(context, live_server, f"{role}@demo.test")
            for name, path in urls:
                visit(page, f"{live_server.url}{path}", name, viewport["width"])
                if viewport is LAPTOP and role:
                    height = page.eval_on_selector(".portal-navbar", "nav => nav.offsetHeight")
                    assert height < 70, f"the navbar wraps on {name} at 1366 px ({height} px high)"
        context.close()


def test_the_session_agenda_reads_well_on_a_phone(shifted_demo, live_server, browser):
    from participants.models import Participant

    participant = Participant.objects.select_related("cohort").get(user__email="participant@demo.test")
    occurrence = participant.cohort.occurrences.order_by("starts_at").first()
    context = browser.new_context(viewport=PHONE)
    sign_in(context, live_server, "participant@demo.test")
    page = context.new_page()
    page.goto(f"{live_server.url}{occurrence.get_absolute_url()}", wait_until="load")
    widths = page.eval_on_selector_all(
        "table.agenda td .fw-semibold", "titles => titles.map(t => t.getBoundingClientRect().width)"
    )
    assert widths and min(widths) > 300, widths  # titles take the whole width, not a third of it
    time_box, title_box = page.eval_on_selector(
        "table.agenda tbody tr:not(.table-light)",
        "row => [row.cells[0].getBoundingClientRect().top, row.cells[1].getBoundingClientRect().top]",
    )
    assert title_box > time_box  # time, then title below it, then the speakers
    context.close()


def test_the_progress_board_keeps_its_scrollbar_and_first_column_in_view(shifted_demo, live_server, browser):
    from participants.models import Participant

    cohort_id = Participant.objects.get(user__email="participant@demo.test").cohort_id
    for viewport in (LAPTOP, PHONE):
        context = browser.new_context(viewport=viewport)
        sign_in(context, live_server, "facilitator@demo.test")
        page = context.new_page()
        page.goto(f"{live_server.url}/facilitate/groups/{cohort_id}/preparation/", wait_until="load")
        box = page.locator(".board-scroll")
        box.scroll_into_view_if_needed()
        assert page.evaluate("document.querySelector('.board-scroll').clientHeight") <= viewport["height"]
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the tasks scroll inside the box
        first = page.locator(".progress-board tbody th[scope=row]").first
        assert first.evaluate("th => getComputedStyle(th).position") == "sticky"
        box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
        assert first.evaluate("th => th.getBoundingClientRect().left") >= 0  # still there after scrolling
        context.close()


def test_the_workshop_admin_page_fits_a_laptop(shifted_demo, live_server, browser):
    context = browser.new_context(viewport=LAPTOP)
    sign_in(context, live_server, "organizer@demo.test")
    page = context.new_page()
    visit(page, f"{live_server.url}/admin/sessions_app/workshop/{shifted_demo.pk}/change/", "admin-workshop", 1366)
    visit(page, f"{live_server.url}/admin/participants/participant/", "admin-participants", 1366)
    headers = page.eval_on_selector_all("#result_list thead th", "ths => ths.map(th => th.textContent.trim())")
    assert any("Group" in h for h in headers) and any("Invitation" in h.title() for h in headers), headers
    context.close()
