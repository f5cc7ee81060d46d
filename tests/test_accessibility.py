"""WCAG 2.1 AA for the participant: axe-core over every page a participant reaches, keyboard use, the save bar.

The crawl itself is in accessibility_crawl.py; the facilitator's and the organizer's are in their own files,
so that the workers run them side by side.
"""

import pytest

from .accessibility_crawl import check_role, demo_live, report, sign_in

__all__ = ["demo_live"]  # the fixture, imported so that this module's tests can ask for it


@pytest.mark.browser
def test_every_page_a_participant_reaches_has_no_serious_axe_violation(demo_live, browser):
    visited, found, left = check_role(browser, demo_live, "participant")
    assert len(visited) >= 15, visited  # the crawl really went through the participant's portal
    assert not left, f"pages the participant reaches that the crawl did not check: {left}"
    assert not found, f"{len(found)} critical/serious axe violations:\n{report(found)}"


@pytest.mark.browser
def test_keyboard_users_skip_to_the_content_and_always_see_where_they_are(demo_live, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    sign_in(context, demo_live, "participant@demo.test")
    page = context.new_page()
    page.goto(f"{demo_live.url}/", wait_until="load")
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]")
    assert first == ["Skip to main content", "#main"]
    assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0")  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Every stop in the navbar (blue) and in the page shows a focus ring of at least 2 px.
    page.goto(f"{demo_live.url}/", wait_until="load")
    for _ in range(12):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
        )
        assert ring[1] != "none" and ring[2] >= 2, ring
    context.close()


@pytest.mark.browser
def test_the_dtca_save_bar_never_hides_the_field_being_filled_in(demo_live, browser):
    # Reduced motion: the browser scrolls at once instead of smoothly, so where a field lands can be measured.
    context = browser.new_context(viewport={"width": 1366, "height": 700}, reduced_motion="reduce")
    sign_in(context, demo_live, "participant@demo.test")
    page = context.new_page()
    page.goto(f"{demo_live.url}/dtca/my/1/", wait_until="load")
    bar = page.locator("form .sticky-md-bottom")
    fields = page.locator("form textarea, form input[type=radio]:checked, form input[type=text]")
    assert fields.count() > 3
    hidden = []
    for index in range(fields.count()):
        field = fields.nth(index)
        field.focus()  # as Tab does: the browser scrolls the field into view
        field_box, bar_box = field.bounding_box(), bar.bounding_box()
        if field_box["y"] + min(field_box["height"], 40) > bar_box["y"]:
            hidden.append(field.get_attribute("name"))
    assert not hidden, f"the save bar covers {hidden}"
    context.close()
