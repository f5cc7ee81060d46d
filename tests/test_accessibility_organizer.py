"""WCAG 2.1 AA for the organizer: axe-core over the portal pages only an organizer reaches and half the admin.

The organizer's other portal pages are the facilitator's, checked in test_accessibility_facilitator.py; the
admin's other half (the programme's applications) is in test_accessibility_admin_programme.py.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from .accessibility_crawl import PROGRAMME_APPS, ROLES, check_admin, check_role, demo_live, report

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
