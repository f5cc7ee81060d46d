"""One journey in a real browser, on a phone: the demo participant adds an action and records its progress."""

import re

import pytest

from action_plans.models import Action, ActionUpdate

from .shared_demo import load_demo_into

pytestmark = pytest.mark.browser


def test_a_participant_adds_an_action_on_a_suggested_dimension_and_notes_progress(
    live_server,
    settings,
    browser_page,
):
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

    page.goto(f"{live_server.url}/action-plan/")
    page.wait_for_url(re.compile(r"/action-plans/\d+/JM/$"))
    page.get_by_role("link", name="Add an action").first.click()
    page.fill("input[name=title]", "Publish open data on hurricane shelters")
    dimension = page.locator("select[name=dimension]")
    first_suggested = dimension.locator("optgroup").first.locator("option").first
    assert "(suggested)" in first_suggested.inner_text()
    dimension.select_option(first_suggested.get_attribute("value"))
    page.get_by_label("13 · Climate action").check()
    page.get_by_label("Inclusiveness").check()
    page.fill("input[name=owner]", "Office of Disaster Preparedness")
    page.get_by_role("button", name="Add the action").click()

    added = page.locator("article.action", has_text="Publish open data on hurricane shelters")
    added.wait_for()
    assert "Added by Alicia Browne" in added.inner_text()
    added.locator("summary", has_text="Update progress").click()
    added.locator("select[name$=-status]").select_option("started")
    added.locator("textarea[name$=-note]").fill("Shelter list agreed with the parishes.")
    added.get_by_role("button", name="Save progress").click()

    added = page.locator("article.action", has_text="Publish open data on hurricane shelters")
    assert "Started" in added.locator(".action-status").inner_text()
    assert "status, progress note" in added.inner_text()
    action = Action.objects.get(title="Publish open data on hurricane shelters")
    assert action.owner == "Office of Disaster Preparedness" and action.status == "started"
    assert list(action.sdgs.values_list("number", flat=True)) == [13]
    assert ActionUpdate.objects.filter(action=action, note="Shelter list agreed with the parishes.").exists()
