"""WCAG 2.1 AA in the admin of the programme: sessions, live sessions, evaluations, reminders, preparation.

The organizer's crawl of the other applications and of the portal is in test_accessibility_organizer.py; a
file each, so that two workers share the admin, the longest part of the crawl.
"""

import pytest

from .accessibility_crawl import PROGRAMME_APPS, check_admin, demo_live

__all__ = ["demo_live"]  # the fixture, imported so that this module's tests can ask for it


@pytest.mark.browser
def test_the_admin_pages_of_the_programme_have_no_serious_axe_violation(demo_live, browser):
    check_admin(browser, demo_live, lambda app: app in PROGRAMME_APPS)
