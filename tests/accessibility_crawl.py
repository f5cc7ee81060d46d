"""The axe-core crawl behind test_accessibility*.py: WCAG 2.1 AA over every page each role reaches (admin included).

The crawl is split into one test file per role (the organizer's: the admin, and the portal pages only the
organizer reaches) so that `--dist loadfile` spreads it over the workers; it was one 60 to 290 s test before.

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

MAX_PAGES = 150  # per role: a bound, never reached (the test fails if pages of the role were left unvisited)
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


def crawl(page, start, limit=MAX_PAGES, skip_types=frozenset(), keep=lambda url: True, left=None):
    """Yield (url, axe results) for up to ``limit`` same-site HTML pages, breadth-first from ``start``.

    ``keep(url)`` says whether a linked page belongs to this crawl; ``left`` (a list) receives the pages still
    queued when the limit stopped it, so a test can insist that its crawl covered everything the role reaches.
    """
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
            if kind in seen_types or not keep(href):
                continue
            seen_types.add(kind)
            counter += 1
            heapq.heappush(queue, (priority(href), counter, href))
    if left is not None:
        left.extend(url for _, _, url in sorted(queue))


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


# The admin's crawl, split in two by application so that two workers share it (about 30 models each).
PROGRAMME_APPS = {"sessions_app", "live", "evaluations", "reminders", "preparation"}


def admin_app(url):
    """The application label of an admin address ("" for the index and pages outside the admin)."""
    path = urlsplit(url).path
    return path.split("/")[2] if path.startswith("/admin/") and path.count("/") > 3 else ""


def check_admin(browser, live_server, in_half):
    """Crawl the admin as the organizer, keeping to the applications ``in_half(app)`` accepts; assert as one."""
    visited, found, _ = check_role(
        browser,
        live_server,
        "organizer",
        start="/admin/",
        limit=ADMIN_PAGES // 2,  # change forms first, then lists (every admin form's inputs: test_admin_organizers)
        keep=lambda url: urlsplit(url).path.startswith("/admin/") and in_half(admin_app(url)),
    )
    assert len(visited) >= 15, visited
    assert all(urlsplit(url).path.startswith("/admin/") for url in visited), visited
    assert any("/change/" in url for url in visited), visited
    assert not found, f"{len(found)} critical/serious axe violations:\n{report(found)}"


def axe_page(browser):
    """A page with axe-core injected in every document it loads, without sending it over for each one."""
    from axe_playwright_python.base import AXE_SCRIPT

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(AXE_SCRIPT)
    return context, context.new_page()


def check_role(browser, live_server, role, *, start="/", limit=MAX_PAGES, skip_types=frozenset(), keep=None):
    """Crawl ``role``'s pages with axe; return (visited urls, serious violations, pages left unvisited)."""
    context, page = axe_page(browser)
    sign_in(context, live_server, ROLES[role])
    visited, found, left = [], [], []
    for url, results in crawl(
        page,
        f"{live_server.url}{start}",
        limit=limit,
        skip_types=skip_types,
        keep=keep or (lambda url: True),
        left=left,
    ):
        visited.append(url)
        found += [(url, v) for v in results["violations"] if v["impact"] in SERIOUS]
    context.close()
    print(f"{role}: {len(visited)} pages", *visited, sep="\n  ")
    return visited, found, left
