"""WCAG 2.1 AA, checked by axe-core over a crawl of every page each role reaches (the admin included).

The crawl starts at the home page as a signed-in participant, facilitator and organizer, follows same-site links
breadth-first and runs axe-core (bundled by axe-playwright-python) on each page. Downloads, sign-out and addresses
that only answer POST are skipped; a page type (the address with its numbers blanked) is visited once, so the
bounded crawl spreads over the portal instead of paging through one list. Any critical or serious violation fails
the test, printing every one with the page it was found on.
"""

import heapq
import json
import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

MAX_PAGES = 60  # per role
ADMIN_PAGES = 60  # the organizer: the admin's change forms first, then its lists (every form: test_admin_organizers)
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".zip", ".ics", ".png", ".jpg", ".svg", ".txt", ".json", ".yaml")
# Sign-out, downloads and history/delete pages that only repeat a layout already checked, or change state.
SKIP_PATTERNS = re.compile(
    r"/accounts/logout/|/admin/logout/|/download/|/file/|/files/|/preparation/files/|/jsi18n/"
    r"|/admin/r/|/password/change/done|/open/$|/close/$|/publish/$|/discard/$|/share/$"
    r"|/admin/[a-z_]+/$|/history/$|/delete/$"  # an application's index repeats the admin index; history, delete
)
SERIOUS = {"critical", "serious"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}

ROLES = {
    "participant": "participant@demo.test",
    "facilitator": "facilitator@demo.test",
    "organizer": "organizer@demo.test",
}


def page_type(url):
    """The address with every number blanked and the query dropped: one visit per kind of page."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|\.|$)", "/N", parts.path)
    path = re.sub(r"/[A-Z]{2}/", "/CC/", path)  # action plans are addressed by country code
    return path


def sign_in(context, live_server, email):
    user = get_user_model().objects.get(email=email)
    client = Client()
    client.force_login(user)
    host = urlsplit(live_server.url).hostname
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )


def priority(url):
    """Admin change forms first (they differ most: inlines, widgets), then lists and other pages, add forms last."""
    path = urlsplit(url).path
    if re.search(r"/admin/.+/\d+/change/$", path):
        return 0
    if path.endswith("/add/"):
        return 2
    return 1


def crawl(page, start, limit=MAX_PAGES, skip_types=frozenset()):
    """Yield (url, axe results) for up to ``limit`` same-site HTML pages, breadth-first from ``start``."""
    origin = urlsplit(start).netloc
    queue = [(0, 0, start)]
    seen_types = {page_type(start)} | set(skip_types)
    visited = counter = 0
    while queue and visited < limit:
        _, _, url = heapq.heappop(queue)
        try:
            response = page.goto(url, wait_until="load")
        except Exception:  # a download started, or the page went away: nothing to check
            continue
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        if urlsplit(page.url).netloc != origin:
            continue
        visited += 1
        yield page.url, page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.netloc != origin:
                continue
            if parts.path.endswith(SKIP_SUFFIXES) or SKIP_PATTERNS.search(parts.path) or "_popup=" in parts.query:
                continue
            kind = page_type(href)
            if kind in seen_types:
                continue
            seen_types.add(kind)
            counter += 1
            heapq.heappush(queue, (priority(href), counter, href))


def report(found):
    lines = []
    for url, violation in found:
        lines.append(f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')!s:.300}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.fixture
def demo_live(committed_demo, live_server, settings):  # one demo for the module's tests: they only look
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    return live_server


@pytest.mark.browser
def test_every_page_each_role_reaches_has_no_serious_axe_violation(demo_live, browser):
    from axe_playwright_python.base import AXE_SCRIPT

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(AXE_SCRIPT)  # axe-core in every page, without sending it over for each one
    page = context.new_page()
    found, visited = [], {}
    for role, email in ROLES.items():
        context.clear_cookies()
        sign_in(context, demo_live, email)
        visited[role] = []
        # The organizer's portal pages are the facilitator's; their crawl goes on into the admin instead.
        skip = {page_type(url) for url in visited.get("facilitator", [])[1:]} if role == "organizer" else set()
        limit = ADMIN_PAGES if role == "organizer" else MAX_PAGES
        for url, results in crawl(page, f"{demo_live.url}/", limit=limit, skip_types=skip):
            visited[role].append(url)
            found += [(url, v) for v in results["violations"] if v["impact"] in SERIOUS]
    context.close()
    for role, urls in visited.items():
        print(f"{role}: {len(urls)} pages", *urls, sep="\n  ")
    # The crawl really went through each role's portal (and the organizer's admin), not just the home page.
    assert len(visited["participant"]) >= 15, visited["participant"]
    assert len(visited["facilitator"]) >= 15, visited["facilitator"]
    assert any("/admin/" in url for url in visited["organizer"]), visited["organizer"]
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
