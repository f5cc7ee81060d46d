"""WCAG 2.1 AA for the organizer: axe-core over the portal pages only an organizer reaches and half the admin.

The organizer's other portal pages are the facilitator's, checked in test_accessibility_facilitator.py; the
admin's other half (the programme's applications) is in test_accessibility_admin_programme.py.
"""

import json
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from .accessibility_crawl import (
    AXE_OPTIONS,
    PROGRAMME_APPS,
    ROLES,
    SERIOUS,
    check_admin,
    check_role,
    demo_live,
    report,
    sign_in,
)

__all__ = ["demo_live"]  # the fixture, imported so that this module's tests can ask for it


def in_admin(url):
    return urlsplit(url).path.startswith("/admin/")


@pytest.mark.browser
def test_the_admin_pages_of_people_assessments_and_plans_have_no_serious_axe_violation(demo_live, browser):
    # Half the admin's applications; the programme's half (sessions, live, evaluations…) is in its own file.
    check_admin(browser, demo_live, lambda app: app not in PROGRAMME_APPS)


@pytest.mark.browser
def test_every_portal_page_only_an_organizer_reaches_has_no_serious_axe_violation(demo_live, browser):
    facilitator = Client()
    facilitator.force_login(get_user_model().objects.get(email=ROLES["facilitator"]))

    def only_the_organizers(url):  # a page the facilitator also opens is checked in the facilitator's crawl
        parts = urlsplit(url)
        return not in_admin(url) and facilitator.get(f"{parts.path}?{parts.query}").status_code != 200

    visited, found, left = check_role(browser, demo_live, "organizer", keep=only_the_organizers)
    assert len(visited) >= 2, visited  # the home page and at least one page of the organizer's own
    assert not left, f"pages only the organizer reaches that the crawl did not check: {left}"
    assert not found, f"{len(found)} critical/serious axe violations:\n{report(found)}"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_roster_preview_with_problems_has_no_serious_axe_violation_in_either_colour_scheme(
    demo_live, browser, scheme
):
    # The preview answers a POST, which the crawl never sends. The admin follows the system's colour scheme: a
    # problem row's light tint under the dark scheme's light text failed contrast.
    from axe_playwright_python.base import AXE_SCRIPT

    context = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900})
    context.add_init_script(AXE_SCRIPT)
    sign_in(context, demo_live, ROLES["organizer"])
    page = context.new_page()
    page.goto(f"{demo_live.url}{reverse('admin:participants_participant_import')}")
    page.select_option("select[name=workshop]", index=1)
    roster = (
        "E-mail,First name,Last name,Country,Group,Institution,Position\n"
        "new.person@gov.jm,Nia,Person,JM,Group A,Ministry,Analyst\n"
        "nobody@gov.xx,No,Body,Atlantis,Group A,Ministry,Analyst\n"
    )
    upload = {"name": "r.csv", "mimeType": "text/csv", "buffer": roster.encode()}
    page.set_input_files("input[name=file]", files=[upload])
    page.click("input[type=submit]")
    page.wait_for_selector(".roster-row-problem")
    results = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    context.close()
    found = [("roster preview", v) for v in results["violations"] if v["impact"] in SERIOUS]
    assert not found, report(found)
