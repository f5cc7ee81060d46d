"""One journey in a real browser: an answer is saved the moment it is given (htmx), and is there after a reload."""

import re

import pytest

from assessments.models import Answer

from .shared_demo import load_demo_into

pytestmark = pytest.mark.browser


def test_an_answer_is_saved_as_it_is_given_and_survives_a_reload(live_server, settings, browser_page):
    settings.DEBUG = True
    load_demo_into(settings.PRIVATE_MEDIA_ROOT.parent)  # a copy of this worker's first load, when it can be
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "participant@demo.test")
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/dtca/")
    page.click("text=Continue")
    page.wait_for_url(re.compile(r"/dtca/my/3/$"))
    statement = page.locator(".dtca-statement").nth(1)

    def autosave(response):
        return "/dtca/my/answers/" in response.url and response.request.method == "POST"

    with page.expect_response(autosave):
        statement.locator("label", has_text="Largely in place").click()
    statement.locator(".dtca-save-status").get_by_text("Saved").wait_for()
    assert "12 of 30" in page.locator("#dtca-progress").inner_text()  # the progress bar follows

    with page.expect_response(autosave):  # typing is saved after a short pause, without leaving the field
        statement.locator("textarea").fill("Procurement rules were harmonised in 2020.")
    answer = Answer.objects.get(
        assessment__participant__user__email="participant@demo.test", statement__dimension__order=3, statement__order=2
    )
    assert (answer.score, answer.note) == (4, "Procurement rules were harmonised in 2020.")

    page.reload()
    statement = page.locator(".dtca-statement").nth(1)
    assert statement.locator("input[value='4']").is_checked()
    page.screenshot(path=str(settings.VAR_DIR / "dtca-participant.png"), full_page=True)
