"""WCAG 2.1 AA for the facilitator: axe-core over every page a facilitator reaches (see accessibility_crawl.py)."""

import pytest

from .accessibility_crawl import check_role, demo_live, report

__all__ = ["demo_live"]  # the fixture, imported so that this module's tests can ask for it


@pytest.mark.browser
def test_every_page_a_facilitator_reaches_has_no_serious_axe_violation(demo_live, browser):
    visited, found, left = check_role(browser, demo_live, "facilitator")
    assert len(visited) >= 15, visited  # the crawl really went through the facilitator's portal
    assert not left, f"pages the facilitator reaches that the crawl did not check: {left}"
    assert not found, f"{len(found)} critical/serious axe violations:\n{report(found)}"
